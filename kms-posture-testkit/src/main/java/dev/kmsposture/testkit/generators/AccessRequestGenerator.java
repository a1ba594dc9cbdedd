package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Generates requests against the key: callers in the key's account (root, roles, users, sessions),
 * in partner accounts and in a stranger account, service principals and {@code anonymous}; every
 * action a key policy can authorize; and request contexts with the keys policies test ({@code
 * kms:ViaService}, encryption context, {@code kms:GrantIsForAWSResource}, organization, source IP
 * and VPC endpoint, time, transport), sometimes with a permissions boundary.
 *
 * <p>The edge cases are an anonymous {@code kms:Decrypt}, the root's {@code kms:PutKeyPolicy}, a
 * stranger's {@code kms:Decrypt} and a service principal's {@code kms:GenerateDataKey} via S3, each
 * with an empty context except the last.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class AccessRequestGenerator implements Generator<AccessRequest> {
  private final Settings settings;

  AccessRequestGenerator(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns a generator of requests against a key in {@code account}.
   *
   * @param account the key's account
   * @return the configured generator
   */
  public AccessRequestGenerator forAccount(AccountId account) {
    return new AccessRequestGenerator(settings.withAccount(account));
  }

  /** The key ARN the requests name. */
  String keyArn() {
    return settings.keyArn();
  }

  @Override
  public AccessRequest generate(RandomGenerator random, int size) {
    Settings s = settings;
    String principal =
        switch (random.nextInt(9)) {
          case 0 -> s.iam(s.account().value(), "root");
          case 1, 2 -> PrincipalGenerator.role(s, s.account(), random).value();
          case 3 -> PrincipalGenerator.user(s, s.account(), random).value();
          case 4 -> PrincipalGenerator.session(s, s.account(), random).value();
          case 5 ->
              PrincipalGenerator.role(s, pick(random, Vocabulary.OTHER_ACCOUNTS), random).value();
          case 6 -> s.iam(Vocabulary.STRANGER_ACCOUNT.value(), "role/Stranger");
          case 7 -> pick(random, Vocabulary.SERVICE_PRINCIPALS);
          default -> AccessRequest.ANONYMOUS;
        };
    AccessRequest.Builder b =
        AccessRequest.builder()
            .principal(principal)
            .action(pick(random, Vocabulary.KEY_POLICY_ACTIONS))
            .resource(s.keyArn());
    int n = Generators.length(random, size, 0, 4);
    for (int i = 0; i < n; i++) {
      putContext(b, s, random);
    }
    if (principal.startsWith("arn:") && random.nextInt(6) == 0) {
      b.permissionsBoundary(true);
    }
    return b.build();
  }

  private static void putContext(AccessRequest.Builder b, Settings s, RandomGenerator random) {
    switch (random.nextInt(11)) {
      case 0 ->
          b.putContext(
              "kms:ViaService",
              pick(random, List.of("s3", "ec2", "rds")) + "." + s.region() + ".amazonaws.com");
      case 1 -> b.putContext("kms:EncryptionContext:app", pick(random, List.of("demo", "other")));
      case 2 ->
          b.putContext(
              "kms:EncryptionContextKeys",
              pick(random, List.of(List.of("app"), List.of("app", "tenant"), List.<String>of())));
      case 3 -> b.putContext("kms:GrantIsForAWSResource", random.nextBoolean() ? "true" : "false");
      case 4 ->
          b.putContext("aws:PrincipalOrgID", pick(random, List.of("o-a1b2c3d4e5", "o-zzzzzzzzzz")));
      case 5 -> b.putContext("aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/");
      case 6 ->
          b.putContext(
              "aws:SourceIp", pick(random, List.of("10.1.2.3", "203.0.113.9", "2001:db8::1")));
      case 7 ->
          b.putContext("aws:SourceVpce", pick(random, List.of("vpce-1a2b3c4d", "vpce-other")));
      case 8 ->
          b.putContext(
              "aws:CurrentTime",
              pick(random, List.of("2026-06-01T12:00:00Z", "2031-01-01T00:00:00Z")));
      case 9 -> b.putContext("aws:SecureTransport", random.nextInt(4) == 0 ? "false" : "true");
      default ->
          b.putContext(
              "kms:ScheduleKeyDeletionPendingWindowInDays", pick(random, List.of("7", "30")));
    }
  }

  @Override
  public List<AccessRequest> edgeCases() {
    Settings s = settings;
    List<AccessRequest> out = new ArrayList<>();
    out.add(
        AccessRequest.builder()
            .principal(AccessRequest.ANONYMOUS)
            .action(KmsAction.DECRYPT)
            .resource(s.keyArn())
            .build());
    out.add(
        AccessRequest.builder()
            .principal(s.iam(s.account().value(), "root"))
            .action(KmsAction.PUT_KEY_POLICY)
            .resource(s.keyArn())
            .build());
    out.add(
        AccessRequest.builder()
            .principal(s.iam(Vocabulary.STRANGER_ACCOUNT.value(), "role/Stranger"))
            .action(KmsAction.DECRYPT)
            .resource(s.keyArn())
            .build());
    out.add(
        AccessRequest.builder()
            .principal(Vocabulary.SERVICE_PRINCIPALS.get(1))
            .action(KmsAction.GENERATE_DATA_KEY)
            .resource(s.keyArn())
            .putContext("kms:ViaService", "s3." + s.region() + ".amazonaws.com")
            .build());
    return out;
  }
}
