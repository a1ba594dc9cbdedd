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
  // The generic words an alias may consist of (after an optional "my" and "new", each with an
  // optional separator, and before optional digits), with every spelling of their optional
  // separators. Matched by hand rather than with a regular expression: every key's aliases are
  // judged, and the matcher (and its backtracking) was a sizeable part of the rule's cost.
  private static final List<String> GENERIC_WORDS =
      withSeparators(
          List.of(
              "test",
              "testing",
              "key",
              "cmk",
              "kms",
              "kms?key",
              "default",
              "temp",
              "tmp",
              "foo",
              "bar",
              "baz",
              "demo",
              "sample",
              "example",
              "dummy",
              "untitled",
              "secret",
              "encryption",
              "encryption?key",
              "master?key",
              "aws",
              "alias",
              "data?key"));

  // Each word with "?" (an optional - or _) spelled all three ways.
  private static List<String> withSeparators(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      if (w.indexOf('?') < 0) {
        out.add(w);
      } else {
        out.add(w.replace("?", ""));
        out.add(w.replace('?', '-'));
        out.add(w.replace('?', '_'));
      }
    }
    return List.copyOf(out);
  }

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
    return name.length() < 3 || isGeneric(name) || isIdLike(name);
  }

  /**
   * Returns whether the whole of {@code name} (lower case) is a generic word: {@code
   * (my[-_]?)?(new[-_]?)?(test|testing|key|cmk|kms|kms[-_]?key|default|temp|tmp|foo|bar|baz|demo
   * |sample|example|dummy|untitled|secret|encryption|encryption[-_]?key|master[-_]?key|aws|alias
   * |data[-_]?key)([-_]?\d+)?}, with ASCII digits.
   */
  static boolean isGeneric(String name) {
    int p = 0;
    // no generic word starts with "my" or "new", nor with a separator: taking each prefix, and
    // then its separator, whenever it is there is the only way the name can match
    if (name.startsWith("my", p)) {
      p = afterSeparator(name, p + 2);
    }
    if (name.startsWith("new", p)) {
      p = afterSeparator(name, p + 3);
    }
    for (int i = 0; i < GENERIC_WORDS.size(); i++) {
      String word = GENERIC_WORDS.get(i);
      if (name.startsWith(word, p) && isNumberSuffix(name, p + word.length())) {
        return true;
      }
    }
    return false;
  }

  private static int afterSeparator(String s, int p) {
    return p < s.length() && isSeparator(s.charAt(p)) ? p + 1 : p;
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_';
  }

  // Whether s from p is empty or ([-_]?[0-9]+).
  private static boolean isNumberSuffix(String s, int p) {
    int n = s.length();
    if (p == n) {
      return true;
    }
    int from = isSeparator(s.charAt(p)) ? p + 1 : p;
    return from < n && allIn(s, from, n, false);
  }

  /**
   * Returns whether the whole of {@code name} (lower case) looks like an id: {@code
   * \d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|[0-9a-f]{8,}},
   * with ASCII digits.
   */
  static boolean isIdLike(String name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    if (allIn(name, 0, n, false) || (n >= 8 && allIn(name, 0, n, true))) {
      return true;
    }
    if (n != 36) {
      return false;
    }
    if (name.startsWith("mrk-")) {
      return allIn(name, 4, n, true);
    }
    return name.charAt(8) == '-'
        && name.charAt(13) == '-'
        && name.charAt(18) == '-'
        && name.charAt(23) == '-'
        && allIn(name, 0, 8, true)
        && allIn(name, 9, 13, true)
        && allIn(name, 14, 18, true)
        && allIn(name, 19, 23, true)
        && allIn(name, 24, 36, true);
  }

  // Whether every character of s[from, to) is an ASCII digit (or, with hex, also a-f).
  private static boolean allIn(String s, int from, int to, boolean hex) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
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
