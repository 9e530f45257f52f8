package dev.durable.internal.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the data dir's directories and files so that only their owner can read them, where the
 * file system has POSIX permissions (histories hold every argument and result of every workflow).
 * RocksDB creates its own files with the process umask, so its directory is what protects them.
 */
public final class OwnerOnly {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /**
   * Creates {@code dir} (and missing parents) if it does not exist, the directory itself readable
   * by its owner only. An existing directory is left as it is: it may be one the user chose to share.
   */
  public static void createDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createDirectory(dir, attributes(DIRECTORY));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // created meanwhile by someone else: theirs to set up
      }
    }
  }

  /** Creates {@code dir}, which must not exist, readable by its owner only. */
  public static void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir, attributes(DIRECTORY));
  }

  /** Makes a directory of Durable's own (created if missing) readable by its owner only. */
  public static void restrictDirectory(Path dir) throws IOException {
    createDirectories(dir);
    restrict(dir, DIRECTORY);
  }

  /** Makes a file of Durable's own readable and writable by its owner only. */
  public static void restrictFile(Path file) throws IOException {
    restrict(file, FILE);
  }

  /**
   * Whether {@code dir} is a directory of the user the JVM runs as, not a link, that nobody else may
   * read, write or enter (true where the file system has no POSIX permissions): one it is safe to
   * load code from.
   */
  public static boolean isPrivateDirectory(Path dir) throws IOException {
    if (!POSIX) {
      return true;
    }
    PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.isDirectory() && a.owner().getName().equals(System.getProperty("user.name"))
        && DIRECTORY.containsAll(a.permissions());
  }

  /** Returns the attributes that create a file readable and writable by its owner only. */
  public static FileAttribute<?>[] fileAttributes() {
    return attributes(FILE);
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (POSIX && !Files.getPosixFilePermissions(path).equals(permissions)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
  }
}
