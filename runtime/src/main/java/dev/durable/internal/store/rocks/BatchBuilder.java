package dev.durable.internal.store.rocks;

import java.util.Arrays;
import org.rocksdb.WriteBatch;

/**
 * Assembles a RocksDB write batch in a Java byte array and hands it to RocksDB in one call.
 *
 * <p>Filling a {@link WriteBatch} entry by entry costs a JNI call per key, each of which copies
 * the key and the value into native memory and appends them to a native string that grows as it
 * goes (a hello workflow writes some 25 keys). This class writes the same bytes RocksDB would
 * (its batch layout, {@code WriteBatch::rep_}, is also the write-ahead log's record format):
 * a 12-byte header (sequence number, 8 bytes, set by RocksDB when it writes; entry count, 4
 * bytes, little-endian), then per entry a type byte ({@code kTypeColumnFamilyValue} 5 or
 * {@code kTypeColumnFamilyDeletion} 4, or 1 and 0 for the default column family, which carries
 * no id), the column family id as a varint32 and the key and value each as a varint32 length
 * and the bytes. {@code BatchBuilderTest} compares the result with a batch RocksDB filled itself,
 * byte for byte, and RocksDB checks the entry count against the entries when it applies a batch.
 */
final class BatchBuilder {
  private static final int HEADER = 12;
  private static final byte DELETION = 0x0;
  private static final byte VALUE = 0x1;
  private static final byte FAMILY_DELETION = 0x4;
  private static final byte FAMILY_VALUE = 0x5;

  private byte[] buf;
  private int size = HEADER;
  private int count;

  /** Room for a typical write without growing: the benchmark workloads write 1.9 to 3.3 KB per batch. */
  BatchBuilder() {
    this(4096);
  }

  BatchBuilder(int capacity) {
    buf = new byte[Math.max(HEADER, capacity)];
  }

  /** Adds a put of {@code key} to {@code value} in the column family with id {@code family}. */
  void put(int family, byte[] key, byte[] value) {
    put(family, key, value, value.length);
  }

  /** Adds a put of {@code key} to the first {@code length} bytes of {@code value}. */
  void put(int family, byte[] key, byte[] value, int length) {
    entry(family, family == 0 ? VALUE : FAMILY_VALUE, key.length, key.length + length + 20);
    bytes(key, key.length);
    varint(length);
    bytes(value, length);
  }

  /**
   * Adds a put whose key is {@code prefix} followed by {@code suffix} as 8 big-endian bytes (a
   * history key: run id and event id), without building the key first.
   */
  void put(int family, byte[] prefix, long suffix, byte[] value) {
    put(family, prefix, suffix, value, value.length);
  }

  /** {@link #put(int, byte[], long, byte[])} of the first {@code length} bytes of {@code value}. */
  void put(int family, byte[] prefix, long suffix, byte[] value, int length) {
    entry(family, family == 0 ? VALUE : FAMILY_VALUE, prefix.length + 8, prefix.length + length + 28);
    bytes(prefix, prefix.length);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (suffix >>> shift);
    }
    varint(length);
    bytes(value, length);
  }

  /** Adds a deletion of {@code key} in the column family with id {@code family}. */
  void delete(int family, byte[] key) {
    entry(family, family == 0 ? DELETION : FAMILY_DELETION, key.length, key.length + 16);
    bytes(key, key.length);
  }

  /** Returns how many entries were added. */
  int count() {
    return count;
  }

  /** Returns the size of the buffer, which grows with the largest batch built in it. */
  int capacity() {
    return buf.length;
  }

  /** Drops the entries, keeping the buffer for the next batch. */
  void reset() {
    size = HEADER;
    count = 0;
  }

  /** Returns the batch's bytes: the header with the entry count, then the entries. */
  byte[] toBytes() {
    byte[] out = Arrays.copyOf(buf, size);
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    return out;
  }

  /** Returns a native batch holding the entries; the caller closes it. */
  WriteBatch toWriteBatch() {
    return new WriteBatch(toBytes());
  }

  /** Starts an entry: its type, the family id unless it is the default one, and the key's length. */
  private void entry(int family, byte type, int keyLength, int upperBound) {
    ensure(upperBound);
    count++;
    buf[size++] = type;
    if (family != 0) {
      varint(family);
    }
    varint(keyLength);
  }

  private void bytes(byte[] b, int length) {
    System.arraycopy(b, 0, buf, size, length);
    size += length;
  }

  private void varint(int v) {
    while ((v & ~0x7F) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
