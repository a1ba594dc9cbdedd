package dev.kmsposture.access;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of evaluating one {@link AccessRequest}, with the statements that decided it and a
 * one-line explanation.
 *
 * <p>A decision is made with respect to the policies the evaluator was given; {@link
 * #notSupplied()} lists the policy types that AWS would also evaluate but that were not supplied
 * (service control policies, resource control policies, VPC endpoint policies, permissions
 * boundaries, session policies, and the caller's IAM policies when the decision rests on them).
 *
 * @param outcome allowed, explicitly denied or implicitly denied
 * @param delegatedToIam whether the decision rests on the key policy delegating to the caller's IAM
 *     policies (an Allow naming the account): true when those policies allowed, did not allow, or
 *     were not supplied
 * @param statements the statements that decided it: the denying statement, or the allowing
 *     statements (key policy, identity policy, grant); for an implicit denial, the nearest miss
 *     when there is one
 * @param notSupplied the policy types not supplied that AWS would also evaluate
 * @param reason the explanation, formatted when first read (see {@link #explanation()})
 */
public record Decision(
    Outcome outcome,
    boolean delegatedToIam,
    List<StatementRef> statements,
    List<String> notSupplied,
    Reason reason) {

  /** How a request was decided. */
  public enum Outcome {
    /** A supplied policy or grant allows the request, and none denies it. */
    ALLOWED,
    /** A statement that applies to the request denies it. */
    EXPLICITLY_DENIED,
    /** No supplied policy or grant allows the request (IAM's default deny). */
    IMPLICITLY_DENIED
  }

  /** Copies the lists and checks the parts. */
  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    statements = List.copyOf(statements);
    notSupplied = List.copyOf(notSupplied);
  }

  /**
   * Creates a decision with a ready explanation.
   *
   * @param outcome allowed, explicitly denied or implicitly denied
   * @param delegatedToIam whether the decision rests on the key policy delegating to IAM
   * @param statements the statements that decided it
   * @param explanation the one-line explanation
   * @param notSupplied the policy types not supplied
   */
  public Decision(
      Outcome outcome,
      boolean delegatedToIam,
      List<StatementRef> statements,
      String explanation,
      List<String> notSupplied) {
    this(outcome, delegatedToIam, statements, notSupplied, Reason.of(explanation));
  }

  /**
   * Returns the one-line explanation: the outcome, the statements that decided it (index, Sid, JSON
   * Pointer) and why they applied, or for an implicit denial the nearest miss, followed by the
   * policy types that were not evaluated.
   */
  public String explanation() {
    return reason.text();
  }

  /**
   * The explanation of a decision, formatted on first use: evaluation stays cheap when only the
   * outcome is read, and a writer can {@linkplain #appendTo append} it to its own buffer without a
   * String of its own. Immutable and thread-safe; equality is on the text.
   */
  public static final class Reason {
    private final @Nullable Format format;
    private @Nullable String text;

    /** Appends an explanation's text to a buffer. */
    @FunctionalInterface
    interface Format {
      void appendTo(StringBuilder sb);
    }

    private Reason(@Nullable String text, @Nullable Format format) {
      this.text = text;
      this.format = format;
    }

    /** Returns a reason with the ready text {@code text}. */
    public static Reason of(String text) {
      return new Reason(Objects.requireNonNull(text, "text"), null);
    }

    /** Returns a reason whose text {@code format} appends when first read. */
    static Reason lazy(Format format) {
      return new Reason(null, Objects.requireNonNull(format, "format"));
    }

    /** Returns the text, formatting it on first use. */
    public String text() {
      String t = text;
      if (t == null) {
        // A benign race: String is immutable, so a second thread at worst formats it again.
        StringBuilder sb = new StringBuilder(384);
        Objects.requireNonNull(format, "format").appendTo(sb);
        t = sb.toString();
        text = t;
      }
      return t;
    }

    /**
     * Appends the text to {@code sb}: the same characters as {@link #text()}, formatted straight
     * into {@code sb} when they were not formatted yet (and not kept).
     *
     * @param sb where the text goes
     * @return {@code sb}
     */
    public StringBuilder appendTo(StringBuilder sb) {
      String t = text;
      if (t != null) {
        return sb.append(t);
      }
      Objects.requireNonNull(format, "format").appendTo(sb);
      return sb;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reason reason && reason.text().equals(text());
    }

    @Override
    public int hashCode() {
      return text().hashCode();
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /** Returns whether the request is allowed. */
  public boolean isAllowed() {
    return outcome == Outcome.ALLOWED;
  }
}
