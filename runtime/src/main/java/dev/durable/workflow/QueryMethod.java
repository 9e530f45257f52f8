package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a read-only method that returns part of a workflow's state. A query never changes the
 * workflow: it may not call activities, sleep or wait. When the run is not cached by a worker,
 * it is answered after replaying the history.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface QueryMethod {
  /**
   * The query name. Empty means the method name.
   *
   * @return the query name, or empty for the default
   */
  String name() default "";
}
