package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.access.Grant;
import dev.kmsposture.policy.AccountId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Generates KMS grants: grantees in the key's account, in partner accounts and service principals;
 * non-empty sets of grant operations (including {@code CreateGrant}, which lets the grantee
 * re-delegate); no encryption-context constraint, an {@code EncryptionContextEquals} or an {@code
 * EncryptionContextSubset}; with or without a name and a retiring principal.
 *
 * <p>The edge cases are a single-operation grant without constraint, and a grant of every operation
 * to another account.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/grants.html">Grants in AWS
 *     KMS</a>
 * @since 0.1.0
 */
@CheckReturnValue
public final class GrantGenerator implements Generator<Grant> {
  private final Settings settings;

  GrantGenerator(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns a generator of grants on a key in {@code account}.
   *
   * @param account the key's account
   * @return the configured generator
   */
  public GrantGenerator forAccount(AccountId account) {
    return new GrantGenerator(settings.withAccount(account));
  }

  @Override
  public Grant generate(RandomGenerator random, int size) {
    Settings s = settings;
    String grantee =
        switch (random.nextInt(4)) {
          case 0, 1 -> PrincipalGenerator.role(s, s.account(), random).value();
          case 2 ->
              PrincipalGenerator.role(s, pick(random, Vocabulary.OTHER_ACCOUNTS), random).value();
          default -> pick(random, Vocabulary.SERVICE_PRINCIPALS);
        };
    Set<String> operations = new LinkedHashSet<>();
    int n = Generators.length(random, size, 1, 5);
    for (int i = 0; i < n; i++) {
      operations.add(pick(random, Vocabulary.GRANT_OPERATIONS));
    }
    Map<String, String> context = Map.of("app", pick(random, List.of("demo", "billing")));
    int constraint = random.nextInt(3);
    return Grant.builder()
        .grantId(grantId(random))
        .name(random.nextBoolean() ? null : "grant-" + random.nextInt(100))
        .granteePrincipal(grantee)
        .retiringPrincipal(
            random.nextInt(3) == 0 ? PrincipalGenerator.role(s, s.account(), random).value() : null)
        .operations(List.copyOf(operations))
        .encryptionContextEquals(constraint == 1 ? context : Map.of())
        .encryptionContextSubset(constraint == 2 ? context : Map.of())
        .issuingAccount(random.nextInt(4) == 0 ? null : s.account().value())
        .build();
  }

  static String grantId(RandomGenerator random) {
    StringBuilder b = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  @Override
  public List<Grant> edgeCases() {
    Settings s = settings;
    List<Grant> out = new ArrayList<>();
    out.add(Grant.of("0".repeat(64), s.iam(s.account().value(), "role/App"), List.of("Decrypt")));
    out.add(
        Grant.builder()
            .grantId("f".repeat(64))
            .name("everything")
            .granteePrincipal(s.iam(Vocabulary.OTHER_ACCOUNTS.get(0).value(), "root"))
            .operations(Vocabulary.GRANT_OPERATIONS)
            .issuingAccount(s.account().value())
            .build());
    return out;
  }
}
