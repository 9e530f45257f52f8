package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code durable workflow count}: how many runs meet a filter. */
@Command(name = "count", mixinStandardHelpOptions = true,
    description = "Count workflows that meet the filter (the same options as 'list').")
final class CountCommand extends ClientCommand {
  @Mixin
  FilterOptions filter;

  @Override
  int run(Session session, PrintWriter out) {
    long count = session.client().countWorkflows(filter.build(1));
    if (output.json()) {
      var o = Json.object();
      o.put("count", count);
      Json.print(out, o);
    } else {
      out.println(count);
    }
    return ExitCodes.OK;
  }
}
