package dev.durable.internal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes the timestamps of stored records without a {@code DateTimeFormatter}, in exactly the
 * form {@code Instant.toString()} (ISO-8601, UTC, 0, 3, 6 or 9 fraction digits) gives them, so
 * the stored bytes are the same as before. Years outside 0..9999 use {@code Instant.toString()}.
 */
final class InstantWriter extends JsonSerializer<Instant> {
  private static final long SECONDS_0000_TO_1970 = -LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
  private static final long SECONDS_0000_TO_10000 = SECONDS_0000_TO_1970 + LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

  @Override
  public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeString(format(value));
  }

  @Override
  public Class<Instant> handledType() {
    return Instant.class;
  }

  static String format(Instant t) {
    long fromYear0 = t.getEpochSecond() + SECONDS_0000_TO_1970;
    if (fromYear0 < 0 || fromYear0 >= SECONDS_0000_TO_10000) {
      return t.toString();
    }
    long epochDay = Math.floorDiv(t.getEpochSecond(), 86_400);
    int secondOfDay = (int) Math.floorMod(t.getEpochSecond(), 86_400);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    int nanos = t.getNano();
    char[] out = new char[30];
    put(out, 0, date.getYear(), 4);
    out[4] = '-';
    put(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3_600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    int n = 19;
    if (nanos > 0) {
      out[n++] = '.';
      if (nanos % 1_000_000 == 0) {
        put(out, n, nanos / 1_000_000, 3);
        n += 3;
      } else if (nanos % 1_000 == 0) {
        put(out, n, nanos / 1_000, 6);
        n += 6;
      } else {
        put(out, n, nanos, 9);
        n += 9;
      }
    }
    out[n++] = 'Z';
    return new String(out, 0, n);
  }

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
