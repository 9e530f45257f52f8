package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the validator of an update: a {@code void} method with the update method's parameters
 * that throws to reject the update. It runs before the update is recorded, read-only like a
 * query (it may not call activities, sleep or wait); a rejected update leaves no trace in the
 * history and the client's {@code update} call throws {@code WorkflowUpdateException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UpdateValidatorMethod {
  /**
   * The name of the update this method validates.
   *
   * @return the update name
   */
  String updateName();
}
