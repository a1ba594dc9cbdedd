package dev.kmsposture.cli;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessDiff;
import dev.kmsposture.access.LockoutCheck;
import dev.kmsposture.access.LockoutVerdict;
import dev.kmsposture.access.PublicVerdict;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which verdicts of {@code analyze} fail the run ({@code --fail-on public,cross-account,lockout}),
 * and why a run fails.
 *
 * <p>Fail-safe: a verdict analysis cannot decide counts as holding, unless {@code --allow-unknown}.
 * Undecided are: a wildcard Allow narrowed only to a network origin ({@code aws:SourceVpce}, {@code
 * aws:SourceVpc}, a narrow {@code aws:SourceIp}; {@link
 * PublicVerdict#NOT_PUBLIC_ACCOUNTS_UNKNOWN}), which may or may not reach principals outside the
 * account, so it fails {@code public} and {@code cross-account}; {@link
 * PublicVerdict#POSSIBLY_PUBLIC}; {@link LockoutVerdict#POSSIBLY_LOCKED_OUT} and {@link
 * LockoutVerdict#LOCKED_OUT_UNLESS} (the policy can be changed only with request context the caller
 * does not choose); an Allow that possibly reaches other accounts; and a caller check that possibly
 * fails or passes only with such context.
 */
final class AnalyzeVerdict {
  /** A verdict a run can fail on. */
  enum Verdict {
    /** The key is public (or possibly public). */
    PUBLIC("public"),
    /** An Allow reaches principals outside the key's account (or possibly does). */
    CROSS_ACCOUNT("cross-account"),
    /** Nobody (but a deleted or unrecognized principal) can change the policy any more. */
    LOCKOUT("lockout");

    private final String flag;

    Verdict(String flag) {
      this.flag = flag;
    }

    /** Returns the name used with {@code --fail-on}. */
    String flag() {
      return flag;
    }
  }

  /** The default of {@code --fail-on}: the verdicts {@code analyze} always failed on. */
  static final String DEFAULT = "public,lockout";

  private AnalyzeVerdict() {}

  /**
   * Parses the values of {@code --fail-on} (each may be a comma-separated list).
   *
   * @throws BadInputException for a value that is not a verdict, or {@code none} with others
   */
  static Set<Verdict> parse(List<String> values) {
    Set<Verdict> out = EnumSet.noneOf(Verdict.class);
    boolean none = false;
    for (String value : values) {
      for (String part : value.split(",", -1)) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (name.equals("none")) {
          none = true;
          continue;
        }
        Verdict found = null;
        for (Verdict v : Verdict.values()) {
          if (v.flag().equals(name)) {
            found = v;
          }
        }
        if (found == null) {
          throw new BadInputException(
              String.format(
                  "--fail-on [%s] is not a verdict; expected public, cross-account, lockout (one or"
                      + " more, comma-separated or repeated) or none",
                  part));
        }
        out.add(found);
      }
    }
    if (none && !out.isEmpty()) {
      throw new BadInputException(
          "--fail-on none cannot be combined with verdicts; give either none or the verdicts");
    }
    return out;
  }

  /**
   * Returns why the run fails, one reason per failing verdict (empty when it passes).
   *
   * @param failOn the verdicts that fail the run
   * @param allowUnknown whether a verdict analysis cannot decide passes
   * @param analysis the analysis
   * @param check the caller's lockout safety check, when {@code --caller} was given
   * @param diff the access diff, when {@code --diff} was given
   */
  static List<String> reasons(
      Set<Verdict> failOn,
      boolean allowUnknown,
      AccessAnalysis analysis,
      @Nullable LockoutCheck check,
      @Nullable AccessDiff diff) {
    List<String> out = new ArrayList<>();
    PublicVerdict pub = analysis.publicVerdict();
    boolean accountsUnknown = pub == PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN && !allowUnknown;
    String unknown =
        "a wildcard Allow is narrowed only to a network origin, so which accounts can call is not"
            + " known (--allow-unknown accepts this)";
    if (failOn.contains(Verdict.PUBLIC)) {
      if (pub == PublicVerdict.PUBLIC) {
        out.add("--fail-on public: the key is public");
      } else if (pub == PublicVerdict.POSSIBLY_PUBLIC && !allowUnknown) {
        out.add(
            "--fail-on public: the key may be public; the analysis cannot tell"
                + " (--allow-unknown accepts this)");
      } else if (accountsUnknown) {
        out.add("--fail-on public: the key may be public: " + unknown);
      }
    }
    if (failOn.contains(Verdict.CROSS_ACCOUNT)) {
      boolean only = !analysis.crossAccountReasons().isEmpty();
      for (StatementReason r : analysis.crossAccountReasons()) {
        only &= r.code() == ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT;
      }
      if (analysis.isCrossAccount() && !only) {
        out.add(
            "--fail-on cross-account: an Allow reaches principals outside account "
                + analysis.keyAccount()
                + (analysis.externalAccounts().isEmpty()
                    ? ""
                    : " (accounts "
                        + analysis.externalAccounts().stream().map(AccountId::value).toList()
                        + ")"));
      } else if (only && !allowUnknown) {
        out.add(
            "--fail-on cross-account: an Allow may reach principals outside account "
                + analysis.keyAccount()
                + "; the analysis cannot tell (--allow-unknown accepts this)");
      } else if (accountsUnknown) {
        out.add("--fail-on cross-account: the key may be shared with other accounts: " + unknown);
      }
    }
    if (failOn.contains(Verdict.LOCKOUT)) {
      LockoutVerdict lockout = analysis.lockoutVerdict();
      if (lockout == LockoutVerdict.LOCKED_OUT
          || (lockout != LockoutVerdict.NOT_LOCKED_OUT && !allowUnknown)) {
        out.add("--fail-on lockout: " + analysis.lockoutExplanation());
      }
    }
    if (check != null) {
      switch (check.verdict()) {
        case FAILS -> out.add("--caller: the caller would fail KMS's lockout safety check");
        case POSSIBLY_FAILS, PASSES_WITH_CONTEXT -> {
          if (!allowUnknown) {
            out.add(
                "--caller: the caller may fail KMS's lockout safety check: "
                    + check.explanation()
                    + " (--allow-unknown accepts this)");
          }
        }
        case PASSES -> {}
      }
    }
    if (diff != null && diff.grantsNewAccess()) {
      out.add("--diff: the policy grants access the old one did not");
    } else if (diff != null && !diff.isExhaustive() && !allowUnknown) {
      out.add(
          "--diff: the policy may grant access the old one did not; the diff cannot tell: "
              + String.join("; ", diff.whyNotExhaustive())
              + " (--allow-unknown accepts this)");
    }
    return out;
  }
}
