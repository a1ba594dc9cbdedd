package dev.kmsposture.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture demo}: prints what the command line can do, one line per command, and which
 * commands are still to come.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Show what kms-posture can do: each command, and which are still to come.")
public final class DemoCommand implements Callable<Integer> {

  /** The whole planned command set; a command is "available" once it is registered. */
  private static final List<Planned> PLAN =
      List.of(
          new Planned("demo", "show what kms-posture can do (this list)", ""),
          new Planned(
              "validate",
              "parse a key policy and say where it is malformed",
              "with the core issues"),
          new Planned(
              "evaluate",
              "decide whether one request is allowed by a key policy, and why",
              "with the core issues"),
          new Planned(
              "analyze",
              "show who can do what with a key: public, cross-account, admin and use together",
              "with the core issues"),
          new Planned(
              "policy", "build a least-privilege key policy from roles", "with the core issues"),
          new Planned(
              "check",
              "run the posture rules on a key policy or snapshot and report findings",
              "with the core issues"),
          new Planned(
              "scan", "read the keys of a live account into a snapshot and check them", "later"),
          new Planned(
              "provision", "create a key from a blueprint, checked before any KMS call", "later"),
          new Planned("retire", "disable a key and schedule its deletion in safe steps", "later"),
          new Planned("fix", "apply the remediations of findings to a key", "later"),
          new Planned("local-kms", "run the embedded KMS on loopback for tests", "later"));

  @Spec private CommandSpec spec = CommandSpec.create();

  /** Creates the command; picocli calls this. */
  public DemoCommand() {}

  /**
   * Prints the command list.
   *
   * @return {@link ExitCode#OK}
   */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CommandLine root = spec.root().commandLine();
    Map<String, CommandLine> registered = root.getSubcommands();
    out.println(
        "kms-posture checks that AWS KMS keys are correct and creates them correctly, in-process.");
    out.println();
    out.println("Commands:");
    int width = PLAN.stream().mapToInt(p -> p.name().length()).max().orElse(0);
    for (Planned command : PLAN) {
      String status =
          registered.containsKey(command.name()) ? "available" : "coming " + command.comingWith();
      out.printf("  %-" + width + "s  %s [%s]%n", command.name(), command.summary(), status);
    }
    out.println();
    List<String> codes = new ArrayList<>();
    ExitCode.descriptions().forEach((code, meaning) -> codes.add(code + " " + meaning));
    out.println("Exit codes: " + String.join("; ", codes) + ".");
    out.println("Run 'kms-posture COMMAND --help' for a command's options.");
    out.flush();
    return ExitCode.OK;
  }

  private record Planned(String name, String summary, String comingWith) {}
}
