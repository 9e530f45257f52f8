package dev.durable.client;

import java.util.List;

/**
 * One page of {@link WorkflowClient#listWorkflows(WorkflowFilter)}: runs newest first by start
 * time, and the token of the next page.
 *
 * @param executions the runs on this page
 * @param nextPageToken pass it to {@link WorkflowFilter.Builder#setPageToken} for the next page; null
 *     on the last page. It is opaque text, safe to hand to a web page or a command line, and stays
 *     valid across server restarts
 */
public record WorkflowPage(List<WorkflowDescription> executions, String nextPageToken) {

  /** Creates the page; the list is copied. */
  public WorkflowPage {
    executions = List.copyOf(executions);
  }

  /** Returns whether another page follows. */
  public boolean hasNextPage() {
    return nextPageToken != null;
  }
}
