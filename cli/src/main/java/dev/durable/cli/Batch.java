package dev.durable.cli;

import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options and the loop of a command that acts on one workflow by id, or on every workflow
 * whose latest run meets a filter ({@code --status}, {@code --type}... as in {@code list}):
 * without {@code --yes} a filter only lists what it would act on. A command mixes it in.
 */
final class Batch {
  /** Runs read a page of the listing at a time. */
  private static final int PAGE = 200;

  @Mixin
  FilterOptions filter;

  @Option(names = "--yes", description = "With filter options: act on every matching workflow. Without it, only"
      + " list them.")
  boolean yes;

  /**
   * Returns {@code workflowId} checked against the filter options: exactly one of the two must be
   * given. Null means the filter is.
   */
  String single(String workflowId, String verb) {
    boolean filtered = filter.given();
    if (workflowId != null && filtered) {
      throw CliError.usage("give a WORKFLOW_ID or filter options, not both: the filter picks the workflows to " + verb);
    }
    if (workflowId == null && !filtered) {
      throw CliError.usage("give the WORKFLOW_ID to " + verb + ", or filter options (--status, --type, --task-queue,"
          + " --started-after...) to " + verb + " every workflow whose latest run matches");
    }
    if (yes && workflowId != null) {
      throw CliError.usage("--yes goes with filter options, not with a WORKFLOW_ID");
    }
    return workflowId;
  }

  /**
   * Applies {@code action} (which returns what it did, or throws) to every workflow whose latest
   * run meets the filter and {@code applies}; prints one row each and a summary. Earlier runs of an
   * id that meet the filter are left out: the action always acts on an id's latest run.
   */
  int run(Session session, OutputOptions output, PrintWriter out, String verb, Predicate<WorkflowDescription> applies,
      Function<WorkflowDescription, String> action) {
    Map<String, WorkflowDescription> matched = new LinkedHashMap<>();
    try (Stream<WorkflowDescription> runs = session.client().streamWorkflows(filter.build(PAGE))) {
      runs.forEach(d -> {
        if (!matched.containsKey(d.workflowId()) && applies.test(d)
            && session.client().newUntypedWorkflowStub(d.workflowId()).describe()
                .map(latest -> latest.runId().equals(d.runId())).orElse(false)) {
          matched.put(d.workflowId(), d);
        }
      });
    }
    List<String[]> done = new ArrayList<>();
    List<String[]> failed = new ArrayList<>();
    for (WorkflowDescription d : matched.values()) {
      if (!yes) {
        done.add(new String[] {d.workflowId(), d.runId(), "would " + verb});
        continue;
      }
      try {
        done.add(new String[] {d.workflowId(), d.runId(), action.apply(d)});
      } catch (RuntimeException e) {
        failed.add(new String[] {d.workflowId(), d.runId(), e.getMessage()});
      }
    }
    print(output, out, verb, done, failed);
    return failed.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
  }

  private void print(OutputOptions output, PrintWriter out, String verb, List<String[]> done, List<String[]> failed) {
    if (output.json()) {
      var o = Json.object();
      o.put("dryRun", !yes);
      var ok = o.putArray("workflows");
      done.forEach(r -> ok.addObject().put("workflowId", r[0]).put("runId", r[1]).put("result", r[2]));
      var bad = o.putArray("failed");
      failed.forEach(r -> bad.addObject().put("workflowId", r[0]).put("runId", r[1]).put("error", r[2]));
      Json.print(out, o);
      return;
    }
    Table t = new Table("WORKFLOW ID", "RUN ID", "RESULT");
    done.forEach(r -> t.row((Object[]) r));
    failed.forEach(r -> t.row((Object[]) r));
    t.print(out);
    out.println(yes ? done.size() + " done, " + failed.size() + " failed"
        : "Nothing was done: add --yes to " + verb + " these " + done.size() + " workflows.");
  }
}
