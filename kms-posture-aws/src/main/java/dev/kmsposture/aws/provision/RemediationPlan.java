package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;

/**
 * The calls that fix a key's findings, in order, and what the fixes change for whom — a dry run,
 * printable and comparable.
 *
 * @param arn the key
 * @param region the key's Region
 * @param caller the principal that will make the calls
 * @param calls the calls, the policy first
 * @param fixes what each call fixes, in words
 * @param losingAccess for a policy replacement: each recent caller (principal and action) that the
 *     new policy would no longer allow — their access rested on IAM policies through the root
 *     statement, or on a statement the new policy drops
 * @param notes what could not be fixed and why (a value not given, a key that cannot rotate)
 */
public record RemediationPlan(
    String arn,
    String region,
    String caller,
    List<PlannedCall> calls,
    List<String> fixes,
    List<String> losingAccess,
    List<String> notes) {
  /** Copies the lists. */
  public RemediationPlan {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(caller, "caller");
    calls = List.copyOf(calls);
    fixes = List.copyOf(fixes);
    losingAccess = List.copyOf(losingAccess);
    notes = List.copyOf(notes);
  }

  /** Returns whether there is nothing to do. */
  public boolean isEmpty() {
    return calls.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("Remediation plan for ").append(arn).append(" (").append(region).append(")\n");
    b.append("  caller: ").append(caller).append('\n');
    if (calls.isEmpty()) {
      b.append("  calls: none\n");
    } else {
      b.append("  calls (").append(calls.size()).append("):\n");
      for (int i = 0; i < calls.size(); i++) {
        b.append("    ").append(i + 1).append(". ").append(calls.get(i)).append('\n');
      }
    }
    for (String f : fixes) {
      b.append("  fixes: ").append(f).append('\n');
    }
    for (String l : losingAccess) {
      b.append("  loses access: ").append(l).append('\n');
    }
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    return b.toString();
  }
}
