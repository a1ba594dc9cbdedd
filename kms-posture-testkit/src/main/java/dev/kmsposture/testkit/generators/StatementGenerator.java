package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Generates key-policy statements.
 *
 * <ul>
 *   <li>By default: Allow and Deny statements naming principals of the key's account and other
 *       accounts (no {@code "*"}), concrete and wildcard actions, {@code Resource: "*"} or the
 *       key's ARN, and condition blocks of every operator family.
 *   <li>{@link #leastPrivilegeOnly()}: Allow statements that name roles and users, grant one role's
 *       concrete actions, and are at most narrowed by conditions.
 *   <li>{@link #withWildcardPrincipals()}: principals may also be {@code "*"} and {@code {"AWS":
 *       "*"}}.
 *   <li>{@link #withRiskyShapes()}: also conditional Denies, NotPrincipal Allows and Denies, Denies
 *       on account principals, NotAction, NotResource, {@code Resource} naming another key, and
 *       statements without Action or Resource (which KMS accepts and ignores).
 * </ul>
 *
 * <p>The edge cases are the root delegation statement ({@code kms:*} to the account root), a
 * single-action least-privilege Allow, and — when enabled — a public Allow and a NotPrincipal Deny.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class StatementGenerator implements Generator<Statement> {
  private static final List<String> SIDS =
      List.of(
          "Enable IAM User Permissions",
          "KeyAdministrators",
          "KeyUsers",
          "AllowUseViaService",
          "DenyOutsideOrganization",
          "GrantsForAwsResources");

  private final Settings settings;

  StatementGenerator(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns a generator whose statements are about a key in {@code account}.
   *
   * @param account the key's account
   * @return the configured generator
   */
  public StatementGenerator forAccount(AccountId account) {
    return new StatementGenerator(settings.withAccount(account));
  }

  /**
   * Returns a generator of least-privilege Allow statements only (turns off wildcard principals and
   * risky shapes).
   *
   * @return the configured generator
   */
  public StatementGenerator leastPrivilegeOnly() {
    return new StatementGenerator(settings.withLeastPrivilegeOnly());
  }

  /**
   * Returns a generator whose principals may be {@code "*"} and {@code {"AWS": "*"}}.
   *
   * @return the configured generator
   */
  public StatementGenerator withWildcardPrincipals() {
    return new StatementGenerator(settings.withWildcardPrincipals());
  }

  /**
   * Returns a generator that also makes the risky shapes listed in the class description.
   *
   * @return the configured generator
   */
  public StatementGenerator withRiskyShapes() {
    return new StatementGenerator(settings.withRiskyShapes());
  }

  @Override
  public Statement generate(RandomGenerator random, int size) {
    return generate(settings, random, size);
  }

  static Statement generate(Settings s, RandomGenerator random, int size) {
    if (s.leastPrivilegeOnly()) {
      return leastPrivilege(s, random);
    }
    if (s.riskyShapes() && random.nextInt(3) == 0) {
      return risky(s, random, size);
    }
    Statement.Builder b =
        Statement.builder()
            .sid(sid(random))
            .effect(random.nextInt(4) == 0 ? Effect.DENY : Effect.ALLOW)
            .principals(principals(s, random, size, s.wildcardPrincipals()))
            .actions(actions(random, size, true))
            .conditions(conditions(s, random, size));
    if (random.nextInt(5) == 0) {
      b.addResource(s.keyArn());
    } else {
      b.addResource("*");
    }
    return b.build();
  }

  private static @Nullable String sid(RandomGenerator random) {
    return random.nextInt(4) == 0 ? null : pick(random, SIDS);
  }

  /** A least-privilege Allow: named roles and users, one role's actions, narrowing conditions. */
  static Statement leastPrivilege(Settings s, RandomGenerator random) {
    List<Principal> principals = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      Principal p =
          switch (random.nextInt(4)) {
            case 0 -> PrincipalGenerator.user(s, s.account(), random);
            case 1 -> PrincipalGenerator.role(s, pick(random, Vocabulary.OTHER_ACCOUNTS), random);
            default -> PrincipalGenerator.role(s, s.account(), random);
          };
      if (!principals.contains(p)) {
        principals.add(p);
      }
    }
    List<KmsAction> group = pick(random, Vocabulary.ROLE_ACTIONS);
    Set<KmsAction> actions = new LinkedHashSet<>();
    int count = 1 + random.nextInt(group.size());
    for (int i = 0; i < count; i++) {
      actions.add(pick(random, group));
    }
    Statement.Builder b =
        Statement.builder()
            .sid(sid(random))
            .effect(Effect.ALLOW)
            .principals(principals)
            .actions(List.copyOf(actions))
            .addResource("*");
    switch (random.nextInt(4)) {
      case 0 ->
          b.addCondition("StringEquals", "kms:ViaService", "s3." + s.region() + ".amazonaws.com");
      case 1 -> b.addCondition("StringEquals", "kms:CallerAccount", s.account().value());
      case 2 ->
          b.addCondition(
              Condition.of(
                  ConditionOperator.BOOL, ConditionKey.of("kms:GrantIsForAWSResource"), true));
      default -> {}
    }
    return b.build();
  }

  /** One of the risky shapes, chosen evenly. */
  static Statement risky(Settings s, RandomGenerator random, int size) {
    Statement.Builder b = Statement.builder().sid(sid(random));
    switch (random.nextInt(8)) {
      case 0 -> // a conditional Deny
          b.effect(Effect.DENY)
              .principals(List.of(Principal.aws("*")))
              .actions(actions(random, size, true))
              .resources(List.of(denyResource(s, random)))
              .conditions(nonEmptyConditions(s, random, size));
      case 1 -> // a NotPrincipal Deny: everyone but the named is denied
          b.effect(Effect.DENY)
              .notPrincipals(principals(s, random, size, false))
              .addAction(KmsAction.ALL)
              .resources(List.of(denyResource(s, random)))
              .conditions(conditions(s, random, size));
      case 2 -> // a Deny on an account principal
          b.effect(Effect.DENY)
              .principals(
                  List.of(
                      random.nextBoolean()
                          ? PrincipalGenerator.root(s, s.account())
                          : Principal.aws(s.account().value())))
              .actions(actions(random, size, true))
              .resources(List.of(denyResource(s, random)))
              .conditions(conditions(s, random, size));
      case 3 -> // a NotPrincipal Allow (AWS does not support it; read as everyone but the named)
          b.effect(Effect.ALLOW)
              .notPrincipals(principals(s, random, size, false))
              .actions(actions(random, size, true))
              .addResource("*");
      case 4 -> // NotAction
          b.effect(random.nextBoolean() ? Effect.ALLOW : Effect.DENY)
              .principals(principals(s, random, size, s.wildcardPrincipals()))
              .notActions(actions(random, size, true))
              .addResource("*")
              .conditions(conditions(s, random, size));
      case 5 -> // Resource naming another key (no effect in this key's policy), or NotResource
      {
        b.effect(Effect.ALLOW)
            .principals(principals(s, random, size, s.wildcardPrincipals()))
            .actions(actions(random, size, true));
        if (random.nextBoolean()) {
          b.addResource(s.otherKeyArn());
        } else {
          b.notResources(List.of(s.otherKeyArn()));
        }
      }
      case 6 -> // no Resource: KMS accepts the statement and ignores it
          b.effect(Effect.ALLOW)
              .principals(principals(s, random, size, s.wildcardPrincipals()))
              .actions(actions(random, size, true));
      default -> // no Action: likewise ignored
          b.effect(Effect.ALLOW)
              .principals(principals(s, random, size, s.wildcardPrincipals()))
              .addResource("*");
    }
    return b.build();
  }

  /** A Deny's resource: mostly {@code *}, sometimes this key's ARN, sometimes another key's. */
  static String denyResource(Settings s, RandomGenerator random) {
    return switch (random.nextInt(5)) {
      case 0 -> s.keyArn();
      case 1 -> s.otherKeyArn();
      default -> "*";
    };
  }

  static List<Principal> principals(
      Settings s, RandomGenerator random, int size, boolean wildcards) {
    PrincipalGenerator g = new PrincipalGenerator(s, wildcards);
    int n = Generators.length(random, size, 1, 4);
    List<Principal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Principal p = g.generate(random, size);
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    // The bare "*" stands alone; among others it is written {"AWS": "*"}.
    if (out.size() > 1 && out.contains(Principal.everyone())) {
      out.replaceAll(p -> p instanceof Principal.Everyone ? Principal.aws("*") : p);
      return List.copyOf(new LinkedHashSet<>(out));
    }
    return out;
  }

  static List<KmsAction> actions(RandomGenerator random, int size, boolean wildcards) {
    KmsActionGenerator g = new KmsActionGenerator(wildcards);
    int n = Generators.length(random, size, 1, 5);
    Set<KmsAction> out = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(g.generate(random, size));
    }
    return List.copyOf(out);
  }

  static List<Condition> conditions(Settings s, RandomGenerator random, int size) {
    return random.nextInt(3) == 0
        ? new ConditionBlockGenerator(s, 3).generate(random, size)
        : List.of();
  }

  /**
   * The condition of a conditional Deny: half the time a guard that exempts the key's account, its
   * organization or one role (the shapes that decide public and lockout verdicts), else any block.
   */
  static List<Condition> nonEmptyConditions(Settings s, RandomGenerator random, int size) {
    String account = s.account().value();
    if (random.nextBoolean()) {
      return List.of(
          switch (random.nextInt(4)) {
            case 0 ->
                Condition.of(
                    ConditionOperator.STRING_NOT_EQUALS,
                    ConditionKey.of("aws:PrincipalOrgID"),
                    "o-a1b2c3d4e5");
            case 1 ->
                Condition.of(
                    ConditionOperator.STRING_NOT_EQUALS,
                    ConditionKey.of("aws:PrincipalAccount"),
                    account);
            case 2 ->
                Condition.of(
                    ConditionOperator.of("ArnNotEquals"),
                    ConditionKey.of("aws:PrincipalArn"),
                    s.iam(account, "role/BreakGlass"));
            default ->
                Condition.of(
                    ConditionOperator.STRING_NOT_EQUALS,
                    ConditionKey.of("kms:CallerAccount"),
                    account);
          });
    }
    List<Condition> block = new ConditionBlockGenerator(s, 3).generate(random, Generator.MAX_SIZE);
    return block.isEmpty()
        ? List.of(
            Condition.of(
                ConditionOperator.of("StringNotEquals"),
                ConditionKey.of("aws:PrincipalOrgID"),
                "o-a1b2c3d4e5"))
        : block;
  }

  @Override
  public List<Statement> edgeCases() {
    List<Statement> out = new ArrayList<>();
    out.add(rootDelegation(settings));
    out.add(
        Statement.builder()
            .sid("KeyUsers")
            .effect(Effect.ALLOW)
            .addPrincipal(Principal.aws(settings.iam(settings.account().value(), "role/App")))
            .addAction(KmsAction.DECRYPT)
            .addResource("*")
            .build());
    if (settings.wildcardPrincipals()) {
      out.add(
          Statement.builder()
              .sid("Public")
              .effect(Effect.ALLOW)
              .addPrincipal(Principal.everyone())
              .addAction(KmsAction.ALL)
              .addResource("*")
              .build());
    }
    if (settings.riskyShapes()) {
      out.add(
          Statement.builder()
              .sid("DenyAllButAdmin")
              .effect(Effect.DENY)
              .notPrincipals(
                  List.of(
                      Principal.aws(settings.iam(settings.account().value(), "role/KeyAdmin")),
                      PrincipalGenerator.root(settings, settings.account())))
              .addAction(KmsAction.ALL)
              .addResource("*")
              .build());
    }
    return out;
  }

  /** The statement of the AWS default key policy: {@code kms:*} to the account root. */
  static Statement rootDelegation(Settings s) {
    return Statement.builder()
        .sid("Enable IAM User Permissions")
        .effect(Effect.ALLOW)
        .addPrincipal(PrincipalGenerator.root(s, s.account()))
        .addAction(KmsAction.ALL)
        .addResource("*")
        .build();
  }
}
