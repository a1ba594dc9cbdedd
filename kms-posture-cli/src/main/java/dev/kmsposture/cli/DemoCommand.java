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
final class DemoCommand implements Callable<Integer> {

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
    int width = CommandList.ENTRIES.stream().mapToInt(e -> e.name().length()).max().orElse(0);
    for (CommandList.Entry command : CommandList.ENTRIES) {
      String status = registered.containsKey(command.name()) ? "available" : "not registered";
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
}
