package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A key used by resources of a service that its key policy's {@code kms:ViaService} conditions do
 * not allow: the policy would refuse the service's requests on behalf of every principal it names,
 * so the resource cannot read or write its data with the key (or will fail on first use). It reads
 * the resource inventory ({@code scan --resources}) and asks the evaluator, for each service and
 * Region that uses the key, whether any principal the policy names — or any IAM principal of the
 * key's account, where the policy delegates to IAM — may call {@code kms:Decrypt} with {@code
 * kms:ViaService} set to that service's endpoint ({@code <service>.<region>.amazonaws.com}, KMS
 * Developer Guide, "kms:ViaService").
 *
 * <p>CloudWatch Logs calls KMS as its own service principal ({@code logs.<region>.amazonaws.com}),
 * not on a principal's behalf, so {@code kms:ViaService} does not apply to it and its log groups
 * are not judged. NOT_APPLICABLE without an inventory (whatever the policy), without a resource
 * that uses the key, and when no statement of the policy uses {@code kms:ViaService}; AWS managed
 * keys are not judged; UNKNOWN when the policy cannot be read. Identity policies, SCPs and grants
 * are not in a snapshot: where the policy delegates to IAM the rule assumes IAM may allow (it flags
 * only what the key policy itself refuses).
 */
public final class ResourceServiceRefusedByViaService implements KeyRule {
  /**
   * The ViaService endpoint prefix of each inventory service (EBS is EC2, EFS is
   * elasticfilesystem).
   */
  static final Map<String, String> VIA_SERVICE =
      Map.of(
          "s3", "s3",
          "ebs", "ec2",
          "rds", "rds",
          "secretsmanager", "secretsmanager",
          "sns", "sns",
          "sqs", "sqs",
          "dynamodb", "dynamodb",
          "efs", "elasticfilesystem",
          "fsx", "fsx");

  /** A principal standing for any IAM role of an account (its access rests on IAM delegation). */
  static final String PROBE_ROLE = "role/kms-posture-any-principal";

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("ResourceServiceRefusedByViaService"))
          .summary(
              "A service whose resources use the key is refused by its kms:ViaService conditions")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "kms:ViaService keeps a key inside the services it is meant for; a resource of another"
                  + " service that names the key cannot use it: its reads and writes fail (S3 objects,"
                  + " volumes, databases, queues and tables under it become unusable), or the policy"
                  + " is stale and names the wrong service.")
          .checklistItem(
              "[Recommended] Use kms:ViaService condition keys in key policies to restrict which AWS"
                  + " services can use a CMK on the principal's behalf.")
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Add the service's endpoint (<service>.<region>.amazonaws.com) to the kms:ViaService"
                      + " condition of the statement for the principals that use the resource, or"
                      + " move the resource to a key meant for its service; then put the policy."))
          .tags(List.of("least-privilege", "availability"))
          .build();

  /** Creates the rule; it holds no state. */
  public ResourceServiceRefusedByViaService() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    ResourceInventory inventory = context.snapshot().inventory();
    if (inventory == null) {
      // Without the inventory there is no service to ask about, whatever the policy says.
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "The snapshot has no resource inventory (scan --resources): which services use"
                      + " %s is not known here",
                  name)));
    }
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    if (!usesViaService(policy)) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "No statement of the policy of %s uses kms:ViaService: it limits no service",
                  name)));
    }
    // service endpoint -> the resources using the key through it
    Map<String, List<String>> byEndpoint = new TreeMap<>();
    for (ResourceSnapshot r : inventory.resourcesUsing(key.arn())) {
      String prefix = VIA_SERVICE.get(r.service());
      if (prefix == null) {
        continue; // CloudWatch Logs (its own service principal), or a service not modelled
      }
      byEndpoint
          .computeIfAbsent(prefix + "." + r.region() + ".amazonaws.com", e -> new ArrayList<>())
          .add(r.displayName());
    }
    if (byEndpoint.isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "No known resource uses %s through a service that kms:ViaService governs",
                  name)));
    }
    String account = context.snapshot().account();
    Set<String> principals = principals(policy, account);
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byEndpoint.entrySet()) {
      if (!refused(policy, key.arn(), e.getKey(), account, principals)) {
        continue;
      }
      List<String> resources = e.getValue();
      String listed = String.join(", ", resources.subList(0, Math.min(3, resources.size())));
      String more = resources.size() > 3 ? " and " + (resources.size() - 3) + " more" : "";
      out.add(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s uses %s (%s%s), but the key policy allows kms:Decrypt with"
                      + " kms:ViaService %s to none of its principals: its kms:ViaService"
                      + " conditions refuse that service",
                  KeyTraits.count(resources.size(), "resource of ", "resources of ")
                      + e.getKey().substring(0, e.getKey().indexOf('.')),
                  name,
                  listed,
                  more,
                  e.getKey())));
    }
    if (!out.isEmpty()) {
      return out;
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "Every service whose resources use %s (%s) may use it under its kms:ViaService"
                    + " conditions",
                name, String.join(", ", byEndpoint.keySet()))));
  }

  static boolean usesViaService(KeyPolicy policy) {
    for (Statement s : policy.statements()) {
      for (Condition c : s.conditions()) {
        if (c.key().sameKeyAs("kms:ViaService")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The principals to ask about: each IAM principal an Allow names, and for each account an Allow
   * names (its id or root), a role standing for any principal of that account; always one of the
   * key's own account.
   */
  private static Set<String> principals(KeyPolicy policy, String account) {
    Set<String> out = new TreeSet<>();
    out.add("arn:aws:iam::" + account + ":" + PROBE_ROLE);
    for (Statement s : policy.statements()) {
      if (!s.isAllow() || s.isNotPrincipal()) {
        continue;
      }
      for (Principal p : s.principals()) {
        if (!(p instanceof Principal.Aws aws) || aws.isEveryone()) {
          continue;
        }
        String v = aws.value();
        if (v.matches("\\d{12}")) {
          out.add("arn:aws:iam::" + v + ":" + PROBE_ROLE);
        } else if (v.endsWith(":root")) {
          aws.accountId().ifPresent(a -> out.add("arn:aws:iam::" + a.value() + ":" + PROBE_ROLE));
        } else {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static String callerAccount(String principalArn, String fallback) {
    String[] parts = principalArn.split(":", 6);
    return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
  }

  /**
   * Whether the key policy refuses {@code kms:Decrypt} through {@code endpoint} to every principal:
   * none is allowed, and none is left to its IAM policies.
   */
  private static boolean refused(
      KeyPolicy policy, String keyArn, String endpoint, String account, Set<String> principals) {
    for (String p : principals) {
      Decision d =
          KeyAccessEvaluator.evaluate(
              policy,
              AccessRequest.builder()
                  .principal(p)
                  .action(KmsAction.DECRYPT)
                  .resource(keyArn)
                  .putContext("kms:ViaService", endpoint)
                  .putContext("kms:CallerAccount", callerAccount(p, account))
                  .build());
      if (d.outcome() == Decision.Outcome.ALLOWED
          || (d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam())) {
        return false;
      }
    }
    return true;
  }
}
