package dev.kmsposture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * What {@code analyze --prove} proved, as plain values: this class never touches the prover, so the
 * command loads it whether or not the prover is on the class path ({@link ProveSection} does the
 * proving).
 *
 * @param solver the solver's version, such as {@code Z3 4.14.1.0}
 * @param keyArn the key ARN the questions named
 * @param publicAccess can a principal of an account or organization the policy does not name use
 *     the key?
 * @param outsideAccess can a principal outside the key's account use the key?
 * @param accountCanPutKeyPolicy can some principal of the account still change the policy?
 * @param caller can the {@code --caller} call {@code kms:PutKeyPolicy}? (null without {@code
 *     --caller})
 * @param newAccess does the policy allow a request the {@code --diff} policy did not? (null without
 *     {@code --diff})
 */
record ProofReport(
    String solver,
    String keyArn,
    Answer publicAccess,
    Answer outsideAccess,
    Answer accountCanPutKeyPolicy,
    @Nullable Answer caller,
    @Nullable Answer newAccess) {

  /** The class the prover module provides. */
  static final String PROVER_CLASS = "dev.kmsposture.prover.PolicyProver";

  /** Whether the prover module is on the class path (without loading anything of it). */
  static boolean proverAvailable() {
    try {
      Class.forName(PROVER_CLASS, false, ProofReport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** An answer: yes (with the witness request), proved no, or unknown (with why). */
  record Answer(Kind kind, String detail) {
    enum Kind {
      YES,
      NO,
      UNKNOWN
    }

    /** The verdict when the prover answered, else {@code fallback}. */
    boolean isYes(boolean fallback) {
      return kind == Kind.UNKNOWN ? fallback : kind == Kind.YES;
    }

    String words(String yes, String no) {
      return switch (kind) {
        case YES -> yes + " - " + detail;
        case NO -> no + " (proved)";
        case UNKNOWN -> "unknown - " + detail;
      };
    }

    void writeTo(ObjectNode node) {
      node.put(
          "answer",
          switch (kind) {
            case YES -> "FOUND_WITNESS";
            case NO -> "PROVED_NO";
            case UNKNOWN -> "UNKNOWN";
          });
      node.put("detail", detail);
    }
  }

  void print(PrintWriter out) {
    out.println();
    out.println("Proofs (" + solver + "; key " + keyArn + "; requests AWS sends):");
    out.println("  Public: " + publicAccess.words("YES", "no"));
    out.println("  Outside the account: " + outsideAccess.words("YES", "no"));
    out.println(
        "  Lockout: "
            + accountCanPutKeyPolicy.words("no, this principal can still change it", "YES"));
    if (caller != null) {
      out.println("  Lockout safety check for the caller: " + caller.words("passes", "FAILS"));
    }
    if (newAccess != null) {
      out.println("  New access: " + newAccess.words("YES", "none"));
    }
  }

  void writeTo(ObjectNode node) {
    node.put("solver", solver);
    node.put("keyArn", keyArn);
    publicAccess.writeTo(node.putObject("public"));
    outsideAccess.writeTo(node.putObject("outsideAccount"));
    accountCanPutKeyPolicy.writeTo(node.putObject("accountCanPutKeyPolicy"));
    if (caller != null) {
      caller.writeTo(node.putObject("callerCanPutKeyPolicy"));
    }
    if (newAccess != null) {
      newAccess.writeTo(node.putObject("newAccess"));
    }
  }
}
