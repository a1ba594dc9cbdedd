package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key-policy or identity-policy statement compiled for evaluation: the action element as a bit
 * mask over the catalog, the resources, the principals (key policy only) and the conditions.
 */
final class CompiledStatement {
  final boolean allow;
  final StatementRef ref;
  final List<StatementRef> refs;
  final String label;
  private final boolean hasAction;
  private final boolean notAction;
  private final long actionMask;
  private final List<KmsAction> actionPatterns;
  private final boolean hasResource;
  private final boolean notResource;
  private final String[] resources;
  private final boolean resourceVariables;
  final boolean notPrincipal;
  final PrincipalPattern @Nullable [] principals;
  final CompiledCondition[] conditions;

  CompiledStatement(
      StatementRef ref,
      boolean allow,
      Statement.@Nullable ActionElement action,
      Statement.@Nullable ResourceElement resource,
      List<Condition> conditions,
      Statement.@Nullable PrincipalElement principal,
      boolean variables) {
    this.ref = ref;
    this.refs = List.of(ref);
    this.label = ref.describe();
    this.allow = allow;
    this.hasAction = action != null;
    this.notAction = action != null && action.negated();
    this.actionPatterns = action == null ? List.of() : action.actions();
    this.actionMask = ActionIndex.maskOf(actionPatterns);
    this.hasResource = resource != null;
    this.notResource = resource != null && resource.negated();
    this.resources = resource == null ? new String[0] : resource.resources().toArray(new String[0]);
    boolean vars = false;
    for (String r : resources) {
      vars |= variables && r.contains("${");
    }
    this.resourceVariables = vars;
    this.conditions = new CompiledCondition[conditions.size()];
    for (int i = 0; i < this.conditions.length; i++) {
      this.conditions[i] = new CompiledCondition(conditions.get(i), variables);
    }
    if (principal == null) {
      this.notPrincipal = false;
      this.principals = null;
    } else {
      this.notPrincipal = principal.negated();
      List<Principal> ps = principal.principals();
      this.principals = new PrincipalPattern[ps.size()];
      for (int i = 0; i < ps.size(); i++) {
        this.principals[i] = PrincipalPattern.of(ps.get(i));
      }
    }
  }

  /**
   * Returns the catalog actions the Action/NotAction element covers, as a mask over {@link
   * ActionIndex}.
   */
  long effectiveActionMask() {
    if (!hasAction) {
      return 0L;
    }
    return notAction ? ~actionMask : actionMask;
  }

  /** Returns whether the statement's Action/NotAction covers the request's action. */
  boolean actionMatches(AccessRequest r) {
    if (!hasAction) {
      return false;
    }
    int index = r.actionIndex();
    boolean m;
    if (index >= 0) {
      m = (actionMask & (1L << index)) != 0;
    } else {
      m = false;
      String name = r.action().name();
      for (KmsAction p : actionPatterns) {
        if (p.matches(name)) {
          m = true;
          break;
        }
      }
    }
    return m != notAction;
  }

  /** Returns whether the Resource/NotResource covers {@code keyArn} (case-sensitive). */
  // PolicyVariables.UNKNOWN is a sentinel instance, not a value.
  @SuppressWarnings("ReferenceEquality")
  boolean resourceMatches(String keyArn, AccessRequest r) {
    if (!hasResource) {
      return false;
    }
    boolean m = false;
    for (String res : resources) {
      if (res.equals("*") || res.equals(keyArn)) {
        m = true;
        break;
      }
      if (resourceVariables && res.contains("${")) {
        String sub = PolicyVariables.substitute(res, r);
        if (sub == PolicyVariables.UNKNOWN) {
          // Unknown value: read the resource as matching for a Deny, not for an Allow.
          if (!allow) {
            m = true;
            break;
          }
          continue;
        }
        if (sub != null && Glob.matches(sub, PolicyVariables.protect(keyArn), false)) {
          m = true;
          break;
        }
      } else if (Glob.matches(res, keyArn, false)) {
        m = true;
        break;
      }
    }
    return m != notResource;
  }

  /** Whether resource matching depends on the request (policy variables in Resource). */
  boolean resourceDependsOnRequest() {
    return resourceVariables;
  }

  /**
   * Matches the principal element: {@link PrincipalPattern#DIRECT}, {@link
   * PrincipalPattern#ACCOUNT} or {@link PrincipalPattern#NONE}. A {@code NotPrincipal} element
   * applies to every caller it does not exempt (see {@link #exempts(AccessRequest)}).
   */
  int principalMatch(AccessRequest r) {
    PrincipalPattern[] ps = principals;
    if (ps == null) {
      return PrincipalPattern.DIRECT;
    }
    if (notPrincipal) {
      return exempts(r) ? PrincipalPattern.NONE : PrincipalPattern.DIRECT;
    }
    int best = PrincipalPattern.NONE;
    for (PrincipalPattern p : ps) {
      int m = p.match(r);
      if (m > best) {
        best = m;
        if (best == PrincipalPattern.DIRECT) {
          break;
        }
      }
    }
    return best;
  }

  /**
   * Returns whether a {@code NotPrincipal} element exempts the caller. IAM "NotPrincipal": an
   * account ARN exempts only its root user; a session is exempt only when both its session ARN and
   * its role ARN are listed; a principal with a permissions boundary is never exempt from a Deny. A
   * role calls only through its sessions, so a request that names a role stands for a session whose
   * ARN the request does not give: it is exempt only when the role is listed and a pattern covers
   * every session of the role ({@code *}, or a wildcard over {@code assumed-role/ROLE/}).
   */
  boolean exempts(AccessRequest r) {
    PrincipalPattern[] ps = principals;
    if (ps == null) {
      return false;
    }
    if (!allow
        && r.hasPermissionsBoundary()
        && r.kind() != AccessRequest.CallerKind.SERVICE
        && r.kind() != AccessRequest.CallerKind.ANONYMOUS) {
      return false;
    }
    boolean self = false;
    for (PrincipalPattern p : ps) {
      if (p.matchesSelf(r)) {
        self = true;
        break;
      }
    }
    if (self && r.kind() == AccessRequest.CallerKind.ROLE) {
      for (PrincipalPattern p : ps) {
        if (p.matchesEverySessionOf(r)) {
          return true;
        }
      }
      return false;
    }
    if (!self || r.kind() != AccessRequest.CallerKind.SESSION) {
      return self;
    }
    for (PrincipalPattern p : ps) {
      if (p.matchesRoleOf(r)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the index of the first pattern that directly matches, or -1. */
  int matchingPattern(AccessRequest r) {
    PrincipalPattern[] ps = principals;
    if (ps == null || notPrincipal) {
      return -1;
    }
    for (int i = 0; i < ps.length; i++) {
      if (ps[i].match(r) != PrincipalPattern.NONE) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Evaluates the conditions (ANDed). Returns {@code result | (index << 2)}, where result is a
   * {@link CompiledCondition} constant and index the first condition that did not match (or could
   * not be told).
   */
  int conditions(AccessRequest r) {
    int unknownAt = -1;
    for (int i = 0; i < conditions.length; i++) {
      int m = conditions[i].evaluate(r);
      if (m == CompiledCondition.NO_MATCH) {
        return CompiledCondition.NO_MATCH | (i << 2);
      }
      if (m == CompiledCondition.CANNOT_TELL && unknownAt < 0) {
        unknownAt = i;
      }
    }
    return unknownAt < 0
        ? CompiledCondition.MATCH
        : CompiledCondition.CANNOT_TELL | (unknownAt << 2);
  }
}
