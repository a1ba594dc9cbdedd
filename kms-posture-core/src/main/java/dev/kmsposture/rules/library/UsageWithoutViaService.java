package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.internal.text.Words;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyDerivation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A key whose purpose is an AWS service lets principals use it directly: an Allow gives
 * cryptographic operations to principals other than service principals without a {@code
 * kms:ViaService} condition ({@link AccessAnalysis#usageWithoutViaService()}).
 *
 * <p>The checklist asks for {@code kms:ViaService} "where the key's purpose is a service", so the
 * rule applies only when something says so: the snapshot's {@code resources} for the key include an
 * ARN of an integrated service (S3, EBS/EC2, RDS, Secrets Manager, CloudWatch Logs, SNS, SQS, EFS,
 * FSx, DynamoDB), the {@code Purpose} or {@code Service} tag or the description names one of them,
 * or some statement of the policy already uses {@code kms:ViaService}. Otherwise it is
 * NOT_APPLICABLE with that reason. Statements whose principals are all accounts (the key's own, or
 * another account's root) delegate to the IAM policies of those accounts, where the condition then
 * belongs, and are not judged here; the least-privilege builder's cross-account statement is such a
 * delegation. AWS managed keys are not applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service">kms:ViaService</a>
 */
public final class UsageWithoutViaService implements KeyRule {
  /** Integrated services as they appear in words, mapped to the service they name. */
  private static final Map<String, String> SERVICE_WORDS =
      Map.ofEntries(
          Map.entry("s3", "s3"),
          Map.entry("ebs", "ebs"),
          Map.entry("rds", "rds"),
          Map.entry("aurora", "rds"),
          Map.entry("secretsmanager", "secretsmanager"),
          Map.entry("logs", "logs"),
          Map.entry("cloudwatch", "logs"),
          Map.entry("sns", "sns"),
          Map.entry("sqs", "sqs"),
          Map.entry("efs", "efs"),
          Map.entry("fsx", "fsx"),
          Map.entry("dynamodb", "dynamodb"));

  /** ARN service names of integrated services' resources (EBS volumes and snapshots are ec2). */
  private static final Set<String> SERVICE_ARNS =
      Set.of(
          "s3",
          "ec2",
          "rds",
          "secretsmanager",
          "logs",
          "sns",
          "sqs",
          "elasticfilesystem",
          "fsx",
          "dynamodb");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("UsageWithoutViaService"))
          .summary("Key for an AWS service can be used directly, without kms:ViaService")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "A key meant for one AWS service (say S3) should be usable only through that service: a"
                  + " \"StringEquals\": {\"kms:ViaService\": \"s3.<region>.amazonaws.com\"} condition"
                  + " keeps a compromised principal from calling Decrypt directly or through another"
                  + " service such as EBS or DynamoDB.")
          .checklistItem(
              "[Recommended] Use kms:ViaService condition keys in key policies to restrict which AWS"
                  + " services can use a CMK on the principal's behalf.")
          .references(List.of("KMS-POL-1 (ViaService scoping, positive form)"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Add \"Condition\": {\"StringEquals\": {\"kms:ViaService\":"
                      + " [\"<service>.<region>.amazonaws.com\"], \"kms:CallerAccount\":"
                      + " \"<account-id>\"}} to the usage statement, naming the services the key is"
                      + " for; then put the policy."))
          .addTag("least-privilege")
          .build();

  /** Creates the rule. */
  public UsageWithoutViaService() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  // Usage statements for named principals (not account delegations) without kms:ViaService.
  private static final PolicyDerivation<List<StatementReason>> UNSCOPED =
      (policy, analysis, config) ->
          KeyPolicyFindings.excludingAccountDelegations(analysis.usageWithoutViaService(), policy);

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    String name = context.describe(key);
    Optional<String> purpose = servicePurpose(key, context);
    if (purpose.isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "There is no sign that the purpose of %s is an AWS service: no"
                      + " service resource uses it in the snapshot, its Purpose and Service"
                      + " tags and description name none, and its policy uses no"
                      + " kms:ViaService condition",
                  name)));
    }
    List<Finding> out = new ArrayList<>();
    for (StatementReason r : context.derive(key, UNSCOPED).orElseThrow()) {
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "%s is meant for an AWS service (%s), but %s %s",
                      context.describeCapitalized(key),
                      purpose.get(),
                      KeyPolicyFindings.name(r),
                      r.message()))
              .at(KeyPolicyFindings.location(context, policy, r)));
    }
    if (!out.isEmpty()) {
      return out;
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s is meant for an AWS service (%s), and every statement that"
                    + " gives named principals cryptographic use requires kms:ViaService",
                context.describeCapitalized(key), purpose.get())));
  }

  // The first statement with a kms:ViaService condition, or -1: once per policy text, not per key.
  private static final PolicyDerivation<Integer> VIA_SERVICE_STATEMENT =
      (policy, analysis, config) -> viaServiceStatement(policy);

  static int viaServiceStatement(KeyPolicy policy) {
    for (int i = 0; i < policy.statements().size(); i++) {
      Statement s = policy.statements().get(i);
      for (Condition c : s.conditions()) {
        if (c.key().sameKeyAs("kms:ViaService")) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Returns why the key's purpose is an AWS service, or empty when nothing says so. */
  static Optional<String> servicePurpose(KeySnapshot key, RuleContext context) {
    if (key.resources() != null) {
      Set<String> services = new TreeSet<>();
      for (String r : key.resources()) {
        Arn.tryParse(r)
            .filter(a -> SERVICE_ARNS.contains(a.service()))
            .ifPresent(a -> services.add(a.service()));
      }
      if (!services.isEmpty()) {
        return Optional.of("resources of " + String.join(", ", services) + " use it");
      }
    }
    if (key.tags() != null) {
      for (String tag : List.of("Purpose", "Service")) {
        String v = key.tags().get(tag);
        Set<String> named = v == null ? Set.of() : servicesNamedIn(v);
        if (!named.isEmpty()) {
          return Optional.of("its " + tag + " tag names " + String.join(", ", named));
        }
      }
    }
    Set<String> inDescription = servicesNamedIn(key.metadata().description());
    if (!inDescription.isEmpty()) {
      return Optional.of("its description names " + String.join(", ", inDescription));
    }
    int i = context.derive(key, VIA_SERVICE_STATEMENT).orElseThrow();
    if (i >= 0) {
      return Optional.of("statement #" + i + " of its policy already uses kms:ViaService");
    }
    return Optional.empty();
  }

  // The services named in a text, by text: keys of an account repeat a few descriptions and tags
  // ("orders"), and splitting each into words was a few percent of the engine's time. Emptied
  // when it holds MAX_NAMED texts, so an account of unique texts does not make it grow.
  private static final int MAX_NAMED = 1024;
  private static final Map<String, Set<String>> NAMED = new ConcurrentHashMap<>();

  private static Set<String> servicesNamedIn(String text) {
    Set<String> known = NAMED.get(text);
    if (known != null) {
      return known;
    }
    Set<String> found = Collections.unmodifiableSet(servicesNamedInUncached(text));
    if (NAMED.size() >= MAX_NAMED) {
      NAMED.clear();
    }
    NAMED.put(text, found);
    return found;
  }

  private static Set<String> servicesNamedInUncached(String text) {
    Set<String> out = new TreeSet<>();
    for (String word : Words.lowerCase(text)) {
      String service = SERVICE_WORDS.get(word);
      if (service != null) {
        out.add(service);
      }
    }
    if (Words.lowerCaseJoined(text).contains("secretsmanager")) {
      out.add("secretsmanager");
    }
    return out;
  }
}
