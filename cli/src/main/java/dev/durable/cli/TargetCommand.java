package dev.durable.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that makes calls to a server or data dir: checks its input, opens, runs, releases. */
abstract class TargetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions target;

  @Override
  public Integer call() {
    DurableCli cli = (DurableCli) spec.root().userObject();
    prepare();
    try (Session session = cli.target(target).open(createsDataDir())) {
      return run(session, spec.commandLine().getOut());
    }
  }

  /** Whether a missing data dir is created rather than refused. */
  boolean createsDataDir() {
    return false;
  }

  /** Checks and reads the input before anything is opened, so that bad input changes nothing. */
  void prepare() {}

  /** Does the work; returns the exit status. */
  abstract int run(Session session, PrintWriter out);
}
