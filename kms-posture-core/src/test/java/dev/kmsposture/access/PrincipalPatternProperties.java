package dev.kmsposture.access;

import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of {@link PrincipalPattern}, the one principal matcher: the evaluator's statements,
 * the access analysis and KMS's lockout check ({@link AccessAnalysis#canPutKeyPolicy(String)}) all
 * read a principal element through it, and the builder's own lockout check through the evaluator.
 * Written from IAM "AWS JSON policy elements: Principal": everyone, an account (root ARN or bare
 * id: the root user directly, the account's other principals through IAM), a role (and its
 * sessions, whatever the role's path), a user, a session, a federated user.
 */
class PrincipalPatternProperties {
  private static final String KEY_ACCOUNT = "111122223333";
  private static final String OTHER_ACCOUNT = "444455556666";
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:" + KEY_ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final List<String> NAMES = List.of("Admin", "App", "BreakGlass", "Adm");
  private static final List<String> PATHS = List.of("", "ops/", "a/b/");

  /** A caller: its ARN, the role path of a session (or null), and its account. */
  record Caller(String arn, String rolePath, String account, AccessRequest.CallerKind kind) {
    AccessRequest request() {
      AccessRequest.Builder b =
          AccessRequest.builder().principal(arn).action(KmsAction.PUT_KEY_POLICY).resource(KEY_ARN);
      if (kind == AccessRequest.CallerKind.SESSION) {
        b.rolePath("/" + rolePath);
      }
      return b.build();
    }
  }

  private static Gen<Caller> callers() {
    Gen<String> accounts = pick(KEY_ACCOUNT, OTHER_ACCOUNT);
    Gen<String> names = pick(NAMES);
    Gen<String> paths = pick(PATHS);
    Gen<Integer> kinds = pick(0, 1, 2, 3, 4);
    return accounts
        .zip(names, paths, kinds, (a, n, p, k) -> caller(a, n, p, k))
        .describedAs(Caller::arn);
  }

  private static Caller caller(String a, String n, String p, int kind) {
    return switch (kind) {
      case 0 -> new Caller("arn:aws:iam::" + a + ":root", "", a, AccessRequest.CallerKind.ROOT);
      case 1 ->
          new Caller("arn:aws:iam::" + a + ":user/" + n, "", a, AccessRequest.CallerKind.USER);
      case 2 ->
          new Caller("arn:aws:iam::" + a + ":role/" + p + n, "", a, AccessRequest.CallerKind.ROLE);
      case 3 ->
          new Caller(
              "arn:aws:sts::" + a + ":assumed-role/" + n + "/session-1",
              p,
              a,
              AccessRequest.CallerKind.SESSION);
      default ->
          new Caller(
              "arn:aws:sts::" + a + ":federated-user/" + n,
              "",
              a,
              AccessRequest.CallerKind.FEDERATED);
    };
  }

  private static Gen<String> principals() {
    Gen<String> accounts = pick(KEY_ACCOUNT, OTHER_ACCOUNT);
    Gen<String> names = pick(NAMES);
    Gen<String> paths = pick(PATHS);
    Gen<Integer> kinds = pick(0, 1, 2, 3, 4, 5, 6, 7);
    return accounts.zip(
        names,
        paths,
        kinds,
        (a, n, p, k) ->
            switch (k) {
              case 0 -> "*";
              case 1 -> a;
              case 2 -> "arn:aws:iam::" + a + ":root";
              case 3 -> "arn:aws:iam::" + a + ":role/" + p + n;
              case 4 -> "arn:aws:iam::" + a + ":user/" + n;
              case 5 -> "arn:aws:sts::" + a + ":assumed-role/" + n + "/session-1";
              case 6 -> "arn:aws:sts::" + a + ":federated-user/" + n;
              default -> "arn:aws:iam::" + a + ":role/" + p + "Adm*";
            });
  }

  // The reading written out from the IAM Principal page, for the exact (non-wildcard) forms.
  private static int expected(String principal, Caller c) {
    if (principal.equals("*")) {
      return PrincipalPattern.DIRECT;
    }
    if (principal.matches("[0-9]{12}") || principal.endsWith(":root")) {
      String account = principal.matches("[0-9]{12}") ? principal : principal.split(":", -1)[4];
      if (!account.equals(c.account())) {
        return PrincipalPattern.NONE;
      }
      return c.kind() == AccessRequest.CallerKind.ROOT
          ? PrincipalPattern.DIRECT
          : PrincipalPattern.ACCOUNT;
    }
    if (principal.contains(":role/")) {
      String account = principal.split(":", -1)[4];
      String name = principal.substring(principal.lastIndexOf('/') + 1);
      boolean match =
          principal.equals(c.arn())
              || (c.kind() == AccessRequest.CallerKind.SESSION
                  && account.equals(c.account())
                  && c.arn().contains(":assumed-role/" + name + "/"));
      return match ? PrincipalPattern.DIRECT : PrincipalPattern.NONE;
    }
    return principal.equals(c.arn()) ? PrincipalPattern.DIRECT : PrincipalPattern.NONE;
  }

  @Test
  void match_exactPrincipals_followTheIamPrincipalPage() {
    Map<String, Integer> census = new TreeMap<>();
    qt().withExamples(2000)
        .forAll(principals(), callers())
        .checkAssert(
            (principal, caller) -> {
              if (principal.contains("Adm*")) {
                return;
              }
              int got = PrincipalPattern.of(parse(principal)).match(caller.request());
              census.merge(String.valueOf(got), 1, Integer::sum);
              assertThat(got)
                  .as("principal %s, caller %s", principal, caller)
                  .isEqualTo(expected(principal, caller));
            });
    assertThat(census).as("match outcomes").containsKeys("0", "1", "2");
    assertThat(census.values()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
  }

  @Test
  void matchesSelf_impliesMatch() {
    qt().withExamples(2000)
        .forAll(principals(), callers())
        .checkAssert(
            (principal, caller) -> {
              PrincipalPattern p = PrincipalPattern.of(parse(principal));
              AccessRequest r = caller.request();
              if (p.matchesSelf(r) || p.matchesRoleOf(r)) {
                assertThat(p.match(r)).as("principal %s, caller %s", principal, caller).isNotZero();
              }
            });
  }

  // The evaluator and the lockout check read the principal element through the matcher: on a
  // one-statement policy that allows kms:PutKeyPolicy to the principal, the evaluator lets the
  // caller in (directly or through IAM) exactly when the matcher matches it (and the caller is in
  // the key's account: PutKeyPolicy is not a cross-account operation), and KMS's lockout check
  // passes for a caller of the key's account exactly then too.
  @Test
  void evaluatorAndLockoutCheck_agreeWithTheMatcher() {
    List<String> kinds = new ArrayList<>();
    qt().withExamples(1500)
        .forAll(principals(), callers())
        .checkAssert(
            (principal, caller) -> {
              Principal p = parse(principal);
              KeyPolicy policy =
                  KeyPolicy.parse(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Principal\":{\"AWS\":\""
                          + principal
                          + "\"},\"Action\":\"kms:PutKeyPolicy\",\"Resource\":\"*\"}]}");
              boolean inKeyAccount = caller.account().equals(KEY_ACCOUNT);
              boolean matches = PrincipalPattern.of(p).match(caller.request()) != 0;
              Decision d =
                  KeyAccessEvaluator.builder()
                      .keyPolicy(policy)
                      .keyArn(KEY_ARN)
                      .build()
                      .evaluate(caller.request());
              assertThat(d.isAllowed() || d.delegatedToIam())
                  .as("evaluator on %s for %s: %s", principal, caller, d.explanation())
                  .isEqualTo(matches && inKeyAccount);
              if (inKeyAccount && caller.kind() != AccessRequest.CallerKind.SESSION) {
                kinds.add(caller.kind().name());
                boolean passes =
                    AccessAnalysis.of(policy, AccountId.of(KEY_ACCOUNT), KEY_ARN)
                        .canPutKeyPolicy(caller.arn())
                        .passes();
                assertThat(passes)
                    .as("lockout check on %s for %s", principal, caller)
                    .isEqualTo(matches);
              }
            });
    assertThat(kinds).contains("ROOT", "USER", "ROLE", "FEDERATED");
  }

  private static Principal parse(String principal) {
    return principal.equals("*") ? Principal.aws("*") : Principal.aws(principal);
  }
}
