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
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flags "a CMK that nobody can explain": a customer-managed key with no alias, no Owner tag and no
 * recorded use. Any one of the three explains the key and makes it pass (an alias names it, an
 * Owner tag says whom to ask, recorded use shows what depends on it). The Owner tag is matched
 * without regard to case here, because the question is whether anyone can be asked, not tag hygiene
 * (RequiredTagsMissing checks exact keys). "No recorded use" covers both never used and unknown
 * before tracking started. When no known part explains the key but a part is missing, the result is
 * UNKNOWN naming the missing parts.
 *
 * <p>With the snapshot's resource inventory ({@code scan --resources}), a resource whose settings
 * name the key explains it too. The inventory shows current settings only, so "no known resource"
 * adds to a failure's message but never makes the key look safe to delete.
 */
public final class UnexplainedKey implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("UnexplainedKey"))
          .summary("Customer-managed key has no alias, no owner tag and no recorded use")
          .severity(Severity.CRITICAL)
          .rationale(
              "A key that has no name, no owner and no traffic is either dead weight (delete it) or a"
                  + " hidden dependency (find it before deleting). That nobody can tell which is the"
                  + " finding.")
          .checklistItem(
              "[Critical] Confirm which AWS-managed services are using each CMK and document it. … A"
                  + " CMK that nobody can explain the use of is either dead weight or a hidden"
                  + " dependency; both are findings.")
          .remediation(
              new Remediation(
                  "Find out what the key protects (CloudTrail, the resources that name it), then give"
                      + " it an alias and an Owner tag — or disable it and watch for failures before"
                      + " scheduling deletion.",
                  "aws kms tag-resource --key-id <key-id> --tags TagKey=Owner,TagValue=<team> && aws"
                      + " kms create-alias --alias-name alias/<env>-<purpose> --target-key-id <key-id>",
                  "kms.tagResource(r -> r.keyId(keyId).tags(Tag.builder().tagKey(\"Owner\")"
                      + ".tagValue(team).build())); kms.createAlias(r -> r.aliasName(alias)"
                      + ".targetKeyId(keyId))"))
          .tags(List.of("hygiene", "lifecycle"))
          .build();

  /** Creates the rule; it holds no state. */
  public UnexplainedKey() {}

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
              Message.of("%s is AWS managed: AWS explains it", context.describeCapitalized(key))));
    }
    List<String> explained = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (key.aliases() == null) {
      missing.add("aliases");
    } else if (!key.aliases().isEmpty()) {
      explained.add("it has an alias");
    }
    Map<String, String> tags = key.tags();
    if (tags == null) {
      missing.add("tags");
    } else {
      for (Map.Entry<String, String> t : tags.entrySet()) {
        if (t.getKey().toLowerCase(Locale.ROOT).equals("owner") && !t.getValue().isBlank()) {
          explained.add("it has an owner tag (" + t.getValue() + ")");
          break;
        }
      }
    }
    if (key.lastUsage() == null) {
      missing.add("last usage");
    } else if (key.lastUsage().lastUsedAt() != null) {
      explained.add("it was used on " + KeyTraits.date(key.lastUsage().lastUsedAt()));
    }
    ResourceInventory inventory = context.snapshot().inventory();
    List<ResourceSnapshot> using =
        inventory == null ? List.of() : inventory.resourcesUsing(key.arn());
    if (!using.isEmpty()) {
      explained.add(
          KeyTraits.count(using.size(), "resource names it (", "resources name it (")
              + using.get(0).displayName()
              + (using.size() > 1 ? ", …" : "")
              + ")");
    }
    if (!explained.isEmpty()) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "%s can be explained: %s",
                  context.describeCapitalized(key), String.join(", ", explained))));
    }
    if (!missing.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "Whether %s can be explained cannot be told: its %s%s not in the" + " snapshot%s",
                  name,
                  String.join(" and ", missing),
                  (missing.size() == 1 ? " is" : " are"),
                  unreadable(key))));
    }
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "Nobody can explain %s: no alias, no owner tag, no recorded use%s",
                name,
                inventory == null
                    ? ""
                    : ", and no known resource (current settings only: old data may still need"
                        + " it, so this does not make it safe to delete)")));
  }

  private static String unreadable(KeySnapshot key) {
    List<String> why = new ArrayList<>();
    for (KeyPart part : List.of(KeyPart.ALIASES, KeyPart.TAGS, KeyPart.LAST_USAGE)) {
      key.unreadableReason(part)
          .ifPresent(
              r -> why.add(part.name().toLowerCase(Locale.ROOT) + " could not be read: " + r));
    }
    return why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
  }
}
