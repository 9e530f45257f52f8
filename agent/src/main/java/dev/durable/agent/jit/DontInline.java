package dev.durable.agent.jit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an agent method that the JIT compiler should compile as a unit of its own rather than
 * inline into its callers.
 *
 * <p>The agent's transform runs once per loaded class, first interpreted, then compiled while
 * the application's own code waits for the same compiler threads. Left alone, C2 inlines the
 * whole transform into the JDK's {@code TransformerManager.transform} and
 * {@code InstrumentationImpl.transform} (8.5 KB of bytecode, 60 KB of machine code, each taking a
 * compiler thread for 0.2 s or more) and again into the agent's own larger methods. Compiled one
 * method at a time, the same code costs the compiler a fraction of that.
 *
 * <p>An agent cannot set JVM flags ({@code -XX:CompileCommand=dontinline}) for itself. The agent
 * jar's build relocates this annotation to the JDK's own {@code jdk.internal.vm.annotation.DontInline}
 * (see the shade plugin's relocations in {@code agent/pom.xml}), which HotSpot honours for
 * classes of the bootstrap loader, where {@code durable.jar} puts the agent's classes. Anywhere
 * else (the agent's unit tests, another JVM) the annotation is ignored and changes nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface DontInline {}
