package dev.kmsposture.cli;

import static dev.kmsposture.cli.VerdictCommands.getsIn;
import static dev.kmsposture.cli.VerdictCommands.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.cli.VerdictCommands.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every verdict class of the "sound verdicts" review, and the adversarial cases written after it,
 * as one table: for each, {@code check} (the rule's status on a one-key snapshot), {@code analyze}
 * (the verdict, and KMS's caller check where a caller applies) and {@code evaluate} (the concrete
 * requests that decide it) must give the AWS-correct answer, and so agree with each other.
 *
 * <p>The expected answers come from AWS documentation, not from the commands' output: IAM "Policy
 * evaluation logic" (an explicit Deny wins; a statement applies only when its Principal, Action,
 * Resource and Condition all match), IAM "Condition operators" (an absent key fails a positive
 * operator and passes a negated one or {@code …IfExists}; {@code ForAnyValue:} over an absent key
 * is false, {@code ForAllValues:} true), IAM "NotPrincipal" (a role's sessions are exempt only when
 * the session ARN is listed too), IAM "AWS global condition context keys" ({@code
 * aws:PrincipalIsAWSService} is present, {@code false}, in every request an IAM principal signs;
 * {@code aws:Source…} only with a service principal's), and the KMS API reference (PutKeyPolicy is
 * not a cross-account operation; ScheduleKeyDeletion defaults to a 30-day window; CancelKeyDeletion
 * leaves the key Disabled).
 *
 * <p>A case that is not a policy question (the deletion events) has no {@code analyze} or {@code
 * evaluate} part: only {@code check} judges it.
 */
class VerdictAgreementTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;
  private static final String OTHER_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/another-key";
  private static final String KEY_ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  private static final String ADMIN_SESSION =
      "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice";
  private static final String ROOT = "arn:aws:iam::111122223333:root";
  private static final String CAROL = "arn:aws:iam::111122223333:user/carol";
  private static final String OUTSIDER = "arn:aws:iam::999999999999:root";
  private static final String ORG = "o-a1b2c3d4e5";

  /** Principals of the key's account; a lockout leaves none of them PutKeyPolicy. */
  private static final List<String> ACCOUNT_CALLERS =
      List.of(
          KEY_ADMIN,
          ADMIN_SESSION,
          "arn:aws:sts::111122223333:assumed-role/BreakGlass/bob",
          ROOT,
          CAROL);

  private static final String ADMIN_ALLOW =
      "{\"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
          + KEY_ADMIN
          + "\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
  private static final String ROOT_ALLOW =
      "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
          + ROOT
          + "\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
  private static final String PUBLIC_DECRYPT =
      "{\"Sid\": \"Pub\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:Decrypt\", \"Resource\": \"*\"}";

  @TempDir Path dir;

  // ---- the table -------------------------------------------------------------------------------

  /** The question a case asks, and the rule that answers it in {@code check}. */
  enum Question {
    /** Can a principal outside every account the policy names use the key? */
    PUBLIC("KeyPolicyPublic"),
    /** Is no principal of the key's account allowed kms:PutKeyPolicy any more? */
    LOCKOUT("KeyPolicyLockoutRisk"),
    /** Do unnamed accounts outside the trusted organization get in? */
    UNTRUSTED_ACCOUNTS("CrossAccountAccessUntrusted"),
    /** Do the account's IAM policies decide both administration and use of a production key? */
    ROOT_DELEGATION("RootDelegationOnProductionKey"),
    /** Can someone schedule deletion with a window shorter than 30 days? */
    SHORT_WINDOW_ALLOWED("MinimumDeletionWindowNotEnforced"),
    /** Was deletion scheduled on a key that was not disabled first? */
    SCHEDULED_WITHOUT_DISABLING("DeletionScheduledWithoutDisabling"),
    /** Was deletion scheduled with a window shorter than the minimum? */
    WINDOW_TOO_SHORT("DeletionWindowTooShort");

    final String rule;

    Question(String rule) {
      this.rule = rule;
    }
  }

  /** What {@code evaluate} must decide for one request. */
  enum Outcome {
    /** ALLOWED by the key policy, or left to the caller's IAM policies (the account delegates). */
    GETS_IN,
    /** Refused whatever the caller's IAM policies say (explicitly or implicitly denied). */
    REFUSED
  }

  /** One request for {@code evaluate}, and what AWS decides. */
  record Req(String principal, String action, Map<String, String> context, Outcome expected) {
    static Req of(String principal, String action, Outcome expected) {
      return new Req(principal, action, Map.of(), expected);
    }

    Req with(String key, String value) {
      Map<String, String> c = new java.util.TreeMap<>(context);
      c.put(key, value);
      return new Req(principal, action, c, expected);
    }
  }

  /**
   * One row: the policy (or the key's snapshot fields), the question, the AWS-correct answer (true
   * = the risk holds: public, locked out, untrusted access, delegation, short window allowed, …), a
   * caller for {@code analyze --caller} and whether KMS's check passes for it, and the requests
   * that decide the answer.
   */
  record Case(
      String name,
      Question question,
      boolean holds,
      Optional<String> policy,
      String keyFields,
      Optional<String> config,
      Optional<String> caller,
      boolean callerPasses,
      List<Req> requests) {
    /** A policy question: no snapshot fields, no configuration and no caller beyond defaults. */
    static Case of(String name, Question question, boolean holds, String policy, Req... requests) {
      return new Case(
          name,
          question,
          holds,
          Optional.of(policy),
          "{}",
          Optional.empty(),
          Optional.empty(),
          false,
          List.of(requests));
    }

    /** This case with {@code check --config} given {@code yaml}. */
    Case config(String yaml) {
      return new Case(
          name,
          question,
          holds,
          policy,
          keyFields,
          Optional.of(yaml),
          caller,
          callerPasses,
          requests);
    }

    /** This case with {@code analyze --caller}, and whether KMS's check passes for the caller. */
    Case caller(String principal, boolean passes) {
      return new Case(
          name,
          question,
          holds,
          policy,
          keyFields,
          config,
          Optional.of(principal),
          passes,
          requests);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static String policy(String... statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
  }

  private static Case publicCase(String name, boolean holds, String policy, Req... requests) {
    return Case.of(name, Question.PUBLIC, holds, policy, requests);
  }

  private static Case lockout(String name, boolean holds, String policy, String caller) {
    return lockout(name, holds, policy, caller, !holds);
  }

  private static Case lockout(
      String name, boolean holds, String policy, String caller, boolean callerPasses) {
    List<Req> requests = new ArrayList<>();
    if (holds) {
      // Locked out: every principal of the account is refused PutKeyPolicy.
      for (String p : ACCOUNT_CALLERS) {
        requests.add(Req.of(p, "kms:PutKeyPolicy", Outcome.REFUSED));
      }
    } else {
      requests.add(Req.of(caller, "kms:PutKeyPolicy", Outcome.GETS_IN));
    }
    return Case.of(name, Question.LOCKOUT, holds, policy, requests.toArray(Req[]::new))
        .caller(caller, callerPasses);
  }

  private static Case window(String name, boolean holds, String policy, Req... requests) {
    return Case.of(name, Question.SHORT_WINDOW_ALLOWED, holds, policy, requests);
  }

  private static Case events(String name, Question q, boolean holds, String keyFields) {
    return new Case(
        name,
        q,
        holds,
        Optional.empty(),
        keyFields,
        Optional.empty(),
        Optional.empty(),
        false,
        List.of());
  }

  private static Req shortWindow(String principal, Outcome expected) {
    return Req.of(principal, "kms:ScheduleKeyDeletion", expected)
        .with("kms:ScheduleKeyDeletionPendingWindowInDays", "7");
  }

  static Stream<Case> cases() {
    String denyPut = "\"Effect\": \"Deny\", \"Action\": \"kms:PutKeyPolicy\", \"Resource\": \"*\"";
    return Stream.of(
        // ---- the four false PASSes of the issue
        lockout(
            "lockout: conditional Deny exempting only a principal without an Allow",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"OnlyBG\", \"Principal\": \"*\", "
                    + denyPut
                    + ", \"Condition\": {\"ArnNotEquals\": {\"aws:PrincipalArn\":"
                    + " \"arn:aws:iam::111122223333:role/BreakGlass\"}}}"),
            KEY_ADMIN),
        lockout(
            "lockout: Deny to the account principal",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"NoChanges\", \"Principal\": {\"AWS\": \"111122223333\"}, "
                    + denyPut
                    + "}"),
            KEY_ADMIN),
        lockout(
            "lockout: NotPrincipal Deny listing only the role ARN",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"OnlyAdmin\", \"NotPrincipal\": {\"AWS\": \""
                    + KEY_ADMIN
                    + "\"}, "
                    + denyPut
                    + "}"),
            KEY_ADMIN),
        publicCase(
            "public: guard Deny whose Resource is another key",
            true,
            policy(
                ROOT_ALLOW,
                PUBLIC_DECRYPT,
                "{\"Sid\": \"OrgOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:*\", \"Resource\": \""
                    + OTHER_KEY_ARN
                    + "\", \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalOrgID\": \""
                    + ORG
                    + "\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.GETS_IN)),
        // ---- the other verdict classes of the issue
        Case.of(
            "root delegation split over two statements",
            Question.ROOT_DELEGATION,
            true,
            policy(
                "{\"Sid\": \"RootAdmin\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
                    + ROOT
                    + "\"}, \"Action\": [\"kms:PutKeyPolicy\", \"kms:ScheduleKeyDeletion\","
                    + " \"kms:Describe*\"], \"Resource\": \"*\"}",
                "{\"Sid\": \"RootUse\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                    + " \"111122223333\"}, \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\","
                    + " \"kms:GenerateDataKey*\"], \"Resource\": \"*\"}"),
            Req.of(CAROL, "kms:PutKeyPolicy", Outcome.GETS_IN),
            Req.of(CAROL, "kms:Decrypt", Outcome.GETS_IN)),
        window(
            "minimum-window Deny with an extra condition",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"MinWindow\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:ScheduleKeyDeletion\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"NumericLessThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\":"
                    + " \"30\"}, \"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}}"),
            // carol has no team tag: the Deny does not apply to her
            shortWindow(CAROL, Outcome.GETS_IN)),
        window(
            "minimum-window Deny scoped to one principal",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"MinWindow\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\": \""
                    + KEY_ADMIN
                    + "\"}, \"Action\": \"kms:ScheduleKeyDeletion\", \"Resource\": \"*\","
                    + " \"Condition\": {\"NumericLessThan\":"
                    + " {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"}}}"),
            shortWindow(CAROL, Outcome.GETS_IN),
            shortWindow(ADMIN_SESSION, Outcome.REFUSED)),
        window(
            "minimum-window Deny for everyone (control)",
            false,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"MinWindow\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:ScheduleKeyDeletion\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"NumericLessThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\":"
                    + " \"30\"}}}"),
            shortWindow(CAROL, Outcome.REFUSED),
            shortWindow(ROOT, Outcome.REFUSED)),
        events(
            "deletion scheduled, cancelled (key Disabled), rescheduled after a long disabled time",
            Question.SCHEDULED_WITHOUT_DISABLING,
            false,
            "{\"metadata\": {\"keyState\": \"PendingDeletion\", \"deletionDate\":"
                + " \"2026-06-20T00:00:00Z\"}, \"keyEvents\": ["
                + "{\"time\": \"2026-02-01T00:00:00Z\", \"eventName\": \"ScheduleKeyDeletion\","
                + " \"pendingWindowInDays\": 30},"
                + "{\"time\": \"2026-02-10T00:00:00Z\", \"eventName\": \"CancelKeyDeletion\"},"
                + "{\"time\": \"2026-05-21T00:00:00Z\", \"eventName\": \"ScheduleKeyDeletion\","
                + " \"pendingWindowInDays\": 30}]}"),
        events(
            "deletion scheduled with the window omitted (30-day default)",
            Question.WINDOW_TOO_SHORT,
            false,
            "{\"metadata\": {\"keyState\": \"PendingDeletion\", \"deletionDate\":"
                + " \"2026-06-20T00:00:00Z\"}, \"keyEvents\": ["
                + "{\"time\": \"2026-05-21T00:00:00Z\", \"eventName\":"
                + " \"ScheduleKeyDeletion\"}]}"),
        Case.of(
            "wildcard narrowed by aws:SourceArn pinned to the key's own account",
            Question.PUBLIC,
            false,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Trails\", \"Effect\": \"Allow\", \"Principal\": \"*\","
                    + " \"Action\": \"kms:GenerateDataKey*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"ArnLike\": {\"aws:SourceArn\":"
                    + " \"arn:aws:cloudtrail:*:111122223333:trail/*\"}}}"),
            Req.of(OUTSIDER, "kms:GenerateDataKey", Outcome.REFUSED),
            Req.of("cloudtrail.amazonaws.com", "kms:GenerateDataKey", Outcome.REFUSED)
                .with("aws:SourceArn", "arn:aws:cloudtrail:us-east-1:999999999999:trail/x"),
            Req.of("cloudtrail.amazonaws.com", "kms:GenerateDataKey", Outcome.GETS_IN)
                .with("aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/x")),
        Case.of(
                "wildcard guarded by a Deny outside a trusted organization",
                Question.UNTRUSTED_ACCOUNTS,
                false,
                policy(
                    ROOT_ALLOW,
                    PUBLIC_DECRYPT,
                    "{\"Sid\": \"OutsideOrg\", \"Effect\": \"Deny\", \"Principal\": \"*\","
                        + " \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\":"
                        + " {\"StringNotEquals\": {\"aws:PrincipalOrgID\": \""
                        + ORG
                        + "\"}}}"),
                Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED),
                Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED)
                    .with("aws:PrincipalOrgID", "o-zzzzzzzzzz"),
                Req.of(OUTSIDER, "kms:Decrypt", Outcome.GETS_IN).with("aws:PrincipalOrgID", ORG))
            .config("trustedOrganizations: ['" + ORG + "']\n"),
        // ---- adversarial cases (condition operators, NotAction, NotResource, derived keys)
        lockout(
            "lockout: Deny on aws:PrincipalIsAWSService false (every IAM caller)",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"NoIam\", \"Principal\": \"*\", "
                    + denyPut
                    + ", \"Condition\": {\"Bool\": {\"aws:PrincipalIsAWSService\":"
                    + " \"false\"}}}"),
            KEY_ADMIN),
        lockout(
            "lockout: Deny with NotAction that leaves out only use",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"UseOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\","
                    + " \"NotAction\": [\"kms:Encrypt\", \"kms:Decrypt\"], \"Resource\": \"*\"}"),
            KEY_ADMIN),
        lockout(
            "lockout: Deny with NotResource naming this key does not apply",
            false,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"Elsewhere\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:PutKeyPolicy\", \"NotResource\": \""
                    + KEY_ARN
                    + "\"}"),
            KEY_ADMIN),
        lockout(
            "lockout: Deny with NotResource naming another key applies",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"Here\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:PutKeyPolicy\", \"NotResource\": \""
                    + OTHER_KEY_ARN
                    + "\"}"),
            KEY_ADMIN),
        lockout(
            "lockout: Deny of kms:Put* to the account root ARN",
            true,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"NoPut\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\": \""
                    + ROOT
                    + "\"}, \"Action\": \"kms:Put*\", \"Resource\": \"*\"}"),
            KEY_ADMIN),
        lockout(
            "lockout: NotPrincipal Deny listing the role, one session and the account",
            false,
            policy(
                ADMIN_ALLOW,
                "{\"Sid\": \"OnlyOps\", \"NotPrincipal\": {\"AWS\": [\""
                    + KEY_ADMIN
                    + "\", \"arn:aws:sts::111122223333:assumed-role/KeyAdmin/ops\","
                    + " \"111122223333\"]}, "
                    + denyPut
                    + "}"),
            "arn:aws:sts::111122223333:assumed-role/KeyAdmin/ops"),
        publicCase(
            "public: aws:PrincipalArn pattern with a wildcard in the account id",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Near\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"},"
                    + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::1111222233*\"}}}"),
            Req.of("arn:aws:iam::111122223344:root", "kms:Decrypt", Outcome.GETS_IN),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED)),
        publicCase(
            "public: kms:CallerAccount pattern with a ? in the account id",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Near\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"},"
                    + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"StringLike\": {\"kms:CallerAccount\": \"11112222333?\"}}}"),
            Req.of("arn:aws:iam::111122223334:root", "kms:Decrypt", Outcome.GETS_IN)),
        publicCase(
            "public: Deny outside an account pattern lets in the pattern's other accounts",
            true,
            policy(
                ROOT_ALLOW,
                PUBLIC_DECRYPT,
                "{\"Sid\": \"Near\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:*\", \"Resource\": \"*\", \"Condition\": {\"StringNotLike\":"
                    + " {\"aws:PrincipalAccount\": \"1111222233*\"}}}"),
            Req.of("arn:aws:iam::111122223344:root", "kms:Decrypt", Outcome.GETS_IN),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED)),
        publicCase(
            "public: Allow whose NotResource is this key",
            false,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Pub\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:Decrypt\", \"NotResource\": \""
                    + KEY_ARN
                    + "\"}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED)),
        publicCase(
            "public: ForAnyValue:StringNotLike Deny on aws:PrincipalOrgPaths misses callers outside"
                + " any organization",
            true,
            policy(
                ROOT_ALLOW,
                PUBLIC_DECRYPT,
                "{\"Sid\": \"Paths\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:*\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"ForAnyValue:StringNotLike\": {\"aws:PrincipalOrgPaths\": \""
                    + ORG
                    + "/*\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.GETS_IN)),
        publicCase(
            "public: ForAllValues:StringLike Allow on aws:PrincipalOrgPaths holds for an absent"
                + " key",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Paths\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"ForAllValues:StringLike\": {\"aws:PrincipalOrgPaths\": \""
                    + ORG
                    + "/*\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.GETS_IN)),
        publicCase(
            "public: StringNotEqualsIfExists Deny on aws:PrincipalOrgID keeps out callers without"
                + " an organization",
            false,
            policy(
                ROOT_ALLOW,
                PUBLIC_DECRYPT,
                "{\"Sid\": \"Org\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:*\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"StringNotEqualsIfExists\": {\"aws:PrincipalOrgID\": \""
                    + ORG
                    + "\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED),
            Req.of("logs.us-east-1.amazonaws.com", "kms:Decrypt", Outcome.REFUSED)),
        publicCase(
            "public: kms:ViaService with kms:CallerAccount of the key's account",
            false,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"ViaS3\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"},"
                    + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\":"
                    + " {\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\","
                    + " \"kms:CallerAccount\": \"111122223333\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED)
                .with("kms:ViaService", "s3.us-east-1.amazonaws.com"),
            Req.of(CAROL, "kms:Decrypt", Outcome.GETS_IN)
                .with("kms:ViaService", "s3.us-east-1.amazonaws.com")),
        publicCase(
            "public: Allow to \"*\" only for aws:PrincipalIsAWSService true lets in any service",
            true,
            policy(
                ROOT_ALLOW,
                "{\"Sid\": \"Services\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"Bool\":"
                    + " {\"aws:PrincipalIsAWSService\": \"true\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED),
            Req.of("logs.us-east-1.amazonaws.com", "kms:Decrypt", Outcome.GETS_IN)),
        publicCase(
            "public: Deny outside the organization for IAM callers only leaves services in",
            true,
            policy(
                ROOT_ALLOW,
                PUBLIC_DECRYPT,
                "{\"Sid\": \"Perimeter\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                    + " \"kms:*\", \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\":"
                    + " {\"aws:PrincipalOrgID\": \""
                    + ORG
                    + "\"}, \"Bool\": {\"aws:PrincipalIsAWSService\": \"false\"}}}"),
            Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED),
            Req.of("logs.us-east-1.amazonaws.com", "kms:Decrypt", Outcome.GETS_IN)));
  }

  // ---- the assertions
  // ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checkAnalyzeAndEvaluateGiveTheAwsVerdict(Case c) throws IOException {
    // check: the rule's status on a one-key snapshot
    String status = check(c);
    assertThat(status).as("check, %s", c.question().rule).isEqualTo(c.holds() ? "FAIL" : "PASS");

    // evaluate: the requests that decide the verdict
    if (c.policy().isPresent()) {
      List<JsonNode> decisions = evaluate(c.policy().get(), c.requests());
      for (int i = 0; i < decisions.size(); i++) {
        Req r = c.requests().get(i);
        assertThat(getsIn(decisions.get(i)) ? Outcome.GETS_IN : Outcome.REFUSED)
            .as("evaluate %s %s %s: %s", r.principal(), r.action(), r.context(), decisions.get(i))
            .isEqualTo(r.expected());
      }
      // analyze: the same verdict, and KMS's caller check where a caller applies
      JsonNode analyzed = analyze(c);
      assertAnalyze(c, analyzed);
    }
  }

  private static void assertAnalyze(Case c, JsonNode a) {
    switch (c.question()) {
      case PUBLIC -> {
        assertThat(a.get("publicVerdict").asText())
            .as("analyze publicVerdict")
            .isEqualTo(c.holds() ? "PUBLIC" : "NOT_PUBLIC");
        if (c.holds()) {
          assertThat(a.has("publicWitness")).as("analyze shows the witness").isTrue();
        }
      }
      case LOCKOUT -> {
        assertThat(a.get("lockoutVerdict").asText())
            .as("analyze lockoutVerdict")
            .isEqualTo(c.holds() ? "LOCKED_OUT" : "NOT_LOCKED_OUT");
        assertThat(a.get("callerCheck").get("verdict").asText())
            .as("analyze --caller %s", c.caller().orElseThrow())
            .isEqualTo(c.callerPasses() ? "PASSES" : "FAILS");
      }
      case UNTRUSTED_ACCOUNTS -> {
        // Not public: only members of the organization get in (the rule trusts it).
        assertThat(a.get("publicVerdict").asText()).isEqualTo("NOT_PUBLIC");
        assertThat(a.get("crossAccount").asBoolean()).isTrue();
      }
      case ROOT_DELEGATION -> {
        List<String> both = new ArrayList<>();
        for (JsonNode p : a.get("separationOfDuties").get("adminsWhoCanUse")) {
          both.add(p.get("principal").asText());
        }
        assertThat(both)
            .as("analyze: administrators who can also use the key")
            .anyMatch(p -> p.contains(ACCOUNT));
      }
      case SHORT_WINDOW_ALLOWED -> {
        // analyze has no deletion-window verdict; evaluate decides the requests above.
      }
      default -> throw new IllegalStateException("no policy question: " + c.question());
    }
  }

  /**
   * {@code analyze --diff}: a new statement whose Resource is this key's ARN is new access on this
   * key ({@code evaluate} lets another account in), found when the key's ARN is given; without it,
   * the diff cannot tell which key the Resource names and says "possibly", never "none".
   */
  @org.junit.jupiter.api.Test
  void analyzeDiff_newStatementOnThisKeysArn_isNewAccess() throws IOException {
    String before = policy(ROOT_ALLOW);
    String after =
        policy(
            ROOT_ALLOW,
            "{\"Sid\": \"Pub\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:Decrypt\", \"Resource\": \""
                + KEY_ARN
                + "\"}");
    Path old = dir.resolve("old.json");
    Files.writeString(old, before);
    Path file = dir.resolve("new.json");
    Files.writeString(file, after);
    String[] common = {
      "--policy",
      file.toString(),
      "--account",
      ACCOUNT,
      "--diff",
      old.toString(),
      "--format",
      "json"
    };

    List<String> withArn = new ArrayList<>(List.of(common));
    withArn.addAll(List.of("--key-arn", KEY_ARN));
    Run exact = run(new CommandLine(new AnalyzeCommand()), withArn.toArray(String[]::new));
    Run unknownKey = run(new CommandLine(new AnalyzeCommand()), common);

    JsonNode d = JSON.readTree(exact.out()).get("diff");
    assertThat(d.get("grantsNewAccess").asBoolean()).as(exact.out()).isTrue();
    assertThat(exact.code()).isEqualTo(ExitCode.FINDINGS);
    JsonNode u = JSON.readTree(unknownKey.out()).get("diff");
    assertThat(u.get("grantsNewAccess").asBoolean() || !u.get("exhaustive").asBoolean())
        .as("without the key's ARN: new access, or possibly; never an exhaustive none: %s", u)
        .isTrue();
    assertThat(evaluate(before, List.of(Req.of(OUTSIDER, "kms:Decrypt", Outcome.REFUSED))))
        .allSatisfy(x -> assertThat(getsIn(x)).isFalse());
    assertThat(evaluate(after, List.of(Req.of(OUTSIDER, "kms:Decrypt", Outcome.GETS_IN))))
        .allSatisfy(x -> assertThat(getsIn(x)).isTrue());
  }

  // ---- running the commands in-process ---------------------------------------------------------

  private String check(Case c) throws IOException {
    ObjectNode key =
        (ObjectNode)
            JSON.readTree(
                "{\"arn\": \""
                    + KEY_ARN
                    + "\", \"keyId\": \""
                    + KEY_ID
                    + "\", \"region\": \"us-east-1\", \"metadata\": {\"keyManager\":"
                    + " \"CUSTOMER\", \"keySpec\": \"SYMMETRIC_DEFAULT\", \"keyUsage\":"
                    + " \"ENCRYPT_DECRYPT\", \"origin\": \"AWS_KMS\", \"keyState\": \"Enabled\","
                    + " \"creationDate\": \"2025-01-15T10:00:00Z\", \"description\": \"prod"
                    + " orders\"}, \"aliases\": [\"alias/prod-orders\"]}");
    ObjectNode fields = (ObjectNode) JSON.readTree(c.keyFields());
    if (fields.has("metadata")) {
      ((ObjectNode) key.get("metadata")).setAll((ObjectNode) fields.remove("metadata"));
    }
    key.setAll(fields);
    c.policy().ifPresent(p -> key.put("policy", p));
    Path snapshot = dir.resolve("snapshot.json");
    Files.writeString(
        snapshot,
        "{\"schemaVersion\": 1, \"account\": \""
            + ACCOUNT
            + "\", \"partition\": \"aws\", \"regions\": [\"us-east-1\"], \"capturedAt\":"
            + " \"2026-06-01T00:00:00Z\", \"keys\": ["
            + JSON.writeValueAsString(key)
            + "]}");
    List<String> args = new ArrayList<>(List.of(snapshot.toString(), "--format", "json"));
    if (c.config().isPresent()) {
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, c.config().get());
      args.addAll(List.of("--config", config.toString()));
    }
    Run run = run(new CommandLine(new CheckCommand()), args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    List<String> statuses = new ArrayList<>();
    for (JsonNode f : JSON.readTree(run.out()).get("findings")) {
      if (f.get("ruleId").asText().equals(c.question().rule)) {
        statuses.add(f.get("status").asText());
        if (c.question() == Question.WINDOW_TOO_SHORT) {
          // the default window, read from the deletion date
          assertThat(f.get("message").asText()).contains("30");
        }
      }
    }
    assertThat(statuses).as("findings of %s", c.question().rule).isNotEmpty();
    return statuses.contains("FAIL") ? "FAIL" : statuses.get(0);
  }

  private JsonNode analyze(Case c) throws IOException {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, c.policy().orElseThrow());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--policy",
                file.toString(),
                "--account",
                ACCOUNT,
                "--key-arn",
                KEY_ARN,
                "--format",
                "json",
                "--fail-on",
                "none"));
    c.caller().ifPresent(caller -> args.addAll(List.of("--caller", caller)));
    Run run = run(new CommandLine(new AnalyzeCommand()), args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    return JSON.readTree(run.out());
  }

  private List<JsonNode> evaluate(String policy, List<Req> requests) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Req r : requests) {
      lines.add(VerdictCommands.request(r.principal(), r.action(), r.context()));
    }
    return VerdictCommands.evaluate(dir, KEY_ARN, policy, lines);
  }
}
