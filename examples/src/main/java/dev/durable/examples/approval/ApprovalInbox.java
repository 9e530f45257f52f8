package dev.durable.examples.approval;

import dev.durable.client.ActivityCompletionClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims waiting for an approver, each with the task token that answers it. In a real system
 * this is a table, a ticket or the link in an e-mail; the approver's answer arrives later, from
 * another process, and reaches the workflow through {@link ActivityCompletionClient}.
 */
public final class ApprovalInbox {
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** Files the claim {@code expenseId}, answered by {@code taskToken}. */
  void file(String expenseId, String taskToken) {
    tokens.put(expenseId, taskToken);
  }

  /** Returns the task token of claim {@code expenseId}, while it waits for an answer. */
  public Optional<String> tokenOf(String expenseId) {
    return Optional.ofNullable(tokens.get(expenseId));
  }

  /** An approver's answer: completes the claim's approval activity with {@code decision}. */
  public void answer(ActivityCompletionClient completions, String expenseId, String decision) {
    String token = tokenOf(expenseId).orElseThrow(
        () -> new IllegalStateException("no claim " + expenseId + " waits for an answer"));
    completions.complete(token, decision);
    tokens.remove(expenseId);
  }
}
