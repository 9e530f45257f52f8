package dev.durable.client;

import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.model.VisibilityQuery.SearchCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which runs {@link WorkflowClient#listWorkflows(WorkflowFilter)} lists and
 * {@link WorkflowClient#countWorkflows(WorkflowFilter)} counts, and which page. Every condition
 * set must hold; an empty filter matches every run. Time ranges include their start and exclude
 * their end; either end may be left open (null).
 *
 * <pre>{@code
 * WorkflowFilter failedOrders = WorkflowFilter.newBuilder()
 *     .setStatuses(WorkflowStatus.FAILED, WorkflowStatus.TIMED_OUT)
 *     .setWorkflowType("OrderWorkflow")
 *     .setStartTimeRange(Instant.parse("2026-11-01T00:00:00Z"), null)
 *     .addSearchAttribute("CustomerId", "c-42")
 *     .addSearchAttributeRange("Total", 100.0, null)
 *     .setPageSize(50)
 *     .build();
 * }</pre>
 *
 * <p>Filters are immutable; {@link #toBuilder()} makes a variant, such as the next page.
 */
public final class WorkflowFilter {
  private final VisibilityQuery query;

  private WorkflowFilter(VisibilityQuery query) {
    this.query = query;
  }

  /** Returns a new builder of a filter that matches every run. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder holding this filter's conditions and page. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.statuses.addAll(query.statuses());
    b.workflowType = query.workflowType();
    b.taskQueue = query.taskQueue();
    b.startedFrom = query.startedFrom();
    b.startedTo = query.startedTo();
    b.closedFrom = query.closedFrom();
    b.closedTo = query.closedTo();
    b.conditions.addAll(query.searchAttributes());
    b.pageSize = query.pageSize();
    b.pageToken = query.pageToken();
    return b;
  }

  /** Returns the statuses a run may have; empty for any. */
  public Set<WorkflowStatus> getStatuses() {
    return query.statuses().isEmpty() ? Set.of() : java.util.EnumSet.copyOf(query.statuses());
  }

  /** Returns the workflow type, or null for any. */
  public String getWorkflowType() {
    return query.workflowType();
  }

  /** Returns the task queue, or null for any. */
  public String getTaskQueue() {
    return query.taskQueue();
  }

  /** Returns the earliest start time (included), or null for no lower bound. */
  public Instant getStartTimeFrom() {
    return query.startedFrom();
  }

  /** Returns the end of the start-time range (excluded), or null for no upper bound. */
  public Instant getStartTimeTo() {
    return query.startedTo();
  }

  /** Returns the earliest close time (included), or null for no lower bound. */
  public Instant getCloseTimeFrom() {
    return query.closedFrom();
  }

  /** Returns the end of the close-time range (excluded), or null for no upper bound. */
  public Instant getCloseTimeTo() {
    return query.closedTo();
  }

  /** Returns the page size. */
  public int getPageSize() {
    return query.pageSize();
  }

  /** Returns the page token, or null for the first page. */
  public String getPageToken() {
    return query.pageToken();
  }

  /** Returns the filter as it crosses the service boundary. */
  VisibilityQuery query() {
    return query;
  }

  @Override
  public String toString() {
    return "WorkflowFilter" + query.toString().substring("VisibilityQuery".length());
  }

  /** Builds a {@link WorkflowFilter}; {@link #build()} rejects invalid values (DURABLE-254). */
  public static final class Builder {
    private final List<WorkflowStatus> statuses = new ArrayList<>();
    private String workflowType;
    private String taskQueue;
    private Instant startedFrom;
    private Instant startedTo;
    private Instant closedFrom;
    private Instant closedTo;
    private final List<SearchCondition> conditions = new ArrayList<>();
    private int pageSize = VisibilityQuery.DEFAULT_PAGE_SIZE;
    private String pageToken;

    private Builder() {}

    /** Matches runs with any of these statuses (replacing earlier ones); none given matches any status. */
    public Builder setStatuses(WorkflowStatus... statuses) {
      return setStatuses(statuses == null ? null : Arrays.asList(statuses));
    }

    /** Matches runs with any of these statuses (replacing earlier ones); empty matches any status. */
    public Builder setStatuses(Collection<WorkflowStatus> statuses) {
      if (statuses == null) {
        throw invalid("statuses must not be null; pass none to match any status");
      }
      this.statuses.clear();
      this.statuses.addAll(statuses);
      return this;
    }

    /** Matches runs of this workflow type; null matches any. */
    public Builder setWorkflowType(String workflowType) {
      this.workflowType = workflowType;
      return this;
    }

    /** Matches runs whose workflow tasks go to this task queue; null matches any. */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /**
     * Matches runs that started at or after {@code from} and before {@code to}; either may be
     * null for an open end.
     */
    public Builder setStartTimeRange(Instant from, Instant to) {
      this.startedFrom = from;
      this.startedTo = to;
      return this;
    }

    /**
     * Matches closed runs that closed at or after {@code from} and before {@code to}; either may
     * be null for an open end (both null: no condition).
     */
    public Builder setCloseTimeRange(Instant from, Instant to) {
      this.closedFrom = from;
      this.closedTo = to;
      return this;
    }

    /**
     * Matches runs whose search attribute {@code name} equals {@code value}. The value's Java
     * type picks the attribute type: a {@code String} matches a keyword, or a keyword list that
     * contains it; a {@code long}/{@code int} an integer; and so on. An {@code int} 5 does not
     * match a {@code double} 5.0.
     */
    public Builder addSearchAttribute(String name, Object value) {
      String checked = checkedName(name);
      conditions.add(new SearchCondition(checked, SearchAttributes.toValue(checked, value), null, null));
      return this;
    }

    /**
     * Matches runs whose numeric or time search attribute {@code name} is at least {@code from}
     * and less than {@code to}; either may be null for an open end, both must have the same type
     * (a {@code long}/{@code int}, a {@code double}, or an {@code Instant}).
     */
    public Builder addSearchAttributeRange(String name, Object from, Object to) {
      String checked = checkedName(name);
      if (from == null && to == null) {
        throw invalid("the range on search attribute '" + name + "' needs a from or a to");
      }
      SearchAttributeValue f = from == null ? null : SearchAttributes.toValue(checked, from);
      SearchAttributeValue t = to == null ? null : SearchAttributes.toValue(checked, to);
      conditions.add(new SearchCondition(checked, null, f, t));
      return this;
    }

    private static String checkedName(String name) {
      try {
        return SearchAttributes.checkName(name);
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage().substring("DURABLE-250 ".length()));
      }
    }

    /** Sets the most runs on one page: 1 to 1,000 (default 100). */
    public Builder setPageSize(int pageSize) {
      this.pageSize = pageSize;
      return this;
    }

    /** Starts at the page a previous page's {@link WorkflowPage#nextPageToken()} names; null for the first page. */
    public Builder setPageToken(String pageToken) {
      this.pageToken = pageToken;
      return this;
    }

    /** Validates the conditions and builds the filter. */
    public WorkflowFilter build() {
      return new WorkflowFilter(new VisibilityQuery(statuses, workflowType, taskQueue, startedFrom, startedTo,
          closedFrom, closedTo, conditions, pageSize, pageToken));
    }

    private static IllegalArgumentException invalid(String message) {
      return new IllegalArgumentException("DURABLE-254 invalid workflow filter: " + message);
    }
  }
}
