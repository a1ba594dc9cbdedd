package dev.kmsposture.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The whole planned command set, and a stand-in for each planned command that is not built yet.
 *
 * <p>A planned command that is not registered in {@link KmsPosture#SUBCOMMANDS} gets a stand-in
 * that takes any arguments and says "not available yet" ({@link ExitCode#BAD_INPUT}), instead of
 * "unknown command, did you mean analyze?". Registering the real command is all it takes to replace
 * the stand-in: stand-ins are added only for names no registered command has.
 */
final class PlannedCommands {
  /** A planned command: its name, what it does, and when it comes (for {@code demo}). */
  record Planned(String name, String summary, String comingWith) {}

  /** Every command of the plan, in the order {@code demo} lists them. */
  static final List<Planned> PLAN =
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
          new Planned(
              "local-kms",
              "run the embedded KMS on loopback for tests",
              "with the embedded KMS issue"));

  private PlannedCommands() {}

  /**
   * Adds a hidden stand-in to {@code root} for every planned command it does not have yet.
   *
   * @param root the root command line, with the built commands already registered
   */
  static void addStandIns(CommandLine root) {
    for (Planned planned : PLAN) {
      if (root.getSubcommands().containsKey(planned.name())) {
        continue;
      }
      CommandSpec spec = CommandSpec.wrapWithoutInspection(new NotYetAvailable(planned, root));
      spec.mixinStandardHelpOptions(true);
      spec.usageMessage()
          .hidden(true)
          .description(
              planned.summary() + " (not available yet; coming " + planned.comingWith() + ")");
      // Whatever the user passes (options included) belongs to the future command: take it all.
      spec.parser().unmatchedOptionsArePositionalParams(true);
      spec.addPositional(
          PositionalParamSpec.builder()
              .index("0..*")
              .arity("0..*")
              .paramLabel("ARGS")
              .type(String[].class)
              .hidden(true)
              .build());
      root.addSubcommand(planned.name(), spec);
    }
  }

  /** Returns whether {@code command} is a stand-in for a command that is not built yet. */
  static boolean isStandIn(CommandLine command) {
    return command.getCommandSpec().userObject() instanceof NotYetAvailable;
  }

  /** Returns the names of the commands that are available, in registration order. */
  static List<String> available(CommandLine root) {
    List<String> names = new ArrayList<>();
    root.getSubcommands()
        .forEach(
            (name, command) -> {
              if (!isStandIn(command)) {
                names.add(name);
              }
            });
    return names;
  }

  /** The stand-in's behaviour: say the command is planned but not built. */
  private static final class NotYetAvailable implements Callable<Integer> {
    private final Planned planned;
    private final CommandLine root;

    NotYetAvailable(Planned planned, CommandLine root) {
      this.planned = planned;
      this.root = root;
    }

    @Override
    public Integer call() {
      PrintWriter err = root.getErr();
      err.printf(
          "error: command [%s] is not available yet (it will %s; coming %s); available commands:"
              + " %s%n",
          planned.name(),
          planned.summary(),
          planned.comingWith(),
          String.join(", ", available(root)));
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }
}
