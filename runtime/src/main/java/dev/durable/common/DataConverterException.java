package dev.durable.common;

/** A value could not be converted to or from a payload (code DURABLE-206). */
public final class DataConverterException extends DurableException {
  /**
   * Creates the error.
   *
   * @param message names the value's type and where it was used
   * @param cause the converter's error
   */
  public DataConverterException(String message, Throwable cause) {
    super("DURABLE-206", message, cause);
  }
}
