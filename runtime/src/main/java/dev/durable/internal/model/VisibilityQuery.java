package dev.durable.internal.model;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Which runs to list or count, and which page: the plain form of {@code WorkflowFilter} that
 * crosses the service boundary. Every condition given must hold; a null or empty one is not
 * checked. Time ranges include their start and exclude their end.
 *
 * @param statuses the statuses a run may have; empty for any
 * @param workflowType the workflow type, or null for any
 * @param taskQueue the task queue, or null for any
 * @param startedFrom earliest start time, or null
 * @param startedTo start times before this, or null
 * @param closedFrom earliest close time, or null (a range on close times matches closed runs only)
 * @param closedTo close times before this, or null
 * @param searchAttributes conditions on search attributes
 * @param pageSize the most runs on one page (1 to {@link #MAX_PAGE_SIZE})
 * @param pageToken where the page starts: a previous page's next page token, or null for the first
 */
public record VisibilityQuery(
    List<WorkflowStatus> statuses,
    String workflowType,
    String taskQueue,
    Instant startedFrom,
    Instant startedTo,
    Instant closedFrom,
    Instant closedTo,
    List<SearchCondition> searchAttributes,
    int pageSize,
    String pageToken) {

  /** The largest page. */
  public static final int MAX_PAGE_SIZE = 1000;
  /** The page size when none is given. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** Checks the query (DURABLE-254 for a bad condition or page size). */
  public VisibilityQuery {
    if (statuses == null || statuses.isEmpty()) {
      statuses = List.of();
    } else if (statuses.stream().anyMatch(java.util.Objects::isNull)) {
      throw invalid("statuses must not contain null; allowed: " + List.of(WorkflowStatus.values()));
    } else {
      statuses = List.copyOf(EnumSet.copyOf(statuses));
    }
    searchAttributes = searchAttributes == null ? List.of() : List.copyOf(searchAttributes);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw invalid("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
    range("startTime", startedFrom, startedTo);
    range("closeTime", closedFrom, closedTo);
    checkName("workflowType", workflowType, "any type");
    checkName("taskQueue", taskQueue, "any task queue");
  }

  private static void checkName(String option, String value, String any) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      throw invalid(option + " must not be blank; leave it out to match " + any);
    }
    int surrogate = Checks.unpairedSurrogate(value);
    if (surrogate >= 0) {
      throw invalid(option + " must be valid Unicode, got an unpaired surrogate at index " + surrogate
          + " (indexed as UTF-8, it would match the names that have a '?' there)");
    }
  }

  private static void range(String what, Instant from, Instant to) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw invalid(what + " range is empty: from " + from + " must be before to " + to
          + " (from is included, to is not)");
    }
  }

  static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException("DURABLE-254 invalid workflow filter: " + message);
  }

  /** Returns the same query for another page. */
  public VisibilityQuery withPage(int size, String token) {
    return new VisibilityQuery(statuses, workflowType, taskQueue, startedFrom, startedTo, closedFrom, closedTo,
        searchAttributes, size, token);
  }

  /** Returns whether a run with this summary meets every condition. */
  public boolean matches(RunSummary s) {
    if (!statuses.isEmpty() && !statuses.contains(s.status())) {
      return false;
    }
    if ((workflowType != null && !workflowType.equals(s.workflowType()))
        || (taskQueue != null && !taskQueue.equals(s.taskQueue()))) {
      return false;
    }
    if ((startedFrom != null && s.startTime().isBefore(startedFrom))
        || (startedTo != null && !s.startTime().isBefore(startedTo))) {
      return false;
    }
    if (closedFrom != null || closedTo != null) {
      if (s.closeTime() == null || (closedFrom != null && s.closeTime().isBefore(closedFrom))
          || (closedTo != null && !s.closeTime().isBefore(closedTo))) {
        return false;
      }
    }
    for (SearchCondition c : searchAttributes) {
      if (!c.matches(s.searchAttributes().get(c.name()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns a digest of the conditions (not of the page), so a page token can tell that it is
   * used with the filter it was issued for.
   */
  public byte[] fingerprint() {
    String text = statuses + "|" + workflowType + "|" + taskQueue + "|" + startedFrom + "|" + startedTo + "|"
        + closedFrom + "|" + closedTo + "|" + searchAttributes;
    try {
      byte[] full = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.Arrays.copyOf(full, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "VisibilityQuery[" + HexFormat.of().formatHex(fingerprint()) + " " + statuses + " type=" + workflowType
        + " queue=" + taskQueue + " started=[" + startedFrom + "," + startedTo + ") closed=[" + closedFrom + ","
        + closedTo + ") " + searchAttributes + " pageSize=" + pageSize + "]";
  }

  /**
   * A condition on one search attribute: equal to a value, or (for numbers and times) within a
   * range. A keyword matches a keyword list that contains it.
   *
   * @param name the attribute's name
   * @param equalTo the value it must equal, or null for a range
   * @param from the least value of a range (included), or null
   * @param to the end of a range (excluded), or null
   */
  public record SearchCondition(String name, SearchAttributeValue equalTo, SearchAttributeValue from,
      SearchAttributeValue to) {

    /** Checks the condition (DURABLE-254). */
    public SearchCondition {
      SearchAttributes.checkName(name);
      if ((equalTo == null) == (from == null && to == null)) {
        throw invalid("the condition on search attribute '" + name + "' must have either a value or a range");
      }
      for (SearchAttributeValue v : java.util.Arrays.asList(equalTo, from, to)) {
        if (v != null) {
          SearchAttributes.check(Map.of(name, v));
          if (v.type() == SearchAttributeValue.Type.KEYWORD_LIST) {
            throw invalid("search attribute '" + name + "' can only be compared with one keyword, not a list "
                + v.values());
          }
        }
      }
      if (equalTo == null) {
        SearchAttributeValue any = from != null ? from : to;
        if (!any.type().isOrdered()) {
          throw invalid("a range on search attribute '" + name + "' needs numbers or times, got a " + any.type());
        }
        if (from != null && to != null) {
          if (from.type() != to.type()) {
            throw invalid("the range on search attribute '" + name + "' mixes a " + from.type() + " and a " + to.type());
          }
          if (from.compareTo(to) >= 0) {
            throw invalid("the range on search attribute '" + name + "' is empty: from " + from.toJava()
                + " must be less than to " + to.toJava() + " (from is included, to is not)");
          }
        }
      }
    }

    /** Returns whether a run's value of the attribute (null when it has none) meets the condition. */
    public boolean matches(SearchAttributeValue v) {
      if (v == null) {
        return false;
      }
      if (equalTo != null) {
        if (v.type() == SearchAttributeValue.Type.KEYWORD_LIST) {
          return equalTo.type() == SearchAttributeValue.Type.KEYWORD && v.values().contains(equalTo.values().get(0));
        }
        return v.equals(equalTo);
      }
      SearchAttributeValue.Type t = from != null ? from.type() : to.type();
      return v.type() == t && (from == null || v.compareTo(from) >= 0) && (to == null || v.compareTo(to) < 0);
    }

    @Override
    public String toString() {
      return equalTo != null ? name + "=" + equalTo.type() + ":" + equalTo.values()
          : name + " in [" + (from == null ? "" : from.type() + ":" + from.values()) + ","
              + (to == null ? "" : to.type() + ":" + to.values()) + ")";
    }
  }
}
