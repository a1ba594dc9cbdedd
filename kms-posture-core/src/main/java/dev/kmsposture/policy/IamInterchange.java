package dev.kmsposture.policy;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/** Converts to the SDK's IAM Policy Builder model, refusing where it would change meaning. */
final class IamInterchange {
  private IamInterchange() {}

  static IamPolicy toIamPolicy(KeyPolicy p) {
    for (int i = 0; i < p.statements().size(); i++) {
      Statement s = p.statements().get(i);
      for (Condition c : s.conditions()) {
        if (c.values().isEmpty()) {
          throw new IllegalStateException(
              String.format(
                  "cannot convert to IamPolicy: condition [%s %s] in statement %s has no values, and"
                      + " the SDK model would drop it, which widens an Allow or disables a Deny",
                  c.operator(), c.key(), p.pointerOf(i)));
        }
      }
    }
    String json = p.toCompactJson();
    if (p.version() == null && json.contains("${")) {
      throw new IllegalStateException(
          "cannot convert to IamPolicy: the policy has no Version, so ${...} is literal text, but the"
              + " SDK model would write Version 2012-10-17 and turn it into a policy variable");
    }
    IamPolicy iam = IamPolicy.fromJson(json);
    KeyPolicy back = KeyPolicy.from(iam);
    if (!back.isEquivalentTo(p)) {
      throw new IllegalStateException(
          "cannot convert to IamPolicy without changing meaning; the SDK model read it as "
              + back.toCompactJson());
    }
    return iam;
  }
}
