package dev.kmsposture.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of the {@code kms-posture} command: the one place they are defined.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>{@link #OK}</td><td>the command did what was asked</td></tr>
 *   <tr><td>1</td><td>{@link #FINDINGS}</td><td>a judging command found findings, or a request
 *       was denied</td></tr>
 *   <tr><td>2</td><td>{@link #BAD_INPUT}</td><td>bad input or usage: unknown option, missing
 *       parameter, unreadable file, invalid policy</td></tr>
 *   <tr><td>3</td><td>{@link #INTERNAL}</td><td>internal error: a bug or an unexpected
 *       failure</td></tr>
 * </table>
 */
final class ExitCode {
  /** The command did what was asked (and, where it judges, found nothing). */
  public static final int OK = 0;

  /** A command that judges (check, evaluate, …) found findings, or the request was denied. */
  public static final int FINDINGS = 1;

  /** Bad input or usage: an unknown option, a missing parameter, an unreadable or invalid file. */
  public static final int BAD_INPUT = 2;

  /** An internal error: a bug in kms-posture or an unexpected failure. */
  public static final int INTERNAL = 3;

  private ExitCode() {}

  /**
   * Returns each exit code with a one-line description, in code order, as shown in {@code --help}.
   *
   * @return an unmodifiable map from the code (as text, for picocli's help) to its description
   */
  public static Map<String, String> descriptions() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(Integer.toString(OK), "ok");
    codes.put(Integer.toString(FINDINGS), "findings, or access denied (commands that judge)");
    codes.put(Integer.toString(BAD_INPUT), "bad input or usage");
    codes.put(Integer.toString(INTERNAL), "internal error");
    return Collections.unmodifiableMap(codes);
  }
}
