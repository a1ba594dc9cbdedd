package dev.kmsposture.policy;

import dev.kmsposture.internal.json.JsonPointers;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

/**
 * Converts to the SDK's IAM Policy Builder model, refusing where it would change meaning: an empty
 * condition-value list (the SDK drops it), a missing Version (the SDK fills in 2012-10-17), and
 * anything else the SDK reads back with another meaning.
 */
final class IamInterchange {
  private IamInterchange() {}

  static IamPolicy toIamPolicy(KeyPolicy p) {
    for (int i = 0; i < p.statements().size(); i++) {
      Statement s = p.statements().get(i);
      for (Condition c : s.conditions()) {
        if (c.values().isEmpty()) {
          throw new IllegalStateException(
              String.format(
                  "cannot convert to IamPolicy: condition [%s %s] at %s has an empty value list,"
                      + " and the SDK model drops it, which widens an Allow or disables a Deny",
                  c.operator(),
                  c.key(),
                  JsonPointers.child(
                      JsonPointers.child(p.pointerOf(i) + "/Condition", c.operator().name()),
                      c.key().name())));
        }
      }
    }
    if (p.version() == null) {
      // IamPolicy (iam-policy-builder 2.41.6) replaces a null Version with 2012-10-17, both in its
      // builder and in fromJson, so it cannot carry "no Version" (which IAM reads as 2008-10-17).
      throw new IllegalStateException(
          "cannot convert to IamPolicy: the policy has no Version (IAM then applies the 2008-10-17"
              + " rules, where ${...} is literal text), but the SDK model always writes Version"
              + " 2012-10-17; set the Version explicitly with toBuilder().version(...)");
    }
    String json = p.toCompactJson();
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
