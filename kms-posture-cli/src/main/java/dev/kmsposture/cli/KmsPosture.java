package dev.kmsposture.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code kms-posture} command: the root of the command line and its entry point.
 *
 * <p>Each subcommand is its own class, annotated with {@code @Command(name = …,
 * mixinStandardHelpOptions = true)} and implementing {@code Callable<Integer>}; to add one, list
 * its class in {@code SUBCOMMANDS}. Subcommands report bad input by throwing {@link
 * BadInputException} and read files through {@link #input()} (reached with {@code @ParentCommand}).
 * Exit codes are defined in {@link ExitCode}; this class maps every outcome onto them:
 *
 * <ul>
 *   <li>usage errors (unknown command or option, missing parameter) print a message on standard
 *       error and exit {@link ExitCode#BAD_INPUT};
 *   <li>a {@link BadInputException} prints its message, without a stack trace, and exits {@link
 *       ExitCode#BAD_INPUT};
 *   <li>any other exception prints one line, {@code internal error: …}, and exits {@link
 *       ExitCode#INTERNAL}; the stack trace follows only with {@code --debug} or the environment
 *       variable {@code KMS_POSTURE_DEBUG=1}.
 * </ul>
 */
@Command(
    name = "kms-posture",
    mixinStandardHelpOptions = true,
    description = "Check AWS KMS keys and create them correctly.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {"", "Run 'kms-posture COMMAND --help' for a command's options."})
public final class KmsPosture implements Callable<Integer> {

  /**
   * The subcommands, in the order {@code --help} lists them. Adding a command means adding its
   * class here; everything else (help, version, exit codes, error handling) is wired for it.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DemoCommand.class,
          ValidateCommand.class,
          EvaluateCommand.class,
          AnalyzeCommand.class,
          PolicyCommand.class,
          CheckCommand.class,
          ScanCommand.class,
          ScannerPolicyCommand.class,
          ProvisionCommand.class,
          RetireCommand.class,
          FixCommand.class,
          LocalKmsCommand.class);

  /** The environment variable that turns on stack traces for internal errors when set to 1. */
  public static final String DEBUG_ENV = "KMS_POSTURE_DEBUG";

  @Spec private CommandSpec spec = CommandSpec.create();

  // picocli declares --debug from this field; handleFailure reads it from the parse result of
  // whichever command level it was given at, so the field itself is never read.
  @SuppressWarnings("UnusedVariable")
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of internal errors (same as " + DEBUG_ENV + "=1).")
  private boolean debug;

  private final InputReader input;
  private final InputStream stdin;
  private final UnaryOperator<String> environment;

  private KmsPosture(InputReader input, InputStream stdin, UnaryOperator<String> environment) {
    this.input = input;
    this.stdin = stdin;
    this.environment = environment;
  }

  /**
   * Runs the command line and exits the JVM with the command's {@link ExitCode}.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    // Not System.out: a PrintStream swallows write errors, so a full disk would go unnoticed.
    PrintWriter out = StandardOutput.writer(new FileOutputStream(FileDescriptor.out));
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.in, System::getenv));
  }

  /**
   * Runs the command line to the end and returns its exit code, whatever happens: standard output
   * that cannot be written (see {@link StandardOutput}) and a JVM that runs out of memory or stack
   * each end in one line on standard error and {@link ExitCode#INTERNAL}, never in a stack trace or
   * in exit code 1 (which means findings).
   *
   * @param args the command-line arguments
   * @param out where results go
   * @param err where messages go
   * @param stdin what the input file {@value InputReader#STDIN} reads
   * @param environment looks up environment variables (returns null when unset)
   * @return the exit code
   */
  static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      InputStream stdin,
      UnaryOperator<String> environment) {
    return run(
        () -> commandLine(out, err, stdin, environment, subcommandsFor(args)), out, err, args);
  }

  /**
   * Returns the subcommands to build for {@code args}: when they start with a command's name, that
   * command alone; otherwise all of {@link #SUBCOMMANDS}. Adding a command makes picocli read its
   * annotations and fields, and building all of them was most of a small {@code check}'s start-up;
   * what runs the named command (its options, help, errors and exit codes) is the same, since
   * picocli hands everything after the name to that command. {@code demo} lists the commands that
   * are registered, so it is built with all of them.
   */
  static List<Class<?>> subcommandsFor(String... args) {
    if (args.length == 0) {
      return SUBCOMMANDS;
    }
    for (Class<?> subcommand : SUBCOMMANDS) {
      Command command = subcommand.getAnnotation(Command.class);
      if (command != null
          && subcommand != DemoCommand.class
          && (command.name().equals(args[0]) || List.of(command.aliases()).contains(args[0]))) {
        return List.of(subcommand);
      }
    }
    return SUBCOMMANDS;
  }

  /**
   * Builds the command line with {@code build} and {@link #execute}s it. Building it (picocli reads
   * every command's annotations) is where a small heap runs out first: that ends as in {@link
   * #execute}, in one line and {@link ExitCode#INTERNAL}, not in a stack trace and exit code 1.
   */
  static int run(Supplier<CommandLine> build, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine;
    try {
      commandLine = build.get();
    } catch (OutOfMemoryError e) {
      err.println(OUT_OF_MEMORY);
      err.flush();
      return ExitCode.INTERNAL;
    } catch (StackOverflowError e) {
      err.println(STACK_OVERFLOW);
      err.flush();
      return ExitCode.INTERNAL;
    }
    return execute(commandLine, out, err, args);
  }

  /**
   * Executes {@code commandLine} as {@link #run} does: flushes {@code out} at the end and maps a
   * failed standard output and a JVM out of memory or stack onto {@link ExitCode#INTERNAL}.
   */
  static int execute(CommandLine commandLine, PrintWriter out, PrintWriter err, String... args) {
    int code;
    try {
      code = commandLine.execute(args);
      out.flush();
      StandardOutput.Failure failure = StandardOutput.failureOf(out);
      if (failure != null) {
        // Wherever it was met (in a command, in help, in the last flush), it decides the outcome.
        StandardOutput.report(err, failure);
        code = ExitCode.INTERNAL;
      } else if (out.checkError()) {
        // A writer that records errors instead of throwing them (one a caller passed in).
        err.println("error: cannot write to standard output; the output is incomplete");
        code = ExitCode.INTERNAL;
      }
    } catch (StandardOutput.Failure e) {
      StandardOutput.report(err, e);
      code = ExitCode.INTERNAL;
    } catch (OutOfMemoryError e) {
      err.println(OUT_OF_MEMORY);
      code = ExitCode.INTERNAL;
    } catch (StackOverflowError e) {
      err.println(STACK_OVERFLOW);
      code = ExitCode.INTERNAL;
    }
    err.flush();
    return code;
  }

  /** The one line printed when the JVM runs out of memory. */
  static final String OUT_OF_MEMORY =
      "internal error: out of memory — raise -Xmx (e.g. JAVA_TOOL_OPTIONS=-Xmx4g) or split the"
          + " input";

  /** The one line printed when the JVM runs out of stack. */
  static final String STACK_OVERFLOW =
      "internal error: stack overflow — the input is nested too deeply; raise -Xss (e.g."
          + " JAVA_TOOL_OPTIONS=-Xss8m) or simplify the input";

  /**
   * Builds the command line with its subcommands, writers and error handling, ready for {@link
   * CommandLine#execute(String...)}.
   *
   * @param out where commands write their results
   * @param err where usage and error messages go
   * @param stdin what the input file {@value InputReader#STDIN} reads
   * @param environment looks up environment variables (returns null when unset)
   */
  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, InputStream stdin, UnaryOperator<String> environment) {
    return commandLine(out, err, stdin, environment, SUBCOMMANDS);
  }

  /**
   * Builds the command line as {@link #commandLine(PrintWriter, PrintWriter, InputStream,
   * UnaryOperator)} does, with only the given subcommands (see {@link #subcommandsFor}).
   */
  static CommandLine commandLine(
      PrintWriter out,
      PrintWriter err,
      InputStream stdin,
      UnaryOperator<String> environment,
      List<Class<?>> subcommands) {
    Objects.requireNonNull(environment, "environment");
    CommandLine commandLine =
        new CommandLine(
            new KmsPosture(
                InputReader.of(stdin, InputReader.DEFAULT_MAX_BYTES), stdin, environment));
    for (Class<?> subcommand : subcommands) {
      commandLine.addSubcommand(subcommand);
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(KmsPosture::handleUsageError);
    // Help and version text is written outside any command: a failed standard output there ends
    // in the same one line, not in picocli's stack trace.
    commandLine.setExecutionStrategy(
        parseResult -> {
          try {
            return new CommandLine.RunLast().execute(parseResult);
          } catch (StandardOutput.Failure e) {
            StandardOutput.report(parseResult.commandSpec().commandLine().getErr(), e);
            return ExitCode.INTERNAL;
          }
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cl, parseResult) -> handleFailure(ex, cl, parseResult, environment));
    configure(commandLine);
    return commandLine;
  }

  // Applied to the root and every subcommand, so that help and --version agree everywhere.
  private static void configure(CommandLine commandLine) {
    commandLine.getCommandSpec().versionProvider(new VersionProvider());
    commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
    commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.descriptions());
    commandLine.getSubcommands().values().forEach(KmsPosture::configure);
  }

  /**
   * Returns the reader that subcommands use for their input files and standard input.
   *
   * @return the input reader, with the default size limit
   */
  InputReader input() {
    return input;
  }

  /** Returns standard input, for commands that stream it rather than read it whole. */
  InputStream stdin() {
    return stdin;
  }

  /**
   * Returns how subcommands look up environment variables ({@code scan} reads the AWS ones).
   *
   * @return the lookup, returning null for an unset variable
   */
  UnaryOperator<String> environment() {
    return environment;
  }

  /**
   * Runs {@code kms-posture} without a command: prints the usage on standard error.
   *
   * @return {@link ExitCode#BAD_INPUT}, because a command is required
   */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: no command given");
    spec.commandLine().usage(err);
    return ExitCode.BAD_INPUT;
  }

  private static int handleUsageError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("error: " + usageMessage(ex));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      UnmatchedArgumentException.printSuggestions(unmatched, err);
    }
    err.printf("Run '%s --help' for usage.%n", cl.getCommandSpec().qualifiedName(" ").trim());
    err.flush();
    return ExitCode.BAD_INPUT;
  }

  private static String usageMessage(ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    if (ex instanceof UnmatchedArgumentException unmatchedArgument
        && !cl.getSubcommands().isEmpty()) {
      List<String> unmatched = unmatchedArgument.getUnmatched();
      // A bare word where a command was expected is an unknown command, not an "argument".
      if (!unmatched.isEmpty()
          && !unmatched.get(0).startsWith("-")
          && cl.getParseResult() != null
          && cl.getParseResult().subcommand() == null) {
        return String.format(
            "unknown command [%s]; commands: %s",
            unmatched.get(0), String.join(", ", cl.getSubcommands().keySet()));
      }
    }
    return String.valueOf(ex.getMessage());
  }

  private static int handleFailure(
      Exception ex, CommandLine cl, ParseResult parseResult, UnaryOperator<String> environment) {
    if (ex instanceof ParameterException parameter) {
      return handleUsageError(parameter, new String[0]);
    }
    PrintWriter err = cl.getErr();
    StandardOutput.Failure outputFailure = causeOf(ex, StandardOutput.Failure.class);
    if (outputFailure != null) {
      StandardOutput.report(err, outputFailure);
      return ExitCode.INTERNAL;
    }
    if (ex instanceof BadInputException) {
      err.println("error: " + ex.getMessage());
      if (isDebug(parseResult, environment)) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    boolean debug = isDebug(parseResult, environment);
    err.println(
        "internal error: "
            + oneLine(ex)
            + (debug ? "" : " (run with --debug or " + DEBUG_ENV + "=1 for the stack trace)"));
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.INTERNAL;
  }

  private static <T extends Throwable> @Nullable T causeOf(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String oneLine(Exception ex) {
    String message = ex.getMessage();
    String type = ex.getClass().getName();
    if (message == null || message.isBlank()) {
      return type;
    }
    int newline = message.indexOf('\n');
    return type + ": " + (newline < 0 ? message : message.substring(0, newline).stripTrailing());
  }

  private static boolean isDebug(ParseResult parseResult, UnaryOperator<String> environment) {
    if ("1".equals(environment.apply(DEBUG_ENV))) {
      return true;
    }
    // --debug is inherited by every subcommand, so look for it at each level that was parsed.
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** Reads the version that Maven wrote into {@code version.properties} at build time. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "kms-posture " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }

    static String version() {
      try (InputStream in = KmsPosture.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IllegalStateException(
              "bug in kms-posture: version.properties is missing from the jar");
        }
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read version.properties", e);
      }
    }
  }
}
