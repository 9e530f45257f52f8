package dev.durable.internal.model;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes run ids: UUIDs whose first 48 bits are the run's start time in milliseconds (the layout
 * of a version 7 UUID, RFC 9562) and whose other 74 variable bits are random.
 *
 * <p>The random bits come from {@link ThreadLocalRandom}, not from {@link UUID#randomUUID()}'s
 * {@code SecureRandom}: a run id must be unique, not secret (it grants nothing; the workflow id
 * and the API decide who may act on a run), and the secure source took a lock and a hash per start.
 * With 74 random bits per millisecond, two equal ids are as unlikely as with version 4 ids.
 *
 * <p>Why time first: the store's keys of a run (its history, its state) start with its run id.
 * With fully random ids every new key of every run landed at a random place of RocksDB's
 * in-memory table, and each insert searched the table from its top level; with ids that grow with
 * time the runs active at one moment have neighbouring keys, and RocksDB finds the place of a new
 * key from the place of the one it inserted before. Run ids stay 36-character UUID strings, so
 * ids made before (random, version 4) and after sit side by side in one data dir.
 */
public final class RunIds {
  private RunIds() {}

  /** Returns a new run id for a run started at {@code now}. */
  public static String next(Instant now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    // The low half: the variant bits (10xx), then 62 random bits.
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
