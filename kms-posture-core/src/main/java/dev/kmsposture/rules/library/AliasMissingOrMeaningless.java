package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Flags a customer-managed key without an alias, or whose aliases say nothing about what the key
 * protects.
 *
 * <p>An alias is meaningless when, ignoring case, it is a generic word optionally followed by a
 * separator and digits ({@code key}, {@code key1}, {@code mykey}, {@code test}, {@code test-2},
 * {@code default}, {@code cmk}, {@code kms-key}, {@code new-key}, {@code temp}, {@code demo},
 * {@code example}, …), digits only, a UUID, a multi-Region key id, a hex string of eight or more
 * characters, or shorter than three characters. A key passes when at least one of its aliases is
 * meaningful; the message still names the meaningless ones.
 */
public final class AliasMissingOrMeaningless implements KeyRule {
  private static final Pattern GENERIC =
      Pattern.compile(
          "(my[-_]?)?(new[-_]?)?(test|testing|key|cmk|kms|kms[-_]?key|default|temp|tmp|foo|bar"
              + "|baz|demo|sample|example|dummy|untitled|secret|encryption|encryption[-_]?key"
              + "|master[-_]?key|aws|alias|data[-_]?key)([-_]?\\d+)?");

  private static final Pattern ID_LIKE =
      Pattern.compile(
          "\\d+"
              + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
              + "|mrk-[0-9a-f]{32}"
              + "|[0-9a-f]{8,}");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("AliasMissingOrMeaningless"))
          .summary("Customer-managed key has no alias, or only generic or id-like aliases")
          .severity(Severity.CRITICAL)
          .rationale(
              "Aliases are how people, code and findings name a key. A key without a plain-language"
                  + " alias cannot be tied to what it protects, and every finding about it reads"
                  + " \"key 1234abcd-…\" instead of \"the CMK named prod-customer-pii\".")
          .checklistItem(
              "[Critical] Every customer-managed CMK must have a meaningful alias and a meaningful key"
                  + " policy Description. Plain-language names that describe what the key protects"
                  + " (e.g., alias/prod-customer-pii, alias/staging-rds-postgres) are how rotation"
                  + " findings become quotable.")
          .remediation(
              new Remediation(
                  "Create an alias that says what the key protects and in which environment, such as"
                      + " alias/prod-customer-pii; delete generic aliases once nothing uses them.",
                  "aws kms create-alias --alias-name alias/<env>-<what-it-protects> --target-key-id"
                      + " <key-id>",
                  "kms.createAlias(r -> r.aliasName(\"alias/prod-customer-pii\").targetKeyId(keyId))"))
          .addTag("hygiene")
          .build();

  /** Creates the rule; it holds no state. */
  public AliasMissingOrMeaningless() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  /** Returns whether {@code alias} (with or without {@code alias/}) names nothing in particular. */
  static boolean isMeaningless(String alias) {
    String name = KeyTraits.aliasName(alias).toLowerCase(Locale.ROOT);
    return name.length() < 3 || GENERIC.matcher(name).matches() || ID_LIKE.matcher(name).matches();
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    if (!key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is AWS managed: AWS names it aws/<service>",
                  context.describeCapitalized(key))));
    }
    List<String> aliases = key.aliases();
    if (aliases == null) {
      return List.of(
          Finding.unknown(INFO, key, KeyTraits.missing(key, KeyPart.ALIASES, "aliases", context)));
    }
    if (aliases.isEmpty()) {
      return List.of(Finding.fail(INFO, key, Message.of("The CMK %s has no alias", key.arn())));
    }
    List<String> meaningless = new ArrayList<>();
    List<String> meaningful = new ArrayList<>();
    for (String a : aliases.size() == 1 ? aliases : aliases.stream().sorted().toList()) {
      (isMeaningless(a) ? meaningless : meaningful).add(a);
    }
    if (meaningful.isEmpty()) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s has only generic or id-like aliases (%s), which say nothing"
                      + " about what it protects",
                  context.describeCapitalized(key), String.join(", ", meaningless))));
    }
    String extra =
        meaningless.isEmpty()
            ? ""
            : "; its other aliases " + String.join(", ", meaningless) + " are generic";
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s has a meaningful alias (%s)%s",
                context.describeCapitalized(key), String.join(", ", meaningful), extra)));
  }
}
