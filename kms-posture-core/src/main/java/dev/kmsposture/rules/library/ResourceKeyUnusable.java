package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Flags resources whose configuration names a key that cannot be used — disabled, pending deletion,
 * pending import or unavailable — and DynamoDB tables in {@code
 * INACCESSIBLE_ENCRYPTION_CREDENTIALS}: the outage nobody saw coming. The data is unreadable now
 * (disabled), or will be for good when the waiting period ends (pending deletion). It reads the
 * snapshot's resource inventory ({@code scan --resources}); without it the rule is NOT_APPLICABLE
 * (KeyPendingDeletion and KeyDisabled judge the key itself). A key in a usable state with no such
 * table is NOT_APPLICABLE; an unusable key that no known resource names PASSes — but the inventory
 * shows current settings only, so old S3 objects, old log data and earlier secret versions may
 * still need the key.
 */
public final class ResourceKeyUnusable implements KeyRule {
  /** How many resources a message lists before summarising. */
  static final int LISTED = 3;

  // KMS Developer Guide, "Key states of AWS KMS keys": these states refuse cryptographic
  // operations.
  private static final Set<String> UNUSABLE =
      Set.of(
          "Disabled", "PendingDeletion", "PendingReplicaDeletion", "PendingImport", "Unavailable");

  // The ten KMS-integrated services of the checklist's scope: a key no resource of any of them
  // names PASSes only when all ten were read in its Region.
  static final List<String> SERVICES =
      List.of("dynamodb", "ebs", "efs", "fsx", "logs", "rds", "s3", "secretsmanager", "sns", "sqs");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("ResourceKeyUnusable"))
          .summary("A resource is encrypted with a key that is disabled or pending deletion")
          .severity(Severity.CRITICAL)
          .rationale(
              "A service cannot read or write data under a disabled key, and data under a deleted key is"
                  + " lost for good: buckets, volumes, databases, secrets, queues and tables that name"
                  + " such a key fail, or will fail when the waiting period ends.")
          .checklistItem(
              "[Critical] Confirm which AWS-managed services are using each CMK and document it.")
          .remediation(
              new Remediation(
                  "Cancel the deletion and enable the key, or move each resource to another key with"
                      + " the service's own re-encryption path before the key is deleted.",
                  "aws kms cancel-key-deletion --key-id <key-id> && aws kms enable-key --key-id"
                      + " <key-id>",
                  "kms.cancelKeyDeletion(r -> r.keyId(keyId)); kms.enableKey(r -> r.keyId(keyId))"))
          .tags(List.of("lifecycle", "availability"))
          .build();

  /** Creates the rule; it holds no state. */
  public ResourceKeyUnusable() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    ResourceInventory inventory = context.snapshot().inventory();
    String name = context.describe(key);
    String state = key.metadata().keyState();
    boolean unusable = UNUSABLE.contains(state);
    if (inventory == null) {
      // Without the inventory the question this rule asks cannot be put; the key itself is judged
      // by KeyPendingDeletion and KeyDisabled, so nothing is lost from the verdict.
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              unusable
                  ? "The snapshot has no resource inventory (scan --resources): which resources use "
                      + name
                      + " ("
                      + state
                      + ") is not known here; KeyPendingDeletion and KeyDisabled judge the key"
                      + " itself"
                  : context.describeCapitalized(key)
                      + " is "
                      + state
                      + " and the snapshot has no resource inventory"));
    }
    List<ResourceSnapshot> using = inventory.resourcesUsing(key.arn());
    List<String> failing = new ArrayList<>();
    for (ResourceSnapshot r : using) {
      boolean lost =
          r.attribute("tableStatus")
              .filter("INACCESSIBLE_ENCRYPTION_CREDENTIALS"::equals)
              .isPresent();
      if (unusable || lost) {
        failing.add(r.displayName() + (lost ? " (INACCESSIBLE_ENCRYPTION_CREDENTIALS)" : ""));
      }
    }
    if (!failing.isEmpty()) {
      String listed = String.join(", ", failing.subList(0, Math.min(LISTED, failing.size())));
      String more = failing.size() > LISTED ? " and " + (failing.size() - LISTED) + " more" : "";
      String why =
          unusable
              ? name
                  + " is "
                  + state
                  + ": their data "
                  + (state.startsWith("Pending") && !state.equals("PendingImport")
                      ? "becomes unreadable for good when the key is deleted"
                      : "cannot be read or written")
              : "DynamoDB cannot reach " + name + ": check its state, policy and grants";
      return List.of(
          Finding.fail(
              INFO,
              key,
              KeyTraits.count(failing.size(), "resource is ", "resources are ")
                  + "encrypted with "
                  + name
                  + " ("
                  + listed
                  + more
                  + "); "
                  + why));
    }
    if (!unusable) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is %s", context.describeCapitalized(key), state)));
    }
    List<String> gaps = new ArrayList<>(inventory.gaps(key.region()));
    for (String service : SERVICES) {
      if (!inventory.services().contains(service)) {
        gaps.add(service + " was not read");
      }
    }
    if (!gaps.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              "No known resource uses "
                  + name
                  + " ("
                  + state
                  + "), but the inventory of "
                  + key.region()
                  + " is incomplete: "
                  + String.join("; ", gaps.subList(0, Math.min(3, gaps.size())))
                  + (gaps.size() > 3 ? "; and " + (gaps.size() - 3) + " more" : "")));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            "No known resource's current settings use "
                + name
                + " ("
                + state
                + "); old S3 objects, old log data and earlier secret versions may still need it"));
  }
}
