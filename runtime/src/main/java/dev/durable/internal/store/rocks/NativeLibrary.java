package dev.durable.internal.store.rocks;

import dev.durable.internal.LazyLogger;
import dev.durable.internal.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's native library from a copy kept between starts of the JVM. RocksDB's own loader
 * inflates the library (15 MB, compressed in its jar) into a new temporary file on every start:
 * about 0.1 s of a 0.8 s start on a 2-core machine, and a process killed before its exit leaves
 * that file behind. The kept copy is in {@code <java.io.tmpdir>/durable-native-<user>/rocksdbjni-<crc>-<size>}
 * (the CRC-32 and size of the library in the jar; {@code -Ddurable.native.dir} chooses another
 * directory than {@code durable-native-<user>}), and its CRC is checked on every load. The
 * directories must be the user's own: readable by nobody else. When they are not, or anything
 * else fails, RocksDB's own loader runs, as before. Writing a new copy (after an upgrade of
 * RocksDB) removes the other versions' copies that no JVM loaded for {@link #UNUSED_FOR}, and the
 * partial copies that writers killed mid-way left ({@link #PARTIAL_LEFT_FOR}).
 */
final class NativeLibrary {
  /** The system property naming the directory the copies are kept in. */
  static final String DIR_PROPERTY = "durable.native.dir";
  private static final System.Logger LOG = LazyLogger.of(NativeLibrary.class);
  /** How long a copy of another version may go unloaded before a new copy's writer removes it. */
  static final Duration UNUSED_FOR = Duration.ofDays(30);
  /**
   * How old a partial copy must be before a new copy's writer removes it: one left by a JVM killed
   * while it wrote (writing takes well under a second; a younger one may still be being written).
   */
  static final Duration PARTIAL_LEFT_FOR = Duration.ofHours(1);
  private static volatile boolean loaded;

  private NativeLibrary() {}

  /** Loads RocksDB's native library once per JVM, from the kept copy if it can. */
  static void load() {
    if (loaded) {
      return;
    }
    synchronized (NativeLibrary.class) {
      if (!loaded) {
        loadOnce();
        loaded = true;
      }
    }
  }

  private static void loadOnce() {
    presetGlibc();
    try {
      Optional<Path> dir = keptCopy();
      if (dir.isPresent()) {
        RocksDB.loadLibrary(List.of(dir.get().toString()));
        return;
      }
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.log(System.Logger.Level.DEBUG, "RocksDB's native library is loaded from its jar: no kept copy (" + e + ")");
    }
    RocksDB.loadLibrary();
  }

  /**
   * Tells RocksDB's loader that this process runs on glibc when its memory map shows glibc's
   * {@code libc.so.6} and nothing of musl's, so that the loader does not find out by running
   * {@code ldd} in a shell: about 40 ms of every start on a 2-core machine, for a question the
   * process's own map answers in under a millisecond. It sets the loader's private cache of that
   * answer ({@code Environment.MUSL_LIBC}), and only while the cache is empty. Anywhere else (no
   * {@code /proc}, musl, another RocksDB without that field) it does nothing, and the loader asks
   * {@code ldd} as before; {@code ROCKSDB_MUSL_LIBC} in the environment still wins over both.
   */
  private static void presetGlibc() {
    if (!"Linux".equals(System.getProperty("os.name")) || System.getenv("ROCKSDB_MUSL_LIBC") != null) {
      return;
    }
    try {
      String maps = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
      if (!maps.contains("/libc.so.6") || maps.contains("musl")) {
        return;
      }
      Field cache = Environment.class.getDeclaredField("MUSL_LIBC");
      if (!Modifier.isStatic(cache.getModifiers()) || Modifier.isFinal(cache.getModifiers())
          || cache.getType() != Boolean.class) {
        return;
      }
      cache.setAccessible(true);
      if (cache.get(null) == null) {
        cache.set(null, Boolean.FALSE);
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "RocksDB's loader checks for musl itself: " + e);
    }
  }

  /** The directory holding an intact copy of this platform's library from RocksDB's jar; empty if there is none to keep. */
  private static Optional<Path> keptCopy() throws IOException {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    URL url = RocksDB.class.getClassLoader().getResource(resource);
    if (url == null || !"jar".equals(url.getProtocol())) {
      return Optional.empty();
    }
    String spec = url.toString();
    Path jar;
    try {
      jar = Path.of(new URI(spec.substring("jar:".length(), spec.indexOf("!/"))));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    ZipEntry entry;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      entry = zip.getEntry(resource);
    }
    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
      return Optional.empty();
    }
    // RocksDB.loadLibrary(paths) looks for the file under this name (not the name in the jar).
    return keep(base(), entry.getCrc(), entry.getSize(), Environment.getJniLibraryFileName("rocksdbjni"),
        url::openStream);
  }

  /** The directory the copies are kept in; absolute, since {@code System.load} takes only absolute paths. */
  private static Path base() {
    String chosen = System.getProperty(DIR_PROPERTY);
    if (chosen != null && !chosen.isBlank()) {
      return Path.of(chosen).toAbsolutePath();
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "durable-native-" + user).toAbsolutePath();
  }

  /** Opens the library's bytes. */
  @FunctionalInterface
  interface Source {
    InputStream open() throws IOException;
  }

  /**
   * Returns the directory under {@code base} that holds an intact copy (CRC-32 {@code crc}, {@code
   * size} bytes) of the library as {@code fileName}, writing it from {@code source} if it is
   * missing or damaged; empty when {@code base} or that directory can be read by others than its
   * owner (someone else's, or shared: not safe to load code from). A copy is written to a temporary
   * file and renamed into place, so a reader never sees a partial one, also with several JVMs at once.
   */
  static Optional<Path> keep(Path base, long crc, long size, String fileName, Source source) throws IOException {
    Path dir = base.resolve("rocksdbjni-" + Long.toHexString(crc) + "-" + size);
    for (Path d : List.of(base, dir)) {
      OwnerOnly.createDirectories(d);
      if (!OwnerOnly.isPrivateDirectory(d)) {
        LOG.log(System.Logger.Level.DEBUG, "RocksDB's native library is not kept in " + d + ": it is a link, another"
            + " user's, or open to others");
        return Optional.empty();
      }
    }
    Path lib = dir.resolve(fileName);
    if (Files.isRegularFile(lib) && Files.size(lib) == size && crcOf(lib) == crc) {
      markUsed(lib);
      return Optional.of(dir);
    }
    Path part = Files.createTempFile(dir, fileName, ".part", OwnerOnly.fileAttributes());
    try {
      CRC32 written = new CRC32();
      try (InputStream in = source.open(); OutputStream out = new CheckedOutputStream(Files.newOutputStream(part), written)) {
        in.transferTo(out);
      }
      if (written.getValue() != crc || Files.size(part) != size) {
        throw new IOException("the library read from the jar does not match its entry (CRC or size)");
      }
      Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
    removeLeftPartials(dir, fileName);
    removeUnused(base, dir);
    return Optional.of(dir);
  }

  /** Removes the partial copies in {@code dir} older than {@link #PARTIAL_LEFT_FOR}: killed writers' leftovers. */
  private static void removeLeftPartials(Path dir, String fileName) {
    FileTime cutoff = FileTime.from(Instant.now().minus(PARTIAL_LEFT_FOR));
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, fileName + "*.part")) {
      for (Path part : parts) {
        if (Files.getLastModifiedTime(part, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
          Files.deleteIfExists(part);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "partial copies of RocksDB's native library in " + dir + " were not all removed: " + e);
    }
  }

  /** Dates a copy's last use: its modification time, which {@link #removeUnused} goes by. */
  private static void markUsed(Path lib) {
    try {
      Files.setLastModifiedTime(lib, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // a read-only copy is still a good one; it may only be removed as unused one day
    }
  }

  /**
   * Removes the other versions' copies under {@code base} that no JVM has loaded for {@link
   * #UNUSED_FOR} (after an upgrade of RocksDB, say), so that copies do not pile up. Runs only when a
   * new copy was written. A JVM that loads a copy as it goes falls back to RocksDB's own loader;
   * whatever cannot be removed stays.
   */
  private static void removeUnused(Path base, Path keep) {
    FileTime cutoff = FileTime.from(Instant.now().minus(UNUSED_FOR));
    try (DirectoryStream<Path> copies = Files.newDirectoryStream(base, "rocksdbjni-*")) {
      for (Path copy : copies) {
        if (!copy.equals(keep) && OwnerOnly.isPrivateDirectory(copy) && lastUsed(copy).compareTo(cutoff) < 0) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(copy)) {
            for (Path f : files) {
              Files.deleteIfExists(f);
            }
          }
          Files.deleteIfExists(copy);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "old copies of RocksDB's native library in " + base + " were not all removed: " + e);
    }
  }

  /** The latest modification time of the files in a copy's directory (the directory's own if it is empty). */
  private static FileTime lastUsed(Path copy) throws IOException {
    FileTime latest = Files.getLastModifiedTime(copy, LinkOption.NOFOLLOW_LINKS);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(copy)) {
      for (Path f : files) {
        FileTime t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
        latest = t.compareTo(latest) > 0 ? t : latest;
      }
    }
    return latest;
  }

  private static long crcOf(Path file) throws IOException {
    CRC32 crc = new CRC32();
    try (FileChannel ch = FileChannel.open(file)) {
      crc.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
    }
    return crc.getValue();
  }
}
