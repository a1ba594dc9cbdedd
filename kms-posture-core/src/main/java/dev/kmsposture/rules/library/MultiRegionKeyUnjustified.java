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
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Flags a multi-Region key that nobody justified, and multi-Region keys living in Regions outside
 * {@code allowedRegions}.
 *
 * <p>A key is justified when it carries the tag {@code multiRegionJustificationTag} (default
 * MultiRegionJustification) with a non-blank value, when its ARN or id is in {@code
 * allowedMultiRegionKeys} (multi-Region keys share their id, so an id covers the whole set), or —
 * for a replica — when its primary is justified. With {@code allowedRegions} set, a primary fails
 * when it or any of its replicas is outside them, and a replica fails when it is. Single-Region
 * keys are not applicable.
 */
public final class MultiRegionKeyUnjustified implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("MultiRegionKeyUnjustified"))
          .summary(
              "Multi-Region key without a recorded justification, or replicated outside allowed Regions")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Multi-Region keys share key material across Regions: ciphertext from one Region can be"
                  + " decrypted in another. That widens the blast radius, makes revocation harder and"
                  + " can break data-residency rules, so each one should be a deliberate choice.")
          .checklistItem(
              "[Recommended] For workloads that span regions, evaluate multi-region keys (MRKs). …"
                  + " Do NOT use them when the workload is genuinely region-isolated — single-region"
                  + " keys are simpler and have a smaller blast radius.")
          .references(List.of("Prowler kms_cmk_not_multi_region"))
          .remediation(
              new Remediation(
                  "Record why the key is multi-Region in a tag (or allow-list it); for a replica in a"
                      + " Region that is not allowed, schedule the replica's deletion. A key that does"
                      + " not need to be multi-Region is replaced by a single-Region key.",
                  "aws kms tag-resource --key-id <key-id> --tags"
                      + " TagKey=MultiRegionJustification,TagValue=\"aurora global database DR\"",
                  "kms.tagResource(r -> r.keyId(keyId).tags(Tag.builder()"
                      + ".tagKey(\"MultiRegionJustification\").tagValue(\"aurora global database DR\")"
                      + ".build()))"))
          .addTag("hygiene")
          .build();

  /** Creates the rule; it holds no state. */
  public MultiRegionKeyUnjustified() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    MultiRegionConfiguration mr = key.metadata().multiRegion();
    String name = context.describeCapitalized(key);
    if (mr == null) {
      return List.of(
          Finding.notApplicable(INFO, key, Message.of("%s is a single-Region key", name)));
    }
    if (!key.metadata().isCustomerManaged()) {
      return List.of(Finding.notApplicable(INFO, key, Message.of("%s is AWS managed", name)));
    }
    List<String> problems = new ArrayList<>();
    List<String> allowed = context.config().allowedRegions();
    if (!allowed.isEmpty()) {
      TreeSet<String> outside = new TreeSet<>();
      if (!allowed.contains(key.region())) {
        outside.add(key.region());
      }
      if (key.metadata().isPrimary()) {
        for (var r : mr.replicaKeys()) {
          if (!allowed.contains(r.region())) {
            outside.add(r.region());
          }
        }
      }
      if (!outside.isEmpty()) {
        problems.add(
            "it has key material in "
                + String.join(", ", outside)
                + ", outside the allowed Regions "
                + String.join(", ", allowed));
      }
    }
    Optional<Boolean> justified = justified(key, context);
    if (justified.isPresent() && !justified.get()) {
      problems.add(
          "nothing justifies it: no "
              + context.config().multiRegionJustificationTag()
              + " tag and not in allowedMultiRegionKeys");
    }
    String role = key.metadata().isReplica() ? "a multi-Region replica" : "a multi-Region key";
    if (!problems.isEmpty()) {
      return List.of(
          Finding.fail(
              INFO, key, Message.of("%s is %s, and %s", name, role, String.join("; ", problems))));
    }
    if (justified.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s, so whether the multi-Region key is justified cannot be told",
                  KeyTraits.missing(key, KeyPart.TAGS, "tags", context))));
    }
    return List.of(
        Finding.pass(INFO, key, Message.of("%s is %s with a justification", name, role)));
  }

  /** Returns whether the key (or its primary) is justified; empty when its tags are missing. */
  private static Optional<Boolean> justified(KeySnapshot key, RuleContext context) {
    List<String> allowList = context.config().allowedMultiRegionKeys();
    if (allowList.contains(key.arn()) || allowList.contains(key.keyId())) {
      return Optional.of(true);
    }
    Optional<Boolean> own = tagged(key, context);
    if (own.orElse(false) || !key.metadata().isReplica()) {
      return own;
    }
    Optional<KeySnapshot> primary = context.primaryOf(key);
    if (primary.isPresent()) {
      KeySnapshot p = primary.get();
      if (allowList.contains(p.arn()) || tagged(p, context).orElse(false)) {
        return Optional.of(true);
      }
    }
    return own;
  }

  private static Optional<Boolean> tagged(KeySnapshot key, RuleContext context) {
    Map<String, String> tags = key.tags();
    if (tags == null) {
      return Optional.empty();
    }
    String v = tags.get(context.config().multiRegionJustificationTag());
    return Optional.of(v != null && !v.isBlank());
  }
}
