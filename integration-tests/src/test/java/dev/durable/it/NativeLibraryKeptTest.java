package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB's native library is loaded from a copy kept between starts, so that a start does not
 * inflate it into a new temporary file, and a killed process leaves no such file behind. Each child
 * gets a temporary dir of its own ({@code java.io.tmpdir}), where RocksDB's own loader would put it.
 */
class NativeLibraryKeptTest {
  @TempDir Path tmp;

  private ChildJvm server(String name, Path nativeDir, Path childTmp, String... jvmOptions) throws IOException {
    Files.createDirectories(childTmp);
    return ChildJvm.launcher(HoldDataDir.class.getName(), tmp.resolve("data-" + name))
        .jvmOptions("-Ddurable.native.dir=" + nativeDir, "-Djava.io.tmpdir=" + childTmp)
        .jvmOptions(jvmOptions)
        .start(tmp, name);
  }

  /**
   * RocksDB's loader asks {@code ldd} in a shell whether the C library is musl, unless it was told:
   * the engine tells it from the process's own memory map. No process is started, so the JDK's
   * process classes are never loaded.
   */
  @Test
  void aStartRunsNoShellToAskWhichCLibraryThisIs() throws Exception {
    Path classes = tmp.resolve("classes.log");
    try (ChildJvm server = server("no-shell", tmp.resolve("native"), tmp.resolve("child-tmp"),
        "-Xlog:class+load=info:file=" + classes)) {
      server.awaitLine("the holding line", line -> line.startsWith("holding "));
      server.closeStdin();
      assertEquals(0, server.awaitExit(), server.report());
    }
    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.stream().anyMatch(l -> l.contains("org.rocksdb.RocksDB ")), "the log lists the classes loaded");
    assertEquals(List.of(), loaded.stream().filter(l -> l.contains("java.lang.ProcessImpl ")).toList());
  }

  @Test
  void theFirstStartKeepsACopyAndLaterStartsLoadItWithoutExtractingAnything() throws Exception {
    Path nativeDir = tmp.resolve("native");
    Path childTmp = tmp.resolve("child-tmp");
    try (ChildJvm first = server("first", nativeDir, childTmp)) {
      first.awaitLine("the holding line", line -> line.startsWith("holding "));
      first.closeStdin();
      assertEquals(0, first.awaitExit(), first.report());
    }
    List<Path> kept = files(nativeDir);
    assertEquals(1, kept.size(), kept.toString());
    List<Path> library = files(kept.get(0));
    assertEquals(1, library.size(), library.toString());
    assertTrue(library.get(0).getFileName().toString().startsWith("librocksdbjni"), library.toString());
    assertTrue(Files.size(library.get(0)) > 1_000_000, library + " is the library");
    Object written = fileKey(library.get(0)); // a rewrite renames a new file into place: another key
    long modified = Files.getLastModifiedTime(library.get(0)).toMillis();

    try (ChildJvm second = server("second", nativeDir, childTmp)) {
      second.awaitLine("the holding line", line -> line.startsWith("holding "));
      assertEquals(List.of(), files(childTmp), "nothing extracted while the second server runs");
      second.kill();
    }
    assertEquals(List.of(), files(childTmp), "a killed server leaves no library behind");
    assertEquals(library, files(kept.get(0)));
    assertEquals(written, fileKey(library.get(0)), "the kept copy was not rewritten");
    assertTrue(Files.getLastModifiedTime(library.get(0)).toMillis() >= modified, "the load dated the copy");
  }

  @Test
  void aDirectoryOthersCanReachIsNotUsedAndTheServerStillStarts() throws Exception {
    Path shared = tmp.resolve("shared");
    Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Path childTmp = tmp.resolve("child-tmp");
    try (ChildJvm server = server("shared", shared, childTmp)) {
      server.awaitLine("the holding line", line -> line.startsWith("holding "));
      assertEquals(List.of(), files(shared), "nothing kept in a directory open to others");
      List<Path> extracted = files(childTmp);
      assertEquals(1, extracted.size(), "RocksDB's own loader extracted the library: " + extracted);
      server.closeStdin();
      assertEquals(0, server.awaitExit(), server.report());
    }
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
