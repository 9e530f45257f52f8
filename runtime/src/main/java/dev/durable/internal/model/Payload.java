package dev.durable.internal.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One serialized value: bytes plus the encoding that produced them. JSON payloads are written
 * into the stored and exported history as JSON values, so histories stay readable.
 */
@JsonSerialize(using = PayloadJson.Writer.class)
@JsonDeserialize(using = PayloadJson.Reader.class)
public record Payload(String encoding, byte[] data) {
  /** Encoding of payloads produced by the default Jackson data converter. */
  public static final String JSON = "json/plain";
  /** Encoding of a Java {@code null}. */
  public static final String NULL = "binary/null";
  /** The payload of a Java {@code null}. */
  public static final Payload NULL_VALUE = new Payload(NULL, new byte[0]);

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload p && encoding.equals(p.encoding) && Arrays.equals(data, p.data);
  }

  @Override
  public int hashCode() {
    return encoding.hashCode() * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return JSON.equals(encoding) ? new String(data, StandardCharsets.UTF_8) : encoding + "[" + data.length + " bytes]";
  }
}
