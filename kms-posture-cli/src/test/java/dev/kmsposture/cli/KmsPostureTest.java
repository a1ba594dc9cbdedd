package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class KmsPostureTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Map<String, String> environment = new HashMap<>();

  private CommandLine commandLine() {
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine commandLine =
        KmsPosture.commandLine(
            outWriter, errWriter, new ByteArrayInputStream(new byte[0]), environment::get);
    commandLine.addSubcommand(new FailingCommand());
    // Writers reach only the subcommands present when they are set; set them again for "fail".
    commandLine.setOut(outWriter);
    commandLine.setErr(errWriter);
    return commandLine;
  }

  private int run(String... args) {
    return commandLine().execute(args);
  }

  @Test
  void help_root_listsCommandsAndExitCodes() {
    int code = run("--help");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("Usage: kms-posture [-hV] [--debug] COMMAND")
        .contains("demo")
        .contains("Exit codes:")
        .contains("2   bad input or usage")
        .contains("3   internal error");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void version_root_printsProjectVersion() {
    int code = run("--version");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("kms-posture " + KmsPosture.VersionProvider.version());
    assertThat(KmsPosture.VersionProvider.version()).isNotBlank().doesNotContain("${");
  }

  @Test
  void demo_noArguments_printsTheSampleReportWorstKeyFirstThenTheCommands() {
    // given
    String[] args = {"demo"};

    // when
    int code = run(args);

    // then
    assertThat(code).isEqualTo(ExitCode.OK);
    String text = out.toString();
    assertThat(text).startsWith("# ").contains("111122223333");
    assertThat(text.indexOf("legacy-billing")).isLessThan(text.indexOf("prod-orders-ledger"));
    assertThat(text)
        .contains("prod-customer-pii")
        .contains("shared-s3-uploads")
        .contains("demo       check a sample snapshot and show what kms-posture can do [available]")
        .contains(
            "check      run the posture rules on a key policy or snapshot and report findings"
                + " [available]")
        .contains("local-kms  run the embedded KMS on loopback for tests [available]");
    assertThat(text.indexOf("Commands:")).isGreaterThan(text.indexOf("prod-customer-pii"));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void demo_commandsOnly_listsEveryCommandWithItsStatus() {
    // given
    String[] args = {"demo", "--commands"};

    // when
    int code = run(args);

    // then
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .startsWith("kms-posture checks that AWS KMS keys are correct")
        .contains("validate   parse a key policy and say where it is malformed [available]")
        .contains(
            "Exit codes: 0 ok; 1 findings, or access denied (commands that judge); 2 bad input"
                + " or usage; 3 internal error.");
    assertThat(out.toString().lines().filter(l -> l.startsWith("  ")).count()).isEqualTo(11);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void demo_help_printsDemoUsage() {
    int code = run("demo", "--help");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("Usage: kms-posture demo").contains("Exit codes:");
  }

  @Test
  void execute_noCommand_printsUsageOnStderrAndExitsBadInput() {
    int code = run();

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: no command given").contains("Usage: kms-posture");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void execute_unknownCommand_namesItAndExitsBadInput() {
    int code = run("frobnicate");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: unknown command [frobnicate]; commands: demo, ")
        .contains(", fail")
        .contains("Run 'kms-posture --help' for usage.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void execute_misspelledCommand_suggestsTheCommand() {
    int code = run("dem");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("unknown command [dem]").contains("demo");
  }

  @Test
  void execute_unknownOption_namesItAndExitsBadInput() {
    int code = run("demo", "--frobnicate");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: Unknown option: '--frobnicate'")
        .contains("Run 'kms-posture demo --help' for usage.");
  }

  @Test
  void execute_missingParameter_namesItAndExitsBadInput() {
    int code = run("fail", "--kind");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: Missing required parameter for option '--kind'")
        .contains("Run 'kms-posture fail --help' for usage.");
  }

  @Test
  void execute_badInputException_printsMessageWithoutStackTrace() {
    int code = run("fail", "--kind", "bad-input");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("error: input file [policy.json] does not exist\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void execute_runtimeException_printsOneLineAndExitsInternal() {
    int code = run("fail", "--kind", "bug");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .isEqualTo(
            "internal error: java.lang.IllegalStateException: bug in kms-posture: boom"
                + " (run with --debug or KMS_POSTURE_DEBUG=1 for the stack trace)\n");
  }

  @Test
  void execute_runtimeExceptionWithDebugOption_printsStackTrace() {
    int code = run("fail", "--debug", "--kind", "bug");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .startsWith("internal error: java.lang.IllegalStateException: bug in kms-posture: boom\n")
        .contains("\tat dev.kmsposture.cli.KmsPostureTest$FailingCommand.call");
  }

  @Test
  void execute_runtimeExceptionWithDebugBeforeCommand_printsStackTrace() {
    int code = run("--debug", "fail", "--kind", "bug");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).contains("\tat dev.kmsposture.cli.KmsPostureTest$FailingCommand");
  }

  @Test
  void execute_runtimeExceptionWithDebugEnvironment_printsStackTrace() {
    // given
    environment.put("KMS_POSTURE_DEBUG", "1");

    // when
    int code = run("fail", "--kind", "bug");

    // then
    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .startsWith("internal error: java.lang.IllegalStateException: bug in kms-posture: boom\n")
        .contains("\tat dev.kmsposture.cli.KmsPostureTest$FailingCommand.call");
  }

  @Test
  void subcommands_everyRegisteredCommand_hasStandardHelpOptions() {
    CommandLine commandLine = commandLine();

    assertThat(commandLine.getSubcommands().values())
        .allSatisfy(sub -> assertThat(sub.getCommandSpec().mixinStandardHelpOptions()).isTrue());
  }

  /** A test-only command that fails the way it is told to. */
  @Command(name = "fail", mixinStandardHelpOptions = true)
  static final class FailingCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--kind", required = true)
    private String kind = "";

    @Override
    public Integer call() {
      if (kind.equals("bad-input")) {
        throw new BadInputException("input file [policy.json] does not exist");
      }
      throw new IllegalStateException("bug in kms-posture: boom");
    }
  }
}
