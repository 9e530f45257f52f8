package dev.durable.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a workflow interface. It must declare exactly one {@link WorkflowMethod},
 * and may declare any number of {@link SignalMethod} and {@link QueryMethod} methods.
 *
 * <p>The workflow type name is the interface's simple name unless {@link WorkflowMethod#name()}
 * says otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WorkflowInterface {}
