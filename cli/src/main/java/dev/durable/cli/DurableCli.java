package dev.durable.cli;

import dev.durable.server.cli.ServerMain;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code durable} command line: manage workflows on a Durable server or data dir, complete
 * activities that complete asynchronously, export histories for the replayer, and run a server.
 * See docs/cli.md.
 *
 * <pre>{@code
 * durable workflow start --data-dir data --type Greeting --task-queue greetings --input '"World"'
 * durable workflow list --data-dir data --output json
 * }</pre>
 */
@Command(name = "durable", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Durable execution for plain Java: manage workflows, complete activities, export histories, run a"
        + " server.",
    subcommands = {WorkflowCommand.class, ActivityCommand.class, HistoryCommand.class, ServerCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:done",
        "1:bad usage or input",
        "2:no workflow has the id, or the activity is no longer pending",
        "3:the workflow failed, was canceled, terminated or timed out, or a query failed",
        "4:--timeout passed while the workflow was still running",
        "5:a workflow with the id is already running or may not be reused",
        "6:the server or data dir cannot be reached or opened",
        "7:any other error, or acting on a workflow of a batch (--yes) failed"})
public final class DurableCli {
  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
  boolean verbose;

  private final Map<String, String> env;
  private final Function<TargetOptions, Target> targets;

  private DurableCli(Map<String, String> env, Function<TargetOptions, Target> targets) {
    this.env = env;
    this.targets = targets;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    if (!Arrays.asList(args).contains("--verbose")) {
      // The engine logs progress at INFO (index migrations, recovery); a command's output is its answer.
      Logger.getLogger("").setLevel(Level.WARNING);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = execute(args, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args the arguments, as {@code main} gets them
   * @param out where results go
   * @param err where errors go: one line each, starting with a {@code DURABLE-nnn} code
   * @param env the environment, for {@code DURABLE_*} variables
   * @return the exit status (docs/cli.md lists them)
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return execute(args, out, err, env, null);
  }

  /** Like {@link #execute(String[], PrintWriter, PrintWriter, Map)}, sending every call to {@code target} when it is not null. */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Target target) {
    CommandLine cl = commandLine(env, target)
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(Errors::usage);
    DurableCli cli = cl.getCommand();
    cl.setExecutionExceptionHandler((e, line, parsed) -> Errors.report(e, line, cli.verbose));
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** The command line with its commands, the environment and, when not null, the target of every call. */
  static CommandLine commandLine(Map<String, String> env, Target target) {
    DurableCli cli = new DurableCli(env, target == null ? o -> o.resolve(env) : o -> target);
    return new CommandLine(cli, new Factory(env)).setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** Creates {@code server start} ({@link ServerMain}) with the CLI's environment, for {@code DURABLE_TOKEN}. */
  private record Factory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      return cls == ServerMain.class ? cls.cast(new ServerMain(env)) : CommandLine.defaultFactory().create(cls);
    }
  }

  Target target(TargetOptions options) {
    return targets.apply(options);
  }

  Map<String, String> env() {
    return env;
  }
}
