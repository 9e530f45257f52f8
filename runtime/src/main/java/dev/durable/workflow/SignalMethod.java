package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives signals: asynchronous, durable messages sent to a running
 * workflow. A signal method returns {@code void}. Signals are recorded in the history before the
 * sender is told they were accepted, and are delivered exactly once, in the order received.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SignalMethod {
  /**
   * The signal name. Empty means the method name.
   *
   * @return the signal name, or empty for the default
   */
  String name() default "";
}
