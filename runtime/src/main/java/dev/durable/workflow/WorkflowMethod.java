package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the entry point of a workflow. Its arguments are the workflow's input and its return
 * value is the workflow's result; both must be serializable by the data converter (Jackson JSON
 * by default).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WorkflowMethod {
  /**
   * The workflow type name. Empty means the simple name of the declaring interface.
   *
   * @return the workflow type name, or empty for the default
   */
  String name() default "";
}
