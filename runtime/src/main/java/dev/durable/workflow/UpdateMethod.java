package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that handles updates: requests a client sends to a running workflow and waits
 * for the answer of ({@code WorkflowStub.update}). Unlike a signal, an update returns a value (or
 * throws); unlike a query, it may change the workflow and block (call activities, sleep). An
 * optional {@link UpdateValidatorMethod} can reject an update before anything is recorded.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UpdateMethod {
  /**
   * The update name. Empty means the method name.
   *
   * @return the update name, or empty for the default
   */
  String name() default "";
}
