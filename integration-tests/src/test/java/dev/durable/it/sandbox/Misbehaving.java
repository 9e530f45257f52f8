package dev.durable.it.sandbox;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A workflow that does one thing workflow code must not do, chosen by its argument, while the
 * system property {@value #SWITCH} is true. The property is read in a static initializer, where
 * reading it is allowed; with it off the workflow completes.
 *
 * <p>Each offending line ends with a {@code // violation: <category>} comment, from which
 * {@link ViolationTest} learns the line the violation message must name.
 */
@WorkflowInterface
public interface Misbehaving {
  /** The system property that switches the offending code on. */
  String SWITCH = "durable.it.misbehave";

  /**
   * Does what {@code category} names, unless switched off, and returns {@code "<category> done"}.
   *
   * @param category what to do, such as {@code FileInputStream}
   * @param file an existing file to open
   * @param port a loopback port where an HTTP server listens
   */
  @WorkflowMethod
  String run(String category, String file, int port);

  /** The implementation. */
  class Impl implements Misbehaving {
    static final boolean MISBEHAVE = Boolean.parseBoolean(System.getProperty(SWITCH));
    static int runs; // a mutable global, written by the static-write category

    @Override
    public String run(String category, String file, int port) {
      if (MISBEHAVE) {
        try {
          misbehave(category, file, port);
        } catch (Exception e) {
          // A violation is an Error: this cannot swallow it. Reaching here means the call went through.
          return category + " went through: " + e;
        }
        return category + " went through";
      }
      return category + " done";
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void misbehave(String category, String file, int port) throws Exception {
      URI uri = URI.create("http://127.0.0.1:" + port + "/");
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
      switch (category) {
        case "FileInputStream" -> new FileInputStream(file).close(); // violation: FileInputStream
        case "FileOutputStream" -> new FileOutputStream(file, true).close(); // violation: FileOutputStream
        case "Files.readString" -> Files.readString(Path.of(file)); // violation: Files.readString
        case "File.exists" -> new java.io.File(file).exists(); // violation: File.exists
        case "Files.size" -> Files.size(Path.of(file)); // violation: Files.size
        case "RandomAccessFile" -> new RandomAccessFile(file, "r").close(); // violation: RandomAccessFile
        case "FileChannel.open" -> FileChannel.open(Path.of(file)).close(); // violation: FileChannel.open
        case "Socket" -> new Socket("127.0.0.1", port).close(); // violation: Socket
        // An address made without a name: new InetSocketAddress(String, int) would be caught first, as a DNS lookup.
        case "SocketChannel" ->
            SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).close(); // violation: SocketChannel
        case "ServerSocket" -> new ServerSocket(0).close(); // violation: ServerSocket
        case "DatagramSocket.send" -> new DatagramSocket().send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), port)); // violation: DatagramSocket.send
        case "HttpClient.send" -> Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()); // violation: HttpClient.send
        case "URL.openStream" -> uri.toURL().openStream().close(); // violation: URL.openStream
        // The check comes before any lookup, so these need no network. A call let through would return, or
        // throw UnknownHostException for the reserved "durable-test.invalid" (RFC 2606): the category would go through.
        case "InetAddress.getByName" -> InetAddress.getByName("durable-test.invalid"); // violation: InetAddress.getByName
        case "InetAddress.getAllByName" -> InetAddress.getAllByName("localhost"); // violation: InetAddress.getAllByName
        case "InetAddress.getLocalHost" -> InetAddress.getLocalHost(); // violation: InetAddress.getLocalHost
        case "InetAddress.getHostName" -> {
          InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, 1}); // no lookup: allowed
          address.getHostName(); // violation: InetAddress.getHostName
        }
        case "Inet4Address.getCanonicalHostName" -> {
          Inet4Address address = (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
          address.getCanonicalHostName(); // violation: Inet4Address.getCanonicalHostName
        }
        case "InetSocketAddress(host,port)" ->
            new InetSocketAddress("durable-test.invalid", port); // violation: InetSocketAddress(host,port)
        case "DriverManager.getConnection" -> DriverManager.getConnection("jdbc:none:x"); // violation: DriverManager.getConnection
        case "ProcessBuilder.start" -> new ProcessBuilder("true").start().waitFor(); // violation: ProcessBuilder.start
        case "Runtime.exec" -> Runtime.getRuntime().exec(new String[] {"true"}).waitFor(); // violation: Runtime.exec
        case "Thread.start" -> new Thread(() -> { }).start(); // violation: Thread.start
        case "ExecutorService.submit" -> Executors.newFixedThreadPool(1).submit(() -> 1); // violation: ExecutorService.submit
        case "ForkJoinPool.commonPool" -> ForkJoinPool.commonPool().submit(() -> 1); // violation: ForkJoinPool.commonPool
        case "CompletableFuture.supplyAsync" -> CompletableFuture.supplyAsync(() -> 1); // violation: CompletableFuture.supplyAsync
        case "parallelStream" -> List.of(1, 2, 3).parallelStream().mapToInt(i -> i).sum(); // violation: parallelStream
        case "ForkJoinTask.fork" -> ForkJoinTask.adapt(() -> 1).fork().join(); // violation: ForkJoinTask.fork
        // Java 21+: executors that start a thread per task, through Thread.start(ThreadContainer).
        case "newVirtualThreadPerTaskExecutor" -> executor("newVirtualThreadPerTaskExecutor").submit(() -> 1); // violation: newVirtualThreadPerTaskExecutor
        case "newThreadPerTaskExecutor" -> executor("newThreadPerTaskExecutor").submit(() -> 1); // violation: newThreadPerTaskExecutor
        case "CompletableFuture.orTimeout" -> new CompletableFuture<Integer>().orTimeout(1, TimeUnit.DAYS); // violation: CompletableFuture.orTimeout
        case "ScheduledExecutorService.schedule" ->
            Executors.newScheduledThreadPool(1).schedule(() -> 1, 1, TimeUnit.DAYS); // violation: ScheduledExecutorService.schedule
        // Waits that would block the workflow thread for good (a latch or a future waits durably instead).
        case "Object.wait" -> {
          Object monitor = new Object();
          synchronized (monitor) {
            monitor.wait(1); // violation: Object.wait
          }
        }
        case "BlockingQueue.take" -> new LinkedBlockingQueue<Integer>().take(); // violation: BlockingQueue.take
        case "CyclicBarrier.await" -> new CyclicBarrier(2).await(); // violation: CyclicBarrier.await
        case "Thread.join" -> Thread.currentThread().join(1); // violation: Thread.join
        case "SecureRandom" -> new SecureRandom(); // violation: SecureRandom
        case "System.exit" -> System.exit(77); // violation: System.exit
        case "System.getenv" -> System.getenv("PATH"); // violation: System.getenv
        case "System.getProperty" -> System.getProperty("user.name"); // violation: System.getProperty
        case "Boolean.getBoolean" -> Boolean.getBoolean("durable.it.flag"); // violation: Boolean.getBoolean
        case "Runtime.availableProcessors" -> Runtime.getRuntime().availableProcessors(); // violation: Runtime.availableProcessors
        case "ProcessHandle.current" -> ProcessHandle.current().pid(); // violation: ProcessHandle.current
        case "PUTSTATIC" -> runs++; // violation: PUTSTATIC
        default -> throw new IllegalArgumentException("unknown category " + category);
      }
    }
  }

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor()} or {@code newThreadPerTaskExecutor} of the
   * default (platform) thread factory, which exist from Java 21; this code compiles for 17.
   */
  private static java.util.concurrent.ExecutorService executor(String factory) throws ReflectiveOperationException {
    return factory.equals("newThreadPerTaskExecutor")
        ? (java.util.concurrent.ExecutorService) Executors.class.getMethod(factory, java.util.concurrent.ThreadFactory.class)
            .invoke(null, Executors.defaultThreadFactory())
        : (java.util.concurrent.ExecutorService) Executors.class.getMethod(factory).invoke(null);
  }

  /** Created on first use, in a static initializer: creating the client starts its selector thread. */
  final class Http {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {}
  }
}
