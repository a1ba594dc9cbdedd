package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * How the command line ends whatever happens: an unknown command, standard output that cannot be
 * written, a JVM out of memory or stack.
 */
class KmsPostureRunTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(PrintWriter stdout, String... args) {
    return KmsPosture.run(
        args,
        stdout,
        new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]),
        new HashMap<String, String>()::get);
  }

  private int run(String... args) {
    return run(new PrintWriter(out, true), args);
  }

  /** A disk that is always full. */
  private static final class FullDisk extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }
  }

  @Test
  void everyCommandDemoListsIsRegistered() {
    CommandLine root =
        KmsPosture.commandLine(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            new HashMap<String, String>()::get);
    assertThat(root.getSubcommands().keySet())
        .containsAll(CommandList.ENTRIES.stream().map(CommandList.Entry::name).toList());
  }

  @Test
  void aCommandNamedFirst_isBuiltAlone_exceptDemo() {
    assertThat(KmsPosture.subcommandsFor("check", "x.json")).containsExactly(CheckCommand.class);
    assertThat(KmsPosture.subcommandsFor("demo")).isEqualTo(KmsPosture.SUBCOMMANDS);
    assertThat(KmsPosture.subcommandsFor()).isEqualTo(KmsPosture.SUBCOMMANDS);
    assertThat(KmsPosture.subcommandsFor("--debug", "check")).isEqualTo(KmsPosture.SUBCOMMANDS);
    assertThat(KmsPosture.subcommandsFor("frobnicate")).isEqualTo(KmsPosture.SUBCOMMANDS);
  }

  @Test
  void aCommandBuiltAlone_answersAsWhenBuiltWithAllTheOthers() {
    for (Class<?> subcommand : KmsPosture.SUBCOMMANDS) {
      String name = subcommand.getAnnotation(Command.class).name();
      for (String[] args :
          List.of(
              new String[] {name, "--help"},
              new String[] {name, "--version"},
              new String[] {name, "--no-such-option"},
              new String[] {name, "--debug", "no-such-file.json", "extra"})) {
        String[] alone = runBuiltWith(KmsPosture.subcommandsFor(args), args);
        String[] all = runBuiltWith(KmsPosture.SUBCOMMANDS, args);
        assertThat(alone).as(String.join(" ", args)).containsExactly(all);
      }
    }
  }

  // The exit code, standard output and standard error of args, run on a command line built with
  // the given subcommands.
  private static String[] runBuiltWith(List<Class<?>> subcommands, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    PrintWriter stdout = new PrintWriter(o, true);
    PrintWriter stderr = new PrintWriter(e, true);
    CommandLine commandLine =
        KmsPosture.commandLine(
            stdout,
            stderr,
            new ByteArrayInputStream(new byte[0]),
            new HashMap<String, String>()::get,
            subcommands);
    int code = KmsPosture.execute(commandLine, stdout, stderr, args);
    return new String[] {String.valueOf(code), o.toString(), e.toString()};
  }

  @Test
  void unknownCommand_listsOnlyAvailableCommands() {
    int code = run("frobnicate");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith(
            "error: unknown command [frobnicate]; commands: demo, validate, evaluate, analyze,"
                + " policy, check, scan, scanner-policy, provision, retire, fix, local-kms\n");
  }

  @Test
  void demo_standardOutputFull_exitsInternalWithOneLine() {
    int code = run(StandardOutput.writer(new FullDisk()), "demo");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .isEqualTo(
            "error: cannot write to standard output (No space left on device); the output is"
                + " incomplete\n");
  }

  @Test
  void validate_standardOutputFull_exitsInternal() {
    int code = run(StandardOutput.writer(new FullDisk()), "validate", "--help");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).startsWith("error: cannot write to standard output");
  }

  @Test
  void execute_writerThatRecordsErrors_isCheckedAtTheEnd() {
    // A PrintWriter over a PrintStream records the error instead of throwing it.
    PrintWriter swallowing =
        new PrintWriter(
            new java.io.PrintStream(new FullDisk(), false, StandardCharsets.UTF_8),
            true,
            StandardCharsets.UTF_8);

    int code = run(swallowing, "demo", "--commands");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).startsWith("error: cannot write to standard output");
  }

  @Command(name = "oom")
  static final class OutOfMemory implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Command(name = "deep")
  static final class Deep implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new StackOverflowError();
    }
  }

  @Test
  void execute_outOfMemory_exitsInternalWithOneLine() {
    PrintWriter e = new PrintWriter(err, true);
    int code = KmsPosture.execute(new CommandLine(new OutOfMemory()), new PrintWriter(out), e);

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .isEqualTo(
            "internal error: out of memory — raise -Xmx (e.g. JAVA_TOOL_OPTIONS=-Xmx4g) or split"
                + " the input\n");
  }

  @Test
  void run_outOfMemoryWhileBuildingTheCommandLine_exitsInternalWithOneLine() {
    // With -Xmx12m the JVM ran out while picocli read the commands' annotations, before any
    // command ran: a stack trace and exit code 1.
    PrintWriter e = new PrintWriter(err, true);
    int code =
        KmsPosture.run(
            () -> {
              throw new OutOfMemoryError("Java heap space");
            },
            new PrintWriter(out),
            e,
            "demo");

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .isEqualTo(
            "internal error: out of memory — raise -Xmx (e.g. JAVA_TOOL_OPTIONS=-Xmx4g) or split"
                + " the input\n");
  }

  @Test
  void run_stackOverflowWhileBuildingTheCommandLine_exitsInternalWithOneLine() {
    PrintWriter e = new PrintWriter(err, true);
    int code =
        KmsPosture.run(
            () -> {
              throw new StackOverflowError();
            },
            new PrintWriter(out),
            e);

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).startsWith("internal error: stack overflow").doesNotContain("\tat ");
  }

  @Test
  void execute_stackOverflow_exitsInternalWithOneLine() {
    PrintWriter e = new PrintWriter(err, true);
    int code = KmsPosture.execute(new CommandLine(new Deep()), new PrintWriter(out), e);

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).startsWith("internal error: stack overflow").doesNotContain("\tat ");
  }
}
