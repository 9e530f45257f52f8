package dev.durable.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads instants as ISO-8601 in UTC ({@code 2026-11-26T10:00:00Z}) or a date ({@code 2026-11-26}, its start in UTC). */
final class InstantConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a time: use ISO-8601 in UTC such as"
          + " 2026-11-26T10:00:00Z, or a date such as 2026-11-26");
    }
  }
}
