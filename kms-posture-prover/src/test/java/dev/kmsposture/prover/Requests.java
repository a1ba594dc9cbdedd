package dev.kmsposture.prover;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Concrete requests AWS could send ({@link RequestSpace#AWS}): callers of the key's account, of a
 * partner account the generated policies name and of an account they never name, AWS services and
 * anonymous callers, with request contexts drawn from the values the policies test.
 */
final class Requests {
  static final String UNNAMED_ACCOUNT = "999999999999";

  /** A caller: the principal, and its role path when it is a session. */
  record Caller(String principal, String rolePath) {}

  private static final List<Caller> CALLERS =
      List.of(
          new Caller("arn:aws:iam::111122223333:root", ""),
          new Caller("arn:aws:iam::444455556666:root", ""),
          new Caller("arn:aws:iam::999999999999:root", ""),
          new Caller("arn:aws:iam::111122223333:user/ops/alice", ""),
          new Caller("arn:aws:iam::444455556666:user/bob", ""),
          new Caller("arn:aws:sts::111122223333:assumed-role/KeyAdmin/s1", "/"),
          new Caller("arn:aws:sts::111122223333:assumed-role/BreakGlass/s1", "/"),
          new Caller("arn:aws:sts::111122223333:assumed-role/Other/s1", "/"),
          new Caller("arn:aws:sts::444455556666:assumed-role/Partner/s1", "/"),
          new Caller("arn:aws:sts::999999999999:assumed-role/KeyAdmin/s1", "/"),
          new Caller("arn:aws:sts::444455556666:federated-user/carol", ""),
          new Caller("logs.us-east-1.amazonaws.com", ""),
          new Caller(AccessRequest.ANONYMOUS, ""));

  private static final List<String> ACTIONS =
      List.of("kms:Decrypt", "kms:PutKeyPolicy", "kms:Encrypt", "kms:ScheduleKeyDeletion");

  private Requests() {}

  private static Gen<String> maybe(String... values) {
    return Generate.pick(List.of(values)).mix(Generate.constant(""), 50);
  }

  static Gen<AccessRequest> requests() {
    Gen<AccessRequest.Builder> base =
        Generate.pick(CALLERS)
            .zip(
                Generate.pick(ACTIONS),
                Generate.booleans(),
                (c, a, boundary) -> {
                  AccessRequest.Builder b =
                      AccessRequest.builder()
                          .principal(c.principal())
                          .action(a)
                          .resource(Fixtures.KEY);
                  if (!c.rolePath().isEmpty()) {
                    b.rolePath(c.rolePath());
                  }
                  boolean aws =
                      !c.principal().equals(AccessRequest.ANONYMOUS)
                          && c.principal().startsWith("arn:");
                  return b.permissionsBoundary(boundary && aws);
                });
    return base.zip(
        maybe(PolicyShapes.ORG, "o-zzzzzzzzzz"),
        maybe("s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"),
        maybe("vpce-1a2b3c4d", "10.1.2.3", "true"),
        maybe("false", "192.0.2.1", "vpce-0000"),
        (b, org, via, x, y) -> {
          AccessRequest draft = b.build();
          boolean service = draft.principal().endsWith(".amazonaws.com");
          boolean aws = draft.principal().startsWith("arn:");
          if (!org.isEmpty() && aws) {
            b.putContext("aws:PrincipalOrgID", org);
          }
          if (!via.isEmpty()) {
            b.putContext("kms:ViaService", via);
          }
          for (String v : List.of(x, y)) {
            if (v.startsWith("vpce")) {
              b.putContext("aws:SourceVpce", v);
            } else if (v.contains(".")) {
              b.putContext("aws:SourceIp", v);
            }
          }
          // AWS KMS accepts only TLS: every request AWS sends carries aws:SecureTransport true.
          b.putContext("aws:SecureTransport", "true");
          if (service && !org.isEmpty()) {
            b.putContext("aws:SourceAccount", Fixtures.ACCOUNT);
          }
          return b.build();
        });
  }

  static Gen<List<AccessRequest>> requestLists(int size) {
    return SourceDSL.lists().of(requests()).ofSize(size);
  }

  /** The evaluator's level for {@code request} under {@code policy}. */
  static Allowance level(KeyPolicy policy, AccessRequest request) {
    return Allowance.of(
        KeyAccessEvaluator.builder()
            .keyPolicy(policy)
            .keyArn(Fixtures.KEY)
            .build()
            .evaluate(request));
  }

  /** Whether the caller is outside the key's account: another account's principal, or anonymous. */
  static boolean isOutside(AccessRequest r) {
    String p = r.principal();
    return p.equals(AccessRequest.ANONYMOUS)
        || (p.startsWith("arn:") && !p.contains(":" + Fixtures.ACCOUNT + ":"));
  }

  /** Whether the caller is in an account no generated policy names, outside the named org. */
  static boolean isUnnamed(AccessRequest r) {
    String p = r.principal();
    if (p.equals(AccessRequest.ANONYMOUS)) {
      return true;
    }
    return p.contains(":" + UNNAMED_ACCOUNT + ":")
        && !r.contextValues("aws:PrincipalOrgID").orElse(List.of()).contains(PolicyShapes.ORG);
  }

  /** Whether the caller is an IAM principal of the key's account. */
  static boolean isInAccount(AccessRequest r) {
    return r.principal().startsWith("arn:") && r.principal().contains(":" + Fixtures.ACCOUNT + ":");
  }
}
