package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.BreakGlass;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.PolicyVersion;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Generates key policies.
 *
 * <ul>
 *   <li>By default: half are built by {@link KeyPolicyBuilder} from random role assignments
 *       (administrators, users, service users, grant users, auditors, cross-account users, every
 *       break-glass choice); half are written statement by statement ({@link StatementGenerator}),
 *       often after the root delegation statement, naming no {@code "*"} principal.
 *   <li>{@link #leastPrivilegeOnly()}: only builder-made policies.
 *   <li>{@link #withWildcardPrincipals()} and {@link #withRiskyShapes()}: the written policies may
 *       use those statements (conditional Denies, NotPrincipal Denies, Denies on account
 *       principals, {@code Resource} as this key, another key or {@code *}, …).
 * </ul>
 *
 * <p>Every policy is at most {@link KeyPolicy#MAX_BYTES} bytes as {@link KeyPolicy#toJson()} writes
 * it (the text KMS would check), and its Sids are unique. The edge cases come first: the AWS
 * default policy (one statement, written as a single object), the smallest and the fullest builder
 * policy, a policy of nearly the maximum size, and, when enabled, a public policy and one with a
 * NotPrincipal Deny and a conditional Deny.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class KeyPolicyGenerator implements Generator<KeyPolicy> {
  private static final List<KeyKind> BUILDER_KINDS =
      List.of(
          KeyKind.SYMMETRIC_DEFAULT,
          KeyKind.of("RSA_3072", "ENCRYPT_DECRYPT"),
          KeyKind.of("ECC_NIST_P256", "SIGN_VERIFY"),
          KeyKind.of("HMAC_256", "GENERATE_VERIFY_MAC"),
          KeyKind.of("ECC_NIST_P384", "KEY_AGREEMENT"),
          KeyKind.of("ML_KEM_768", "ENCAPSULATE_DECAPSULATE"));

  private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-central-1");

  private final Settings settings;

  KeyPolicyGenerator(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns a generator of policies for a key in {@code account}.
   *
   * @param account the key's account
   * @return the configured generator
   */
  public KeyPolicyGenerator forAccount(AccountId account) {
    return new KeyPolicyGenerator(settings.withAccount(account));
  }

  /**
   * Returns a generator of least-privilege policies only: those {@link KeyPolicyBuilder} makes.
   * Turns off wildcard principals and risky shapes.
   *
   * @return the configured generator
   */
  public KeyPolicyGenerator leastPrivilegeOnly() {
    return new KeyPolicyGenerator(settings.withLeastPrivilegeOnly());
  }

  /**
   * Returns a generator whose written policies may name {@code "*"} and {@code {"AWS": "*"}}.
   *
   * @return the configured generator
   */
  public KeyPolicyGenerator withWildcardPrincipals() {
    return new KeyPolicyGenerator(settings.withWildcardPrincipals());
  }

  /**
   * Returns a generator whose written policies may use the risky statement shapes of {@link
   * StatementGenerator#withRiskyShapes()}.
   *
   * @return the configured generator
   */
  public KeyPolicyGenerator withRiskyShapes() {
    return new KeyPolicyGenerator(settings.withRiskyShapes());
  }

  /**
   * Returns a generator whose written policies have at most {@code max} statements besides the root
   * delegation (6 by default).
   *
   * @param max the most statements
   * @return the configured generator
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  public KeyPolicyGenerator maxStatements(int max) {
    return new KeyPolicyGenerator(settings.withMaxStatements(max));
  }

  @Override
  public KeyPolicy generate(RandomGenerator random, int size) {
    if (settings.leastPrivilegeOnly() || random.nextBoolean()) {
      return built(settings, random);
    }
    return written(settings, random, size);
  }

  /** A policy built by {@link KeyPolicyBuilder} from a random role assignment. */
  static KeyPolicy built(Settings s, RandomGenerator random) {
    String account = s.account().value();
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pool.add(
          s.iam(
              account,
              String.format(
                  "%s/%s%02d",
                  random.nextInt(4) == 0 ? "user" : "role",
                  random.nextBoolean() ? "svc-" : "app/",
                  i)));
    }
    shuffle(pool, random);
    int n = 0;
    List<String> admins = pool.subList(n, n += 1 + random.nextInt(2));
    List<String> users = pool.subList(n, n += random.nextInt(3));
    List<String> serviceUsers = pool.subList(n, n += random.nextInt(3));
    List<String> auditors = new ArrayList<>(pool.subList(n, n += random.nextInt(2)));
    String breakGlassRole = pool.get(n).replace(":user/", ":role/");
    if (random.nextInt(3) == 0) {
      auditors.add(s.iam(Vocabulary.STRANGER_ACCOUNT.value(), "role/ExternalAudit"));
    }
    KeyPolicyBuilder b =
        KeyPolicyBuilder.forAccount(s.account())
            .partition(s.partition())
            .keyKind(pick(random, BUILDER_KINDS))
            .administrators(admins)
            .users(users)
            .auditors(auditors);
    for (String su : serviceUsers) {
      List<AwsService> services = new ArrayList<>();
      int count = 1 + random.nextInt(2);
      for (int i = 0; i < count; i++) {
        AwsService service = pick(random, AwsService.known());
        if (!services.contains(service)) {
          services.add(service);
        }
      }
      b.addServiceUsers(List.of(su), services, List.of(pick(random, REGIONS)));
    }
    List<String> grantUsers = new ArrayList<>();
    for (String u : users) {
      if (random.nextBoolean()) {
        grantUsers.add(u);
      }
    }
    b.grantUsers(grantUsers);
    List<String> cross = new ArrayList<>();
    if (random.nextBoolean()) {
      cross.add(Vocabulary.OTHER_ACCOUNTS.get(0).value());
    }
    if (random.nextBoolean()) {
      cross.add(s.iam(Vocabulary.OTHER_ACCOUNTS.get(1).value(), "role/Partner"));
    }
    b.crossAccountUsers(cross).crossAccountGrants(random.nextBoolean());
    b.breakGlass(
        switch (random.nextInt(3)) {
          case 0 -> BreakGlass.none();
          case 1 -> BreakGlass.rootRestrictedTo(breakGlassRole);
          default -> BreakGlass.awsDefault();
        });
    return b.buildPolicy();
  }

  private static <T> void shuffle(List<T> list, RandomGenerator random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** A policy written statement by statement, often after the root delegation statement. */
  static KeyPolicy written(Settings s, RandomGenerator random, int size) {
    List<Statement> statements = new ArrayList<>();
    if (random.nextInt(3) != 0) {
      statements.add(StatementGenerator.rootDelegation(s));
    }
    if (s.wildcardPrincipals() && s.riskyShapes() && random.nextInt(4) == 0) {
      // Weighted up: a wildcard Allow "guarded" by a conditional Deny, whose Resource may name
      // another key (then the guard never applies) — where public verdicts went wrong before.
      statements.add(
          Statement.builder()
              .sid("Open")
              .effect(Effect.ALLOW)
              .addPrincipal(random.nextBoolean() ? Principal.everyone() : Principal.aws("*"))
              .actions(StatementGenerator.actions(random, size, true))
              .addResource("*")
              .build());
      statements.add(
          Statement.builder()
              .sid("Guard")
              .effect(Effect.DENY)
              .addPrincipal(Principal.aws("*"))
              .addAction(KmsAction.ALL)
              .addResource(StatementGenerator.denyResource(s, random))
              .conditions(StatementGenerator.nonEmptyConditions(s, random, size))
              .build());
    }
    int n = Generators.length(random, size, 1, s.maxStatements());
    for (int i = 0; i < n; i++) {
      statements.add(StatementGenerator.generate(s, random, size));
    }
    KeyPolicy.Builder b = KeyPolicy.builder().statements(uniqueSids(statements));
    if (random.nextInt(5) == 0) {
      b.id("key-policy-" + random.nextInt(100));
    }
    return fit(b.build());
  }

  /** Renames repeated Sids ({@code KeyUsers}, {@code KeyUsers2}, …): KMS wants them unique. */
  static List<Statement> uniqueSids(List<Statement> statements) {
    Set<String> seen = new HashSet<>();
    List<Statement> out = new ArrayList<>(statements.size());
    for (Statement st : statements) {
      String sid = st.sid();
      if (sid != null && !seen.add(sid)) {
        int i = 2;
        while (!seen.add(sid + i)) {
          i++;
        }
        st = st.toBuilder().sid(sid + i).build();
      }
      out.add(st);
    }
    return out;
  }

  /** The size KMS checks when the policy is sent as {@link KeyPolicy#toJson()} writes it. */
  static long jsonSize(KeyPolicy policy) {
    return policy.toJson().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Drops trailing statements until the policy, as {@code toJson()} writes it, fits KMS's limit.
   */
  static KeyPolicy fit(KeyPolicy policy) {
    KeyPolicy p = policy;
    while (jsonSize(p) > KeyPolicy.MAX_BYTES && p.statements().size() > 1) {
      p = p.toBuilder().statements(p.statements().subList(0, p.statements().size() - 1)).build();
    }
    return p;
  }

  @Override
  public List<KeyPolicy> edgeCases() {
    Settings s = settings;
    String account = s.account().value();
    List<KeyPolicy> out = new ArrayList<>();
    if (!s.leastPrivilegeOnly()) {
      out.add(
          new KeyPolicy(
              PolicyVersion.V2012_10_17,
              null,
              List.of(StatementGenerator.rootDelegation(s)),
              false));
    }
    String admin = s.iam(account, "role/KeyAdmin");
    out.add(
        KeyPolicyBuilder.forAccount(s.account())
            .partition(s.partition())
            .administrators(admin)
            .buildPolicy());
    out.add(
        KeyPolicyBuilder.forAccount(s.account())
            .partition(s.partition())
            .administrators(admin)
            .users(s.iam(account, "role/App"), s.iam(account, "user/Alice"))
            .grantUsers(s.iam(account, "role/App"))
            .addServiceUser(s.iam(account, "role/Batch"), AwsService.S3, "us-east-1", "us-west-2")
            .auditors(s.iam(account, "role/Audit"))
            .crossAccountUsers(Vocabulary.OTHER_ACCOUNTS.get(0).value())
            .crossAccountGrants(true)
            .breakGlass(BreakGlass.rootRestrictedTo(s.iam(account, "role/BreakGlass")))
            .buildPolicy());
    out.add(largest(s));
    if (s.wildcardPrincipals()) {
      out.add(
          KeyPolicy.builder()
              .addStatement(StatementGenerator.rootDelegation(s))
              .addStatement(
                  Statement.builder()
                      .sid("PublicDecrypt")
                      .effect(Effect.ALLOW)
                      .addPrincipal(Principal.aws("*"))
                      .addAction(KmsAction.DECRYPT)
                      .addResource("*")
                      .build())
              .build());
    }
    if (s.riskyShapes()) {
      out.add(
          KeyPolicy.builder()
              .addStatement(StatementGenerator.rootDelegation(s))
              .addStatement(
                  Statement.builder()
                      .sid("DenyAllButAdmin")
                      .effect(Effect.DENY)
                      .notPrincipals(
                          List.of(Principal.aws(admin), PrincipalGenerator.root(s, s.account())))
                      .addAction(KmsAction.PUT_KEY_POLICY)
                      .addResource("*")
                      .build())
              .addStatement(
                  Statement.builder()
                      .sid("DenyOutsideOrganization")
                      .effect(Effect.DENY)
                      .addPrincipal(Principal.aws("*"))
                      .addAction(KmsAction.ALL)
                      .addResource("*")
                      .addCondition(
                          Condition.of(
                              ConditionOperator.of("StringNotEquals"),
                              ConditionKey.of("aws:PrincipalOrgID"),
                              "o-a1b2c3d4e5"))
                      .build())
              .build());
    }
    return out;
  }

  // The largest edge case takes a few builds of a ~30 KB policy: computed once per settings.
  private static final Map<Settings, KeyPolicy> LARGEST = new ConcurrentHashMap<>();

  /** A builder policy with as many key users as fit, as JSON, in nine tenths of the limit. */
  private static KeyPolicy largest(Settings s) {
    return LARGEST.computeIfAbsent(s, KeyPolicyGenerator::computeLargest);
  }

  private static KeyPolicy computeLargest(Settings s) {
    long limit = KeyPolicy.MAX_BYTES * 9L / 10;
    long empty = jsonSize(withUsers(s, 0));
    long perUser = (jsonSize(withUsers(s, 100)) - empty) / 100 + 1;
    int n = (int) ((limit - empty) / perUser);
    KeyPolicy p = withUsers(s, n);
    while (jsonSize(p) > limit) {
      n -= 10;
      p = withUsers(s, n);
    }
    return p;
  }

  private static KeyPolicy withUsers(Settings s, int count) {
    String account = s.account().value();
    List<String> users = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      users.add(s.iam(account, String.format("role/app/user-%04d", i)));
    }
    return KeyPolicyBuilder.forAccount(s.account())
        .partition(s.partition())
        .administrators(s.iam(account, "role/KeyAdmin"))
        .users(users)
        .buildPolicy();
  }
}
