package dev.durable.activity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Optional annotation on an activity method to give its activity type an explicit name. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ActivityMethod {
  /**
   * The activity type name. Empty means the method name with its first letter in upper case.
   *
   * @return the activity type name, or empty for the default
   */
  String name() default "";
}
