package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Generates key-policy principals of every kind: the key account's root (as an ARN and as a bare
 * account id), roles (with paths), users, assumed-role sessions, service principals, other accounts
 * (root, bare id and role), and — unless {@link #withoutWildcards()} — the bare {@code "*"} and
 * {@code {"AWS": "*"}}.
 *
 * <p>The edge cases are one principal of each kind, wildcards first.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class PrincipalGenerator implements Generator<Principal> {
  private final Settings settings;
  private final boolean wildcards;

  PrincipalGenerator(Settings settings, boolean wildcards) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.wildcards = wildcards;
  }

  /**
   * Returns a generator whose principals live in {@code account} (other accounts stay other).
   *
   * @param account the key's account
   * @return the configured generator
   */
  public PrincipalGenerator forAccount(AccountId account) {
    return new PrincipalGenerator(settings.withAccount(account), wildcards);
  }

  /**
   * Returns a generator that never produces {@code "*"} or {@code {"AWS": "*"}}.
   *
   * @return the configured generator
   */
  public PrincipalGenerator withoutWildcards() {
    return new PrincipalGenerator(settings, false);
  }

  @Override
  public Principal generate(RandomGenerator random, int size) {
    int kinds = wildcards ? 10 : 8;
    return switch (random.nextInt(kinds)) {
      case 0 -> root(settings, settings.account());
      case 1 -> Principal.aws(settings.account().value());
      case 2, 3 -> role(settings, settings.account(), random);
      case 4 -> user(settings, settings.account(), random);
      case 5 -> session(settings, settings.account(), random);
      case 6 -> Principal.service(pick(random, Vocabulary.SERVICE_PRINCIPALS));
      case 7 -> otherAccount(settings, random);
      case 8 -> Principal.everyone();
      default -> Principal.aws("*");
    };
  }

  @Override
  public List<Principal> edgeCases() {
    List<Principal> out = new ArrayList<>();
    if (wildcards) {
      out.add(Principal.everyone());
      out.add(Principal.aws("*"));
    }
    AccountId account = settings.account();
    AccountId other = Vocabulary.OTHER_ACCOUNTS.get(0);
    out.add(root(settings, account));
    out.add(Principal.aws(account.value()));
    out.add(Principal.aws(settings.iam(account.value(), "role/" + Vocabulary.ROLE_NAMES.get(0))));
    out.add(Principal.aws(settings.iam(account.value(), "user/" + Vocabulary.USER_NAMES.get(0))));
    out.add(
        Principal.aws(settings.sts(account.value(), "assumed-role/" + Vocabulary.SESSIONS.get(0))));
    out.add(Principal.service(Vocabulary.SERVICE_PRINCIPALS.get(0)));
    out.add(root(settings, other));
    return out;
  }

  static Principal root(Settings s, AccountId account) {
    return Principal.aws(s.iam(account.value(), "root"));
  }

  static Principal role(Settings s, AccountId account, RandomGenerator random) {
    return Principal.aws(s.iam(account.value(), "role/" + pick(random, Vocabulary.ROLE_NAMES)));
  }

  static Principal user(Settings s, AccountId account, RandomGenerator random) {
    return Principal.aws(s.iam(account.value(), "user/" + pick(random, Vocabulary.USER_NAMES)));
  }

  static Principal session(Settings s, AccountId account, RandomGenerator random) {
    return Principal.aws(
        s.sts(account.value(), "assumed-role/" + pick(random, Vocabulary.SESSIONS)));
  }

  static Principal otherAccount(Settings s, RandomGenerator random) {
    AccountId other = pick(random, Vocabulary.OTHER_ACCOUNTS);
    return switch (random.nextInt(3)) {
      case 0 -> root(s, other);
      case 1 -> Principal.aws(other.value());
      default -> role(s, other, random);
    };
  }
}
