package dev.durable.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that makes calls to a server or data dir and prints what it got as a table or JSON. */
abstract class ClientCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions target;

  @Mixin
  OutputOptions output;

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
