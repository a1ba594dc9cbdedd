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
 * {@code kms-posture demo}: checks the bundled sample snapshot (the account an audit finds: a
 * production key without rotation on the console's root policy, a public key, a key pending
 * deletion that was used last week, …) with every built-in rule and prints the Markdown report,
 * worst key first; then lists what the command line can do. {@code --commands} prints only the
 * list.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Check a sample account snapshot (shipped with kms-posture; no AWS account needed) with every"
          + " built-in rule and print the Markdown report, worst key first; then list the commands.",
      "The same as: kms-posture check examples/src/main/resources/demo/snapshot.json"
          + " --format markdown"
    })
public final class DemoCommand implements Callable<Integer> {

  /** The whole planned command set; a command is "available" once it is registered. */
  private static final List<Planned> PLAN =
      List.of(
          new Planned("demo", "check a sample snapshot and show what kms-posture can do", ""),
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

  @CommandLine.Option(
      names = "--commands",
      description = "Print only the list of commands, not the sample report.")
  private boolean commandsOnly;

  /** Creates the command; picocli calls this. */
  public DemoCommand() {}

  /**
   * Prints the sample report (unless {@code --commands}) and the command list.
   *
   * @return {@link ExitCode#OK}
   */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CommandLine root = spec.root().commandLine();
    Map<String, CommandLine> registered = root.getSubcommands();
    if (!commandsOnly) {
      out.print(DemoReport.markdown());
      out.println();
      out.println("---");
      out.println();
    }
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
