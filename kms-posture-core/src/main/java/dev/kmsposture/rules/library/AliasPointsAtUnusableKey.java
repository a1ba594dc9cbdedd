package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;

/**
 * Flags aliases that point at a key which cannot be used: disabled, pending deletion (including a
 * primary waiting for its replicas), pending import, or unavailable (a disconnected custom key
 * store). Applications that use the alias fail with {@code DisabledException} or {@code
 * KMSInvalidStateException} (KMS Developer Guide, "Key states of AWS KMS keys").
 */
public final class AliasPointsAtUnusableKey implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("AliasPointsAtUnusableKey"))
          .summary(
              "Alias points at a key that is disabled, pending deletion, pending import or unavailable")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Applications name keys by alias. An alias that points at an unusable key makes every"
                  + " call through it fail, and after deletion KMS deletes the alias with the key.")
          .checklistItem(
              "[Critical] Every customer-managed CMK must have a meaningful alias (alias hygiene:"
                  + " aliases must lead to keys that work).")
          .remediation(
              new Remediation(
                  "Point the alias at the key that replaced this one, or delete the alias if nothing"
                      + " uses it.",
                  "aws kms update-alias --alias-name alias/<name> --target-key-id <new-key-id>",
                  "kms.updateAlias(r -> r.aliasName(alias).targetKeyId(newKeyId))"))
          .tags(List.of("hygiene", "availability"))
          .build();

  /** Creates the rule; it holds no state. */
  public AliasPointsAtUnusableKey() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    if (!key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s is AWS managed and always usable", context.describeCapitalized(key))));
    }
    List<String> aliases = key.aliases();
    if (aliases == null) {
      return List.of(
          Finding.unknown(INFO, key, KeyTraits.missing(key, KeyPart.ALIASES, "aliases", context)));
    }
    if (aliases.isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("The CMK %s has no alias that could point at it", key.arn())));
    }
    String state = key.metadata().keyState();
    // most keys have one alias: no sorted copy, and the message is rendered only when read
    List<String> sorted = aliases.size() == 1 ? aliases : aliases.stream().sorted().toList();
    String list = sorted.size() == 1 ? sorted.get(0) : String.join(", ", sorted);
    String aliasWord = sorted.size() == 1 ? "The alias " : "The aliases ";
    String verb = sorted.size() == 1 ? " points at " : " point at ";
    if (!KeyTraits.isUnusableState(state)) {
      return List.of(
          Finding.pass(
              INFO, key, Message.of("%s%s%s%s, which is %s", aliasWord, list, verb, name, state)));
    }
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "%s%s%s%s, which %s; applications that use %s fail",
                aliasWord,
                list,
                verb,
                name,
                stateText(key.metadata()),
                sorted.size() == 1 ? "it" : "them")));
  }

  private static String stateText(KeyMetadata m) {
    return switch (m.keyState()) {
      case KeyMetadata.DISABLED -> "is disabled";
      case KeyMetadata.PENDING_DELETION ->
          "is pending deletion"
              + (m.deletionDate() == null ? "" : " (on " + KeyTraits.date(m.deletionDate()) + ")");
      case KeyMetadata.PENDING_REPLICA_DELETION ->
          "is pending deletion once its replicas are deleted";
      case KeyMetadata.PENDING_IMPORT -> "is waiting for its key material to be imported";
      default -> "is unavailable (its custom key store is disconnected)";
    };
  }
}
