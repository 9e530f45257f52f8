package dev.durable.internal.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.DurationDeserializer;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads the durations of stored records without {@code Duration.parse}'s regular expression:
 * the store writes them as {@code Duration.toString()} does ({@code PT10S}, {@code PT1H30M},
 * {@code PT0.25S}), which is parsed here directly. Any other form (negative, days, a number) goes
 * to Jackson's own reader, so what is accepted is unchanged.
 */
final class DurationReader extends JsonDeserializer<Duration> {
  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      Duration fast = parse(p.getText());
      if (fast != null) {
        return fast;
      }
    }
    return DurationDeserializer.INSTANCE.deserialize(p, ctx);
  }

  @Override
  public Class<?> handledType() {
    return Duration.class;
  }

  /** Parses {@code PT[nH][nM][n[.f{1,9}]S]} with non-negative parts; returns null for any other text. */
  static Duration parse(String s) {
    int n = s.length();
    if (n < 4 || s.charAt(0) != 'P' || s.charAt(1) != 'T') {
      return null;
    }
    long seconds = 0;
    int nanos = 0;
    int i = 2;
    int unitRank = 0; // H=1, M=2, S=3: units must come in this order, each at most once
    while (i < n) {
      int start = i;
      long v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start >= 15) {
          return null; // leave huge numbers to the exact parser
        }
        v = v * 10 + (s.charAt(i++) - '0');
      }
      if (i == start || i >= n) {
        return null;
      }
      char unit = s.charAt(i);
      if (unit == '.') {
        int fracStart = ++i;
        int frac = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (i - fracStart >= 9) {
            return null;
          }
          frac = frac * 10 + (s.charAt(i++) - '0');
        }
        if (i == fracStart || i != n - 1 || s.charAt(i) != 'S' || unitRank >= 3) {
          return null;
        }
        for (int k = i - fracStart; k < 9; k++) {
          frac *= 10;
        }
        return Duration.ofSeconds(seconds + v, frac);
      }
      int rank = unit == 'H' ? 1 : unit == 'M' ? 2 : unit == 'S' ? 3 : 0;
      if (rank <= unitRank) {
        return null;
      }
      unitRank = rank;
      seconds += v * (rank == 1 ? 3_600 : rank == 2 ? 60 : 1);
      i++;
    }
    return Duration.ofSeconds(seconds, nanos);
  }
}
