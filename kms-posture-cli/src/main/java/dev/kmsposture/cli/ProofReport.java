package dev.kmsposture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.access.AccessAnalysis;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

  /**
   * Returns why the run fails with {@code --prove}: for each verdict the prover answered, its
   * answer (with the witness); for a verdict it could not answer, the analysis's reason ({@code
   * analysisReasons}, as {@link AnalyzeVerdict#reasons} gives them).
   */
  List<String> reasons(
      List<String> analysisReasons, Set<AnalyzeVerdict.Verdict> failOn, AccessAnalysis analysis) {
    List<String> out = new ArrayList<>();
    if (failOn.contains(AnalyzeVerdict.Verdict.PUBLIC)) {
      decide(out, analysisReasons, "--fail-on public:", publicAccess, true, "the key is public");
    }
    if (failOn.contains(AnalyzeVerdict.Verdict.CROSS_ACCOUNT)) {
      decide(
          out,
          analysisReasons,
          "--fail-on cross-account:",
          outsideAccess,
          true,
          "a principal outside account " + analysis.keyAccount() + " can use the key");
    }
    if (failOn.contains(AnalyzeVerdict.Verdict.LOCKOUT)) {
      decide(
          out,
          analysisReasons,
          "--fail-on lockout:",
          accountCanPutKeyPolicy,
          false,
          "no principal of the account can call kms:PutKeyPolicy any more");
    }
    if (caller != null) {
      decide(
          out,
          analysisReasons,
          "--caller:",
          caller,
          false,
          "the caller would fail KMS's lockout safety check");
    }
    if (newAccess != null) {
      decide(
          out,
          analysisReasons,
          "--diff:",
          newAccess,
          true,
          "the policy grants access the old one did not");
    }
    return out;
  }

  // The prover's answer decides the verdict (it fails on "yes" when failsOnYes, else on "no");
  // an unknown answer leaves the analysis's reasons with this prefix.
  private static void decide(
      List<String> out,
      List<String> analysisReasons,
      String prefix,
      Answer answer,
      boolean failsOnYes,
      String holds) {
    switch (answer.kind()) {
      case UNKNOWN -> {
        for (String r : analysisReasons) {
          if (r.startsWith(prefix)) {
            out.add(r + " (the prover could not tell: " + answer.detail() + ")");
          }
        }
      }
      case YES -> {
        if (failsOnYes) {
          out.add(prefix + " " + holds + " (proved; " + answer.detail() + ")");
        }
      }
      case NO -> {
        if (!failsOnYes) {
          out.add(prefix + " " + holds + " (proved)");
        }
      }
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
