package dev.kmsposture.rules.library;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Flags replicas of a multi-Region key whose independent properties differ from their primary's:
 * key policy (compared by meaning, with the principals that only the replica allows named),
 * aliases, tags (ignoring {@code aws:} tags), enabled state and deletion state. KMS shares key
 * material, rotation, spec and origin across the set, but policy, grants, aliases, tags and state
 * are set per key (KMS Developer Guide, "Multi-Region keys in AWS KMS"), so a replica can quietly
 * be more open than its primary.
 *
 * <p>The rule judges primaries: one finding per replica in the snapshot, about the replica's ARN. A
 * replica whose data is missing gives UNKNOWN (unless other properties already differ); replicas
 * and single-Region keys themselves are not applicable.
 */
public final class MultiRegionReplicaInconsistent implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("MultiRegionReplicaInconsistent"))
          .summary(
              "Multi-Region replica differs from its primary in policy, aliases, tags or state")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Every key of a multi-Region set decrypts the same ciphertext, so the set is only as"
                  + " tightly controlled as its most open member. A replica with a looser policy, a"
                  + " different alias or a different state breaks failover and widens access.")
          .checklistItem(
              "[Recommended] For workloads that span regions, evaluate multi-region keys (MRKs)."
                  + " (Reference architecture: \"Same alias in both regions for application"
                  + " portability\".)")
          .remediation(
              new Remediation(
                  "Give the replica the primary's key policy, aliases, tags and state.",
                  "aws kms put-key-policy --region <replica-region> --key-id <key-id> --policy-name"
                      + " default --policy file://primary-policy.json",
                  "kmsReplicaRegion.putKeyPolicy(r -> r.keyId(keyId).policyName(\"default\")"
                      + ".policy(primaryPolicyJson))"))
          .tags(List.of("cross-account", "hygiene"))
          .build();

  /** Creates the rule; it holds no state. */
  public MultiRegionReplicaInconsistent() {}

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
    if (key.metadata().isReplica()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is a replica; it is compared with its primary %s in the"
                      + " primary's findings",
                  name, mr.primaryKey().arn())));
    }
    if (mr.replicaKeys().isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is a multi-Region primary without replicas", name)));
    }
    List<Finding> out = new ArrayList<>();
    for (MultiRegionConfiguration.MultiRegionKey r : mr.replicaKeys()) {
      Optional<KeySnapshot> replica = context.key(r.arn());
      if (replica.isEmpty()) {
        out.add(
            Finding.unknown(
                    INFO,
                    key,
                    Message.of(
                        "The replica %s of %s is not in the snapshot, so it cannot be"
                            + " compared",
                        r.arn(), context.describe(key)))
                .about(r.arn()));
        continue;
      }
      out.add(compare(key, replica.get(), context).about(r.arn()));
    }
    return out;
  }

  private static Finding compare(KeySnapshot primary, KeySnapshot replica, RuleContext context) {
    List<String> differences = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    comparePolicies(primary, replica, context, differences, unknown);
    if (primary.aliases() == null || replica.aliases() == null) {
      unknown.add("aliases (not available)");
    } else {
      TreeSet<String> p = new TreeSet<>(primary.aliases());
      TreeSet<String> q = new TreeSet<>(replica.aliases());
      if (!p.equals(q)) {
        differences.add("aliases (primary: " + listOrNone(p) + "; replica: " + listOrNone(q) + ")");
      }
    }
    if (primary.tags() == null || replica.tags() == null) {
      unknown.add("tags (not available)");
    } else {
      TreeSet<String> changed = new TreeSet<>();
      Map<String, String> p = userTags(primary.tags());
      Map<String, String> q = userTags(replica.tags());
      TreeSet<String> keys = new TreeSet<>(p.keySet());
      keys.addAll(q.keySet());
      for (String k : keys) {
        if (!Objects.equals(p.get(k), q.get(k))) {
          changed.add(k);
        }
      }
      if (!changed.isEmpty()) {
        differences.add("tags (" + String.join(", ", changed) + ")");
      }
    }
    KeyMetadata pm = primary.metadata();
    KeyMetadata qm = replica.metadata();
    if (pm.isPendingDeletion() != qm.isPendingDeletion()) {
      differences.add(
          "deletion state (primary " + pm.keyState() + ", replica " + qm.keyState() + ")");
    } else if (!pm.isPendingDeletion() && !pm.keyState().equals(qm.keyState())) {
      differences.add("state (primary " + pm.keyState() + ", replica " + qm.keyState() + ")");
    }
    String subject =
        "The replica "
            + replica.arn()
            + " in "
            + replica.region()
            + " of "
            + context.describe(primary);
    String notCompared = unknown.isEmpty() ? "" : "; not compared: " + String.join(", ", unknown);
    if (!differences.isEmpty()) {
      return Finding.fail(
          INFO,
          primary,
          Message.of(
              "%s differs from its primary in %s%s",
              subject, String.join("; ", differences), notCompared));
    }
    if (!unknown.isEmpty()) {
      return Finding.unknown(
          INFO,
          primary,
          Message.of("%s could not be fully compared: %s", subject, String.join(", ", unknown)));
    }
    return Finding.pass(
        INFO,
        primary,
        Message.of("%s matches its primary in policy, aliases, tags and state", subject));
  }

  private static void comparePolicies(
      KeySnapshot primary,
      KeySnapshot replica,
      RuleContext context,
      List<String> differences,
      List<String> unknown) {
    Optional<KeyPolicy> p = context.policy(primary);
    Optional<KeyPolicy> q = context.policy(replica);
    if (p.isEmpty() || q.isEmpty()) {
      String why =
          p.isEmpty()
              ? context.policyProblem(primary).orElse("primary policy missing")
              : context.policyProblem(replica).orElse("replica policy missing");
      unknown.add("key policy (" + why + ")");
      return;
    }
    if (p.get().isEquivalentTo(q.get())) {
      return;
    }
    SortedSet<String> primaryPrincipals = allowedPrincipals(p.get());
    SortedSet<String> onlyReplica = allowedPrincipals(q.get());
    onlyReplica.removeAll(primaryPrincipals);
    String detail;
    if (onlyReplica.contains("*")) {
      detail = "the replica allows everyone (*), the primary does not";
    } else if (!onlyReplica.isEmpty()) {
      detail =
          "the replica allows principals the primary does not: " + String.join(", ", onlyReplica);
    } else {
      detail = "statements differ";
    }
    differences.add("key policy (" + detail + ")");
  }

  private static SortedSet<String> allowedPrincipals(KeyPolicy policy) {
    TreeSet<String> out = new TreeSet<>();
    for (Statement s : policy.statements()) {
      if (!s.isAllow()) {
        continue;
      }
      if (s.isNotPrincipal()) {
        out.add("*");
        continue;
      }
      for (Principal pr : s.principals()) {
        out.add(pr.isEveryone() ? "*" : pr.value());
      }
    }
    return out;
  }

  private static Map<String, String> userTags(Map<String, String> tags) {
    Map<String, String> out = new TreeMap<>();
    tags.forEach(
        (k, v) -> {
          if (!k.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static String listOrNone(SortedSet<String> s) {
    return s.isEmpty() ? "none" : String.join(", ", s);
  }
}
