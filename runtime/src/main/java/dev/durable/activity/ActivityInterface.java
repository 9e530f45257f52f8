package dev.durable.activity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose methods are activities. Each method is one activity type, named after
 * the method with its first letter in upper case ({@code sayHello} becomes {@code SayHello})
 * unless {@link ActivityMethod#name()} says otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ActivityInterface {}
