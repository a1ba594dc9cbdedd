package dev.kmsposture.access;

import static java.util.Objects.requireNonNull;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * QuickTheories generators of key policies and requests for the soundness properties: the shapes
 * that once fooled the access verdicts (conditional Denies on {@code aws:PrincipalArn}, {@code
 * aws:PrincipalAccount} and {@code aws:PrincipalOrgID}, Denies on account principals, {@code
 * NotPrincipal} Denies, Allows and Denies whose {@code Resource} is this key, another key or {@code
 * *}, statements split over one principal, partial wildcards), counted as they are made.
 */
final class SoundnessPolicies {
  static final String KEY_ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String FRESH_ACCOUNT = "999999999999";
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:" + KEY_ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String OTHER_KEY_ARN =
      "arn:aws:kms:us-east-1:" + KEY_ACCOUNT + ":key/99999999-12ab-34cd-56ef-1234567890ab";

  /** The shapes the generator counts. */
  enum Shape {
    CONDITIONAL_DENY,
    ACCOUNT_DENY,
    NOT_PRINCIPAL_DENY,
    RESOURCE_THIS_KEY,
    RESOURCE_OTHER_KEY,
    SPLIT_STATEMENTS,
    PARTIAL_WILDCARD,
    WILDCARD_ALLOW,
    POLICIES
  }

  private final Map<Shape, AtomicInteger> counts = new EnumMap<>(Shape.class);

  SoundnessPolicies() {
    for (Shape s : Shape.values()) {
      counts.put(s, new AtomicInteger());
    }
  }

  /** Returns how many policies of each shape were made so far. */
  int count(Shape shape) {
    return requireNonNull(counts.get(shape)).get();
  }

  private void saw(Shape shape) {
    requireNonNull(counts.get(shape)).incrementAndGet();
  }

  private static int pick(RandomnessSource in, int n) {
    return (int) in.next(Constraint.between(0, n - 1));
  }

  private static <T> T pick(RandomnessSource in, List<T> options) {
    return options.get(pick(in, options.size()));
  }

  private static final List<String> ALLOW_PRINCIPALS =
      List.of(
          "\"Principal\": \"*\"",
          "\"Principal\": {\"AWS\": \"*\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":root\"}",
          "\"Principal\": {\"AWS\": \"" + KEY_ACCOUNT + "\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/app\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":user/alice\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + OTHER_ACCOUNT + ":root\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/app-*\"}",
          "\"Principal\": {\"Service\": \"logs.us-east-1.amazonaws.com\"}",
          "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin\"}");

  private static final List<String> DENY_PRINCIPALS =
      List.of(
          "\"Principal\": \"*\"",
          "\"Principal\": \"*\"",
          "\"Principal\": {\"AWS\": \"" + KEY_ACCOUNT + "\"}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":root\"}",
          "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin\"}",
          "\"NotPrincipal\": {\"AWS\": [\"arn:aws:iam::"
              + KEY_ACCOUNT
              + ":role/KeyAdmin\", \"arn:aws:sts::"
              + KEY_ACCOUNT
              + ":assumed-role/KeyAdmin/s1\"]}",
          "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin\"}");

  private static final List<String> ACTIONS =
      List.of(
          "\"Action\": \"kms:*\"",
          "\"Action\": \"kms:PutKeyPolicy\"",
          "\"Action\": \"kms:Decrypt\"",
          "\"Action\": [\"kms:Decrypt\", \"kms:Encrypt\"]",
          "\"Action\": \"kms:ScheduleKeyDeletion\"",
          "\"Action\": \"kms:Describe*\"",
          "\"NotAction\": \"kms:Decrypt\"");

  private static final List<String> ALLOW_CONDITIONS =
      List.of(
          "",
          "",
          "",
          "\"StringEquals\": {\"kms:CallerAccount\": \"" + KEY_ACCOUNT + "\"}",
          "\"StringEquals\": {\"kms:CallerAccount\": \"" + OTHER_ACCOUNT + "\"}",
          "\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}",
          "\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:cloudtrail:*:" + KEY_ACCOUNT + ":trail/*\"}",
          "\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}",
          "\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}",
          "\"DateLessThan\": {\"aws:CurrentTime\": \"2020-01-01T00:00:00Z\"}",
          "\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::"
              + KEY_ACCOUNT
              + ":role/BreakGlass\"}",
          "\"NumericGreaterThanEquals\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"}");

  // Index 0..4 are the conditional Denies the counts call CONDITIONAL_DENY.
  private static final List<String> DENY_CONDITIONS =
      List.of(
          "\"ArnNotEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::"
              + KEY_ACCOUNT
              + ":role/BreakGlass\"}",
          "\"ArnNotEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::"
              + KEY_ACCOUNT
              + ":role/KeyAdmin\"}",
          "\"StringNotEquals\": {\"aws:PrincipalAccount\": \"" + KEY_ACCOUNT + "\"}",
          "\"StringNotEquals\": {\"aws:PrincipalAccount\": \"" + OTHER_ACCOUNT + "\"}",
          "\"StringNotEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}",
          "",
          "",
          "\"Bool\": {\"kms:BypassPolicyLockoutSafetyCheck\": \"true\"}",
          "\"Bool\": {\"aws:SecureTransport\": \"false\"}",
          "\"NumericLessThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"}",
          "\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}",
          "\"NumericLessThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"},"
              + " \"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}");

  private static String statement(
      String effect, String principal, String action, String resource, String condition) {
    return "{\"Effect\": \""
        + effect
        + "\", "
        + principal
        + ", "
        + action
        + ", \"Resource\": "
        + resource
        + (condition.isEmpty() ? "" : ", \"Condition\": {" + condition + "}")
        + "}";
  }

  private String resource(RandomnessSource in, boolean[] seen) {
    int r = pick(in, 10);
    if (r < 6) {
      return "\"*\"";
    }
    if (r < 8) {
      seen[0] = true;
      return "\"" + KEY_ARN + "\"";
    }
    seen[1] = true;
    return "\"" + OTHER_KEY_ARN + "\"";
  }

  /** Key policies of one to four statements, plus sometimes a split pair. */
  Gen<KeyPolicy> policies() {
    return in -> {
      List<String> statements = new ArrayList<>();
      boolean[] resources = new boolean[2];
      boolean conditionalDeny = false;
      boolean accountDeny = false;
      boolean notPrincipalDeny = false;
      boolean partial = false;
      boolean wildcard = false;
      int n = 1 + pick(in, 4);
      for (int i = 0; i < n; i++) {
        boolean deny = pick(in, 100) < 40;
        String action = pick(in, ACTIONS);
        String resource = resource(in, resources);
        if (deny) {
          String principal = pick(in, DENY_PRINCIPALS);
          int c = pick(in, DENY_CONDITIONS.size());
          conditionalDeny |= c <= 4;
          accountDeny |=
              principal.contains("\"" + KEY_ACCOUNT + "\"") || principal.contains(":root");
          notPrincipalDeny |= principal.startsWith("\"NotPrincipal");
          statements.add(statement("Deny", principal, action, resource, DENY_CONDITIONS.get(c)));
        } else {
          String principal = pick(in, ALLOW_PRINCIPALS);
          partial |= principal.contains("::*:") || principal.contains("app-*");
          wildcard |= principal.contains("\"*\"") || principal.startsWith("\"NotPrincipal");
          statements.add(
              statement("Allow", principal, action, resource, pick(in, ALLOW_CONDITIONS)));
        }
      }
      boolean split = pick(in, 100) < 20;
      if (split) {
        String principal =
            pick(
                in,
                List.of(
                    "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":root\"}",
                    "\"Principal\": {\"AWS\": \"arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin\"}",
                    "\"Principal\": \"*\""));
        statements.add(
            statement("Allow", principal, "\"Action\": \"kms:PutKeyPolicy\"", "\"*\"", ""));
        statements.add(
            statement(
                "Allow",
                principal,
                "\"Action\": [\"kms:Decrypt\", \"kms:ScheduleKeyDeletion\"]",
                "\"*\"",
                pick(in, ALLOW_CONDITIONS)));
      }
      saw(Shape.POLICIES);
      if (conditionalDeny) {
        saw(Shape.CONDITIONAL_DENY);
      }
      if (accountDeny) {
        saw(Shape.ACCOUNT_DENY);
      }
      if (notPrincipalDeny) {
        saw(Shape.NOT_PRINCIPAL_DENY);
      }
      if (resources[0]) {
        saw(Shape.RESOURCE_THIS_KEY);
      }
      if (resources[1]) {
        saw(Shape.RESOURCE_OTHER_KEY);
      }
      if (split) {
        saw(Shape.SPLIT_STATEMENTS);
      }
      if (partial) {
        saw(Shape.PARTIAL_WILDCARD);
      }
      if (wildcard) {
        saw(Shape.WILDCARD_ALLOW);
      }
      return KeyPolicy.parse(
          "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
    };
  }

  /** Principals of the key's account, as requests take them (a session with its role path). */
  static final List<String> KEY_ACCOUNT_CALLERS =
      List.of(
          "arn:aws:iam::" + KEY_ACCOUNT + ":root",
          "arn:aws:iam::" + KEY_ACCOUNT + ":role/KeyAdmin",
          "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/KeyAdmin/s1",
          "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/KeyAdmin/s2",
          "arn:aws:iam::" + KEY_ACCOUNT + ":role/BreakGlass",
          "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/BreakGlass/s1",
          "arn:aws:iam::" + KEY_ACCOUNT + ":role/app",
          "arn:aws:iam::" + KEY_ACCOUNT + ":role/app-7",
          "arn:aws:iam::" + KEY_ACCOUNT + ":user/alice",
          "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/other/s1",
          "arn:aws:sts::" + KEY_ACCOUNT + ":federated-user/carol");

  /** Principals of accounts the generated policies do not name, and anonymous. */
  static final List<String> OUTSIDERS =
      List.of(
          "arn:aws:iam::" + FRESH_ACCOUNT + ":root",
          "arn:aws:iam::" + FRESH_ACCOUNT + ":role/x",
          "arn:aws:sts::" + FRESH_ACCOUNT + ":assumed-role/x/s1",
          "arn:aws:iam::" + FRESH_ACCOUNT + ":user/bob",
          "arn:aws:sts::" + FRESH_ACCOUNT + ":federated-user/dave",
          "other.amazonaws.com",
          AccessRequest.ANONYMOUS);

  /** Principals of another account the generated policies name. */
  static final List<String> OTHER_ACCOUNT_CALLERS =
      List.of(
          "arn:aws:iam::" + OTHER_ACCOUNT + ":root",
          "arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner",
          "arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/partner/s1");

  /** Context entries that carry nothing a generated policy names about the caller. */
  private static final List<String[]> OUTSIDER_CONTEXT =
      List.of(
          new String[] {"kms:ViaService", "s3.us-east-1.amazonaws.com"},
          new String[] {"kms:EncryptionContext:app", "demo"},
          new String[] {"aws:PrincipalTag/team", "ops"},
          new String[] {"aws:SecureTransport", "true"},
          new String[] {"aws:CurrentTime", "2019-06-01T00:00:00Z"},
          new String[] {"aws:CurrentTime", "2030-06-01T00:00:00Z"},
          new String[] {"kms:BypassPolicyLockoutSafetyCheck", "false"},
          new String[] {"kms:BypassPolicyLockoutSafetyCheck", "true"},
          new String[] {"aws:PrincipalOrgID", "o-zzzzzzzzzz"},
          new String[] {"aws:SourceIp", "203.0.113.9"},
          new String[] {"aws:SourceArn", "arn:aws:cloudtrail:us-east-1:999999999999:trail/x"});

  /**
   * Context entries a principal of another account can carry: it can be in the organization the
   * policies name and call from the network they name, but a source ARN names the account of the
   * resource a service acts for, never the key's account for a caller of another account (IAM,
   * "aws:SourceArn": present only when a service principal acts for a resource).
   */
  private static final List<String[]> OTHER_ACCOUNT_CONTEXT;

  /** Context entries that may carry values the policies name (any caller can be in o-a1b2…). */
  private static final List<String[]> ANY_CONTEXT;

  static {
    List<String[]> other = new ArrayList<>(OUTSIDER_CONTEXT);
    other.add(new String[] {"aws:PrincipalOrgID", "o-a1b2c3d4e5"});
    other.add(new String[] {"aws:SourceIp", "10.1.2.3"});
    OTHER_ACCOUNT_CONTEXT = List.copyOf(other);
    List<String[]> any = new ArrayList<>(other);
    any.add(new String[] {"aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"});
    ANY_CONTEXT = List.copyOf(any);
  }

  private static final List<KmsAction> ACTIONS_REQUESTED =
      List.of(
          KmsAction.DECRYPT,
          KmsAction.ENCRYPT,
          KmsAction.PUT_KEY_POLICY,
          KmsAction.SCHEDULE_KEY_DELETION,
          KmsAction.DESCRIBE_KEY,
          KmsAction.CREATE_GRANT);

  /** Returns a request builder for {@code principal} (a session with the root path). */
  static AccessRequest.Builder caller(String principal) {
    AccessRequest.Builder b = AccessRequest.builder().principal(principal).resource(KEY_ARN);
    return principal.contains(":assumed-role/") ? b.rolePath("/") : b;
  }

  private static Gen<AccessRequest> requests(
      List<String> principals, List<KmsAction> actions, List<String[]> context, String window) {
    return in -> {
      String principal = pick(in, principals);
      AccessRequest.Builder b = caller(principal).action(pick(in, actions));
      // Requests AWS sends: the aws:Source… keys come only with a service principal's request
      // (IAM "AWS global condition context keys"), as the analysis reads them.
      boolean service = !principal.startsWith("arn:") && principal.indexOf('.') > 0;
      int k = pick(in, 4);
      for (int i = 0; i < k; i++) {
        String[] e = pick(in, context);
        if (service || !ContextKeys.SERVICE_ONLY.contains(ContextKeys.lower(e[0]))) {
          b.putContext(e[0], e[1]);
        }
      }
      if (!window.isEmpty()) {
        b.putContext("kms:ScheduleKeyDeletionPendingWindowInDays", window);
      }
      return b.build();
    };
  }

  /** Lists of {@code size} requests. */
  static Gen<List<AccessRequest>> lists(Gen<AccessRequest> one, int size) {
    return in -> {
      List<AccessRequest> out = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        out.add(one.generate(in));
      }
      return out;
    };
  }

  /** Requests of principals the policy does not name, with context that names nothing. */
  static Gen<AccessRequest> outsiderRequests() {
    return requests(OUTSIDERS, ACTIONS_REQUESTED, OUTSIDER_CONTEXT, "");
  }

  /** PutKeyPolicy requests of principals of the key's account, any context. */
  static Gen<AccessRequest> putKeyPolicyRequests() {
    return requests(KEY_ACCOUNT_CALLERS, List.of(KmsAction.PUT_KEY_POLICY), ANY_CONTEXT, "");
  }

  /** Requests of principals of other accounts, named or not, with context they can carry. */
  static Gen<AccessRequest> otherAccountRequests() {
    List<String> all = new ArrayList<>(OTHER_ACCOUNT_CALLERS);
    all.addAll(OUTSIDERS.subList(0, 4));
    return requests(all, ACTIONS_REQUESTED, OTHER_ACCOUNT_CONTEXT, "");
  }

  /** Requests of anyone (every kind of caller), for any requested action, with any context. */
  static Gen<AccessRequest> anyRequests() {
    List<String> all = new ArrayList<>(KEY_ACCOUNT_CALLERS);
    all.addAll(OTHER_ACCOUNT_CALLERS);
    all.addAll(OUTSIDERS);
    List<KmsAction> actions = new ArrayList<>(ACTIONS_REQUESTED);
    actions.add(KmsAction.PUT_KEY_POLICY);
    actions.add(KmsAction.CANCEL_KEY_DELETION);
    return requests(all, actions, ANY_CONTEXT, "");
  }

  /** ScheduleKeyDeletion requests of anyone with a window under 30 days. */
  static Gen<AccessRequest> shortWindowRequests() {
    List<String> all = new ArrayList<>(KEY_ACCOUNT_CALLERS);
    all.addAll(OTHER_ACCOUNT_CALLERS);
    all.addAll(OUTSIDERS);
    return in -> {
      String window = List.of("7", "14", "29").get(pick(in, 3));
      return requests(all, List.of(KmsAction.SCHEDULE_KEY_DELETION), ANY_CONTEXT, window)
          .generate(in);
    };
  }
}
