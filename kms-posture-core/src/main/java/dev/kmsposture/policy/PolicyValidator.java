package dev.kmsposture.policy;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.internal.policy.ConditionValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Finds what KMS accepts in a key policy but is wrong or risky. */
final class PolicyValidator {
  private PolicyValidator() {}

  static List<PolicyIssue> validate(KeyPolicy p, @Nullable String keyArn) {
    List<PolicyIssue> out = new ArrayList<>();
    if (p.version() == null) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.MISSING_VERSION,
              "",
              "the policy has no Version, so IAM applies the 2008-10-17 rules and ${...} policy"
                  + " variables are literal text; add \"Version\": \"2012-10-17\""));
    } else if (p.version() == PolicyVersion.V2008_10_17) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.LEGACY_VERSION,
              "/Version",
              "Version [2008-10-17] treats ${...} policy variables as literal text; use 2012-10-17"));
    }
    Map<String, Integer> sids = new HashMap<>();
    for (int i = 0; i < p.statements().size(); i++) {
      Statement s = p.statements().get(i);
      String ptr = p.pointerOf(i);
      if (s.sid() != null) {
        Integer first = sids.putIfAbsent(s.sid(), i);
        if (first != null) {
          out.add(
              new PolicyIssue(
                  PolicyIssue.Kind.DUPLICATE_SID,
                  ptr + "/Sid",
                  String.format(
                      "Sid [%s] is also used by %s; give each statement its own Sid",
                      s.sid(), p.pointerOf(first))));
        }
      }
      principals(s, ptr, out);
      boolean actionsCanMatch = actions(s, ptr, out);
      boolean resourcesCanMatch = resources(s, ptr, keyArn, out);
      conditions(s, ptr, p.version() == PolicyVersion.V2012_10_17, out);
      if (s.action() != null && s.resource() != null && (!actionsCanMatch || !resourcesCanMatch)) {
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.STATEMENT_NEVER_MATCHES,
                ptr,
                String.format(
                    "statement %s can never match a request on this key: %s; it has no effect",
                    describe(s, i),
                    !actionsCanMatch
                        ? "none of its actions is one a key policy can authorize"
                        : "none of its resources is this key")));
      }
    }
    return List.copyOf(out);
  }

  private static String describe(Statement s, int i) {
    return s.sid() == null ? "#" + i : "[" + s.sid() + "]";
  }

  private static void principals(Statement s, String ptr, List<PolicyIssue> out) {
    String element = s.isNotPrincipal() ? "NotPrincipal" : "Principal";
    String eptr = ptr + "/" + element;
    if (s.isNotPrincipal() && s.isAllow()) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.ALLOW_WITH_NOT_PRINCIPAL,
              eptr,
              "Allow with NotPrincipal is not supported by AWS; read literally it allows every"
                  + " principal except those named, in every account; name the allowed principals in"
                  + " Principal instead"));
    }
    Statement.PrincipalElement pe = s.principal();
    for (String type : pe.types()) {
      List<Principal> ofType = pe.ofType(type);
      boolean array = pe.arrayTypes().contains(type);
      for (int j = 0; j < ofType.size(); j++) {
        Principal pr = ofType.get(j);
        String pptr = type.equals("*") ? eptr : eptr + "/" + type + (array ? "/" + j : "");
        if (pr instanceof Principal.Federated || pr instanceof Principal.CanonicalUser) {
          out.add(
              new PolicyIssue(
                  PolicyIssue.Kind.INVALID_PRINCIPAL_TYPE,
                  pptr,
                  String.format(
                      "%s principal [%s] is not valid in a key policy; use an AWS principal (an"
                          + " account, role or user ARN) or a Service principal",
                      type, pr.value())));
        } else if (pr instanceof Principal.Aws aws) {

          switch (aws.kind()) {
            case PARTIAL_WILDCARD ->
                out.add(
                    new PolicyIssue(
                        PolicyIssue.Kind.PARTIAL_WILDCARD_PRINCIPAL,
                        pptr,
                        String.format(
                            "principal [%s] has a wildcard inside it; IAM accepts only the whole value"
                                + " \"*\", and analysis reads it as broadly as it could match; name"
                                + " the accounts or roles, or use \"*\" with an aws:PrincipalArn"
                                + " condition",
                            aws.value())));
            case UNIQUE_ID ->
                out.add(
                    new PolicyIssue(
                        PolicyIssue.Kind.ORPHANED_PRINCIPAL,
                        pptr,
                        String.format(
                            "principal [%s] is an IAM unique id: the user or role it named was"
                                + " deleted, so this entry grants or denies nobody; remove it (a new"
                                + " principal with the same name does not get this access)",
                            aws.value())));
            case UNRECOGNIZED ->
                out.add(
                    new PolicyIssue(
                        PolicyIssue.Kind.UNRECOGNIZED_PRINCIPAL,
                        pptr,
                        String.format(
                            "principal [%s] is not an account id, an IAM or STS principal ARN, a"
                                + " unique id or \"*\"",
                            aws.value())));
            default -> {}
          }
        }
      }
    }
  }

  /** Returns whether some action of an Action element can match a key-policy request. */
  private static boolean actions(Statement s, String ptr, List<PolicyIssue> out) {
    Statement.ActionElement a = s.action();
    if (a == null) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.MISSING_ACTION,
              ptr,
              "the statement has no Action or NotAction; KMS accepts it, but it has no effect"));
      return false;
    }
    String eptr = ptr + (a.negated() ? "/NotAction" : "/Action");
    if (a.actions().isEmpty()) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.EMPTY_ACTION,
              eptr,
              a.negated()
                  ? "NotAction is an empty list, so the statement applies to every action"
                  : "Action is an empty list; the statement matches no action and has no effect"));
      return a.negated();
    }
    boolean anyMatchable = a.negated();
    for (int j = 0; j < a.actions().size(); j++) {
      KmsAction k = a.actions().get(j);
      String aptr = a.array() ? eptr + "/" + j : eptr;
      if (!k.isKmsNamespace()) {
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.NON_KMS_ACTION,
                aptr,
                String.format(
                    "action [%s] is not a KMS action; a key policy governs only KMS actions on this"
                        + " key, so it never matches",
                    k.name())));
        continue;
      }
      if (k.isWildcard()) {
        var expanded = k.expand();
        if (expanded.isEmpty()) {
          out.add(
              new PolicyIssue(
                  PolicyIssue.Kind.UNKNOWN_ACTION,
                  aptr,
                  String.format("action pattern [%s] matches no KMS action", k.name())));
        } else if (expanded.stream().anyMatch(KmsAction::isKeyPolicyAuthorizable)) {
          anyMatchable = true;
        } else {
          out.add(
              new PolicyIssue(
                  PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY,
                  aptr,
                  String.format(
                      "action pattern [%s] matches only actions a key policy cannot authorize (%s);"
                          + " grant them in IAM policies",
                      k.name(), expanded)));
        }
        continue;
      }
      if (!k.isKnown()) {
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.UNKNOWN_ACTION,
                aptr,
                String.format(
                    "action [%s] is not a known KMS action; it never matches (check the spelling)",
                    k.name())));
        continue;
      }
      if (!k.isKeyPolicyAuthorizable()) {
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY,
                aptr,
                String.format(
                    "action [%s] is not authorized by a key policy (it does not act on a key);"
                        + " grant it in an IAM policy",
                    k.canonical().name())));
        continue;
      }
      anyMatchable = true;
    }
    return anyMatchable;
  }

  /** Returns whether some resource can match this key. */
  private static boolean resources(
      Statement s, String ptr, @Nullable String keyArn, List<PolicyIssue> out) {
    Statement.ResourceElement r = s.resource();
    if (r == null) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.MISSING_RESOURCE,
              ptr,
              "the statement has no Resource or NotResource; KMS accepts it, but it has no effect;"
                  + " add \"Resource\": \"*\" (in a key policy, * means this key)"));
      return false;
    }
    String eptr = ptr + (r.negated() ? "/NotResource" : "/Resource");
    if (r.resources().isEmpty()) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.EMPTY_RESOURCE,
              eptr,
              r.negated()
                  ? "NotResource is an empty list, so the statement applies to this key"
                  : "Resource is an empty list; the statement matches nothing and has no effect"));
      return r.negated();
    }
    if (r.negated()) {
      return true;
    }
    boolean any = false;
    for (int j = 0; j < r.resources().size(); j++) {
      String res = r.resources().get(j);
      String rptr = r.array() ? eptr + "/" + j : eptr;
      boolean matches;
      if (res.equals("*")) {
        matches = true;
      } else if (keyArn != null) {
        matches = Glob.matches(res, keyArn, false);
      } else {
        matches = couldNameKmsKey(res);
      }
      if (matches) {
        any = true;
      } else {
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.RESOURCE_NOT_THIS_KEY,
                rptr,
                String.format(
                    "resource [%s] is not %s; in a key policy the resource is always the key the"
                        + " policy is attached to, so this value never matches; write \"*\"",
                    res, keyArn == null ? "\"*\" or a KMS key ARN" : "this key (" + keyArn + ")")));
      }
    }
    return any;
  }

  private static boolean couldNameKmsKey(String res) {
    String[] parts = res.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      return false;
    }
    boolean service = Glob.matches(parts[2], "kms", false);
    boolean type = Glob.matches(parts[5].split("/", 2)[0], "key", false);
    return service && type;
  }

  private static void conditions(
      Statement s, String ptr, boolean variables, List<PolicyIssue> out) {
    Statement.ConditionElement c = s.condition();
    if (c == null) {
      return;
    }
    String cptr = ptr + "/Condition";
    if (c.conditions().isEmpty() && c.emptyOperators().isEmpty()) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.EMPTY_CONDITION_BLOCK,
              cptr,
              "Condition is empty ({}); it restricts nothing, so the statement applies"
                  + " unconditionally"));
    }
    for (ConditionOperator op : c.emptyOperators()) {
      out.add(
          new PolicyIssue(
              PolicyIssue.Kind.EMPTY_CONDITION_BLOCK,
              cptr + "/" + escape(op.name()),
              String.format("operator [%s] has no condition keys; it restricts nothing", op)));
      if (!op.isKnown()) {
        out.add(unknownOperator(op, cptr));
      }
    }
    String lastOp = null;
    for (Condition k : c.conditions()) {
      String optr = cptr + "/" + escape(k.operator().name());
      if (!k.operator().isKnown() && !k.operator().name().equals(lastOp)) {
        out.add(unknownOperator(k.operator(), cptr));
      }
      lastOp = k.operator().name();
      values(k, optr + "/" + escape(k.key().name()), variables, out);
      if (k.values().isEmpty()) {
        ConditionOperator op = k.operator();
        String absent =
            op.ifExists() || op.qualifier() == ConditionOperator.Qualifier.FOR_ALL_VALUES
                ? "; it is true only when the request has no "
                    + k.key()
                    + " ("
                    + (op.ifExists() ? "IfExists" : "ForAllValues")
                    + ")"
                : "";
        out.add(
            new PolicyIssue(
                PolicyIssue.Kind.EMPTY_CONDITION_VALUES,
                optr + "/" + escape(k.key().name()),
                String.format(
                    "condition [%s %s] has an empty value list, so it never matches a request that"
                        + " has the key%s; %s; list the values it should match",
                    op,
                    k.key(),
                    absent,
                    s.isAllow()
                        ? "this Allow grants (almost) nothing"
                        : "this Deny protects (almost) nothing")));
      }
    }
  }

  /** Reports the values of {@code k} that its operator cannot read (they never match). */
  private static void values(Condition k, String kptr, boolean variables, List<PolicyIssue> out) {
    ConditionValues.Type type = ConditionValues.typeOf(k.operator().isKnown(), k.operator().base());
    for (int j = 0; j < k.values().size(); j++) {
      String value = k.values().get(j).text();
      String vptr = k.array() ? kptr + "/" + j : kptr;
      ConditionValues.problem(type, value, variables)
          .ifPresent(
              problem ->
                  out.add(
                      new PolicyIssue(
                          value.contains("${")
                                  && variables
                                  && ConditionValues.allowsPolicyVariables(type)
                              ? PolicyIssue.Kind.MALFORMED_POLICY_VARIABLE
                              : PolicyIssue.Kind.INVALID_CONDITION_VALUE,
                          vptr,
                          String.format("condition [%s %s]: %s", k.operator(), k.key(), problem))));
    }
  }

  private static PolicyIssue unknownOperator(ConditionOperator op, String cptr) {
    return new PolicyIssue(
        PolicyIssue.Kind.UNKNOWN_CONDITION_OPERATOR,
        cptr + "/" + escape(op.name()),
        String.format(
            "condition operator [%s] is not an IAM operator (operator names are case-sensitive; %s)",
            op,
            op.base().equals("Null")
                ? "Null takes no IfExists or set qualifier"
                : "check spelling"));
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
