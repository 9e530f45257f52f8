package dev.durable.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text in aligned columns, two spaces apart; the last column is not padded. A null cell prints as
 * {@code -}.
 */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /** A table whose first row is {@code headers}. */
  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  /** A table of {@code name  value} lines, without a header. */
  static Table fields() {
    return new Table(2);
  }

  private Table(int columns) {
    this.columns = columns;
  }

  /** Adds a row; cells are printed with {@link Text#cell(Object)}. */
  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns + " columns");
    }
    rows.add(Arrays.stream(cells).map(Text::cell).toArray(String[]::new));
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
