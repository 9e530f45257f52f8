package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kept copy of RocksDB's native library: written once, checked on every load, rewritten when
 * damaged, and never taken from a directory that others can reach. (That the JVM really loads it,
 * and RocksDB extracts nothing, is checked in a child JVM by the integration tests.)
 */
class NativeLibraryTest {
  private static final byte[] LIBRARY = "not really a shared library, but bytes to keep".getBytes(StandardCharsets.UTF_8);
  private static final String NAME = "librocksdbjnijni-test.so";

  @TempDir Path tmp;
  private final AtomicInteger opened = new AtomicInteger();

  private NativeLibrary.Source source(byte[] bytes) {
    return () -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream(bytes);
    };
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private Optional<Path> keep(Path base, byte[] bytes) throws IOException {
    return NativeLibrary.keep(base, crc(LIBRARY), LIBRARY.length, NAME, source(bytes));
  }

  @Test
  void theCopyIsWrittenOnceOwnerOnlyAndReusedAfterwards() throws IOException {
    Path base = tmp.resolve("native");

    Path dir = keep(base, LIBRARY).orElseThrow();

    assertEquals(base.resolve("rocksdbjni-" + Long.toHexString(crc(LIBRARY)) + "-" + LIBRARY.length), dir);
    assertArrayEquals(LIBRARY, Files.readAllBytes(dir.resolve(NAME)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(NAME))));
    assertEquals(1, opened.get());

    assertEquals(Optional.of(dir), keep(base, LIBRARY));
    assertEquals(1, opened.get(), "an intact copy is used as it is");
    assertEquals(List.of(dir.resolve(NAME)), files(dir));
  }

  @Test
  void aDamagedCopyIsWrittenAgain() throws IOException {
    Path base = tmp.resolve("native");
    Path dir = keep(base, LIBRARY).orElseThrow();
    byte[] damaged = LIBRARY.clone();
    damaged[3] ^= 1; // same size, other bytes
    Files.write(dir.resolve(NAME), damaged);

    assertEquals(Optional.of(dir), keep(base, LIBRARY));

    assertEquals(2, opened.get());
    assertArrayEquals(LIBRARY, Files.readAllBytes(dir.resolve(NAME)));
  }

  @Test
  void bytesThatDoNotMatchTheJarEntryAreNotKept() throws IOException {
    Path base = tmp.resolve("native");

    IOException e = assertThrows(IOException.class, () -> keep(base, "other bytes".getBytes(StandardCharsets.UTF_8)));

    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    Path dir = base.resolve("rocksdbjni-" + Long.toHexString(crc(LIBRARY)) + "-" + LIBRARY.length);
    assertEquals(List.of(), files(dir), "neither the copy nor its partial file is left");
  }

  @Test
  void aDirectoryOthersCanReachIsNotUsed() throws IOException {
    Path shared = tmp.resolve("shared");
    Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    assertEquals(Optional.empty(), keep(shared, LIBRARY));

    assertEquals(0, opened.get());
    assertFalse(Files.exists(shared.resolve(NAME)));
  }

  @Test
  void aLinkIsNotFollowed() throws IOException {
    Path real = tmp.resolve("real");
    Files.createDirectory(real, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

    assertEquals(Optional.empty(), keep(link, LIBRARY));

    assertEquals(0, opened.get());
  }

  @Test
  void anotherUsersDirectoryIsNotUsed() throws IOException {
    Path base = tmp.resolve("native");
    keep(base, LIBRARY).orElseThrow();
    String user = System.getProperty("user.name");
    System.setProperty("user.name", user + "-someone-else");
    try {
      assertEquals(Optional.empty(), keep(base, LIBRARY));
    } finally {
      System.setProperty("user.name", user);
    }
  }

  @Test
  void everyLoadOfTheCopyDatesItsUse() throws IOException {
    Path base = tmp.resolve("native");
    Path lib = keep(base, LIBRARY).orElseThrow().resolve(NAME);
    Files.setLastModifiedTime(lib, daysAgo(40));

    keep(base, LIBRARY).orElseThrow();

    assertTrue(Files.getLastModifiedTime(lib).compareTo(daysAgo(1)) > 0, "dated now: " + Files.getLastModifiedTime(lib));
    assertEquals(1, opened.get());
  }

  @Test
  void writingANewCopyRemovesOtherCopiesUnusedForThirtyDays() throws IOException {
    Path base = tmp.resolve("native");
    Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path unused = oldCopy(base, "rocksdbjni-1-100", 31);
    Path recent = oldCopy(base, "rocksdbjni-2-200", 29);
    Path unrelated = oldCopy(base, "something-else", 31);

    Path dir = keep(base, LIBRARY).orElseThrow();

    assertEquals(List.of(dir, recent, unrelated).stream().sorted().toList(), files(base));
    assertFalse(Files.exists(unused));
    assertEquals(List.of(recent.resolve(NAME)), files(recent));
  }

  @Test
  void writingACopyRemovesPartialCopiesKilledWritersLeftButNotOnesBeingWritten() throws IOException {
    Path base = tmp.resolve("native");
    Path dir = keep(base, LIBRARY).orElseThrow();
    Files.delete(dir.resolve(NAME)); // so that the next load writes the copy again
    Path left = Files.write(dir.resolve(NAME + "123.part"), "killed mid-way".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(left, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path young = Files.write(dir.resolve(NAME + "456.part"), "being written".getBytes(StandardCharsets.UTF_8));
    Path other = Files.write(dir.resolve("notes.part"), "not a copy".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    assertEquals(Optional.of(dir), keep(base, LIBRARY));

    assertEquals(List.of(dir.resolve(NAME), young, other).stream().sorted().toList(), files(dir));
  }

  /** A copy's directory under {@code base} whose library was last used {@code days} days ago. */
  private static Path oldCopy(Path base, String name, int days) throws IOException {
    Path dir = Files.createDirectory(base.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path lib = Files.write(dir.resolve(NAME), LIBRARY);
    Files.setLastModifiedTime(lib, daysAgo(days));
    Files.setLastModifiedTime(dir, daysAgo(days));
    return dir;
  }

  private static FileTime daysAgo(int days) {
    return FileTime.from(Instant.now().minus(Duration.ofDays(days)));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
