package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.Principal;
import org.jspecify.annotations.Nullable;

/**
 * One principal of a {@code Principal}/{@code NotPrincipal} element (or a grant's grantee),
 * compiled for matching against a caller.
 *
 * <p>Matching follows IAM "Principal": a role ARN matches the role's sessions ({@code
 * assumed-role/ROLE/SESSION} matches {@code role/PATH/ROLE} whatever the path); an account (root
 * ARN or bare id) matches the root user directly and delegates to IAM for the account's other
 * principals; a unique id ({@code AIDA…}, {@code AROA…}) is what IAM leaves when the named
 * principal was deleted, so it matches nobody. A partial wildcard, which IAM does not accept, is
 * read as broadly as it could match: an account-root pattern with a wildcard account matches every
 * principal of every matching account; other patterns are globbed over the caller's ARN and, for a
 * session, over its role's ARN.
 */
final class PrincipalPattern {
  static final int NONE = 0;
  static final int ACCOUNT = 1;
  static final int DIRECT = 2;

  enum Type {
    EVERYONE,
    ACCOUNT,
    ROLE,
    EXACT,
    WILDCARD_ACCOUNT,
    WILDCARD,
    SERVICE,
    NEVER
  }

  final Type type;
  final String value;
  private final @Nullable String account;
  private final @Nullable String roleName;

  private PrincipalPattern(
      Type type, String value, @Nullable String account, @Nullable String roleName) {
    this.type = type;
    this.value = value;
    this.account = account;
    this.roleName = roleName;
  }

  static PrincipalPattern of(Principal p) {
    if (p instanceof Principal.Everyone) {
      return new PrincipalPattern(Type.EVERYONE, "*", null, null);
    }
    if (p instanceof Principal.Service) {
      return new PrincipalPattern(Type.SERVICE, p.value(), null, null);
    }
    if (!(p instanceof Principal.Aws aws)) {
      // Federated and CanonicalUser principals are not valid in key policies.
      return new PrincipalPattern(Type.NEVER, p.value(), null, null);
    }

    String v = aws.value();
    switch (aws.kind()) {
      case EVERYONE -> {
        return new PrincipalPattern(Type.EVERYONE, v, null, null);
      }
      case ACCOUNT -> {
        return new PrincipalPattern(
            Type.ACCOUNT, v, aws.accountId().map(a -> a.value()).orElse(null), null);
      }
      case ROLE -> {
        String res = aws.arn().map(Arn::resource).orElse("");
        return new PrincipalPattern(
            Type.ROLE,
            v,
            aws.accountId().map(a -> a.value()).orElse(null),
            res.substring(res.lastIndexOf('/') + 1));
      }
      case USER, ASSUMED_ROLE_SESSION, FEDERATED_USER_SESSION -> {
        return new PrincipalPattern(Type.EXACT, v, null, null);
      }
      case UNIQUE_ID -> {
        return new PrincipalPattern(Type.NEVER, v, null, null);
      }
      case PARTIAL_WILDCARD -> {
        Arn arn = aws.arn().orElse(null);
        if (arn != null && arn.service().equals("iam") && arn.resource().equals("root")) {
          return new PrincipalPattern(Type.WILDCARD_ACCOUNT, v, arn.account(), null);
        }
        return new PrincipalPattern(Type.WILDCARD, v, null, null);
      }
      default -> {
        return new PrincipalPattern(Type.EXACT, v, null, null);
      }
    }
  }

  /** Returns the pattern for a grantee principal string (a service name, an ARN or an id). */
  static PrincipalPattern ofGrantee(String grantee) {
    boolean service =
        !grantee.startsWith("arn:") && grantee.indexOf('.') > 0 && grantee.indexOf(':') < 0;
    return of(service ? Principal.service(grantee) : Principal.aws(grantee));
  }

  /** Returns {@link #DIRECT}, {@link #ACCOUNT} (delegation to IAM) or {@link #NONE}. */
  int match(AccessRequest r) {
    AccessRequest.CallerKind kind = r.kind();
    switch (type) {
      case EVERYONE -> {
        return DIRECT;
      }
      case ACCOUNT -> {
        if (account != null && account.equals(r.account())) {
          return kind == AccessRequest.CallerKind.ROOT ? DIRECT : ACCOUNT;
        }
        return NONE;
      }
      case ROLE -> {
        if (kind == AccessRequest.CallerKind.ROLE) {
          return value.equals(r.principal()) ? DIRECT : NONE;
        }
        if (kind == AccessRequest.CallerKind.SESSION) {
          return roleName != null
                  && roleName.equals(r.roleName())
                  && account != null
                  && account.equals(r.account())
              ? DIRECT
              : NONE;
        }
        return NONE;
      }
      case EXACT -> {
        return value.equals(r.callerArn()) ? DIRECT : NONE;
      }
      case WILDCARD_ACCOUNT -> {
        return account != null && r.account() != null && Glob.matches(account, r.account(), false)
            ? DIRECT
            : NONE;
      }
      case WILDCARD -> {
        return matchesSelf(r) || matchesRoleOf(r) ? DIRECT : NONE;
      }
      case SERVICE -> {
        return kind == AccessRequest.CallerKind.SERVICE && Glob.matches(value, r.principal(), true)
            ? DIRECT
            : NONE;
      }
      default -> {
        return NONE;
      }
    }
  }

  /**
   * Returns whether this pattern names the caller itself (for {@code NotPrincipal}): the root user
   * by its account, a user, role, session or federated user by its ARN, a service by its name. An
   * account names only its root user, and a role does not name its sessions.
   */
  boolean matchesSelf(AccessRequest r) {
    AccessRequest.CallerKind kind = r.kind();
    return switch (type) {
      case EVERYONE -> true;
      case ACCOUNT ->
          kind == AccessRequest.CallerKind.ROOT && account != null && account.equals(r.account());
      case ROLE -> kind == AccessRequest.CallerKind.ROLE && value.equals(r.principal());
      case EXACT -> value.equals(r.callerArn());
      case WILDCARD_ACCOUNT ->
          kind == AccessRequest.CallerKind.ROOT
              && account != null
              && r.account() != null
              && Glob.matches(account, r.account(), false);
      case WILDCARD ->
          kind != AccessRequest.CallerKind.SERVICE
              && kind != AccessRequest.CallerKind.ANONYMOUS
              && Glob.matches(value, r.callerArn(), false);
      case SERVICE ->
          kind == AccessRequest.CallerKind.SERVICE && Glob.matches(value, r.principal(), true);
      default -> false;
    };
  }

  /** Returns whether this pattern names the role of a session caller. */
  boolean matchesRoleOf(AccessRequest r) {
    if (r.kind() != AccessRequest.CallerKind.SESSION) {
      return false;
    }
    switch (type) {
      case EVERYONE -> {
        return true;
      }
      case ROLE -> {
        return roleName != null
            && roleName.equals(r.roleName())
            && account != null
            && account.equals(r.account());
      }
      case WILDCARD -> {
        String roleArn = r.roleArn();
        if (roleArn == null) {
          roleArn = "arn:" + r.partition() + ":iam::" + r.account() + ":role/" + r.roleName();
        }
        return Glob.matches(value, roleArn, false);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Returns whether this pattern names every session of a role caller: everyone, or a wildcard that
   * matches {@code arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/*} (the star stands for any session
   * name).
   */
  boolean matchesEverySessionOf(AccessRequest r) {
    if (r.kind() != AccessRequest.CallerKind.ROLE) {
      return false;
    }
    return switch (type) {
      case EVERYONE -> true;
      case WILDCARD ->
          value.endsWith("*")
              && Glob.matches(
                  value,
                  "arn:"
                      + r.partition()
                      + ":sts::"
                      + r.account()
                      + ":assumed-role/"
                      + r.roleName()
                      + "/*",
                  false);
      default -> false;
    };
  }

  @Override
  public String toString() {
    return value;
  }
}
