package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.FakeHooks;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import dev.durable.internal.sandbox.Sandbox;
import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.Violation;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rewritten samples, run as workflow code: every redirected value comes from the run's hooks. */
class RewrittenSamplesRunOnWorkflowThreadsTest {
  private final SampleRunner run = new SampleRunner();
  private final FakeHooks hooks = new FakeHooks();

  /** Thrown by the hooks on a violation, so that the call does not go on. */
  private static final class Reported extends RuntimeException {}

  @BeforeEach
  void enterWorkflowThread() {
    run.load("EnvironmentSamples"); // initialise outside the workflow, as class loading would
    Sandbox.install(new RuleSet(RulesParser.defaults()), Sandbox.Mode.ENFORCE);
    SandboxState.enter(hooks);
  }

  @AfterEach
  void restoreNeutralState() {
    SandboxState.restore(null);
    Sandbox.install(new RuleSet(List.of()), Sandbox.Mode.ENFORCE);
  }

  @Test
  void everyTimeCallReadsWorkflowTime() throws Throwable {
    Instant now = FakeHooks.NOW;
    assertEquals(now, run.call("TimeSamples", "instantNow"));
    assertEquals(now.toEpochMilli(), run.call("TimeSamples", "currentTimeMillis"));
    assertEquals(now.getEpochSecond() * 1_000_000_000L + now.getNano(), run.call("TimeSamples", "nanoTime"));
    assertEquals(Date.from(now), run.call("TimeSamples", "newDate"));
    assertEquals(now.toEpochMilli(), ((Calendar) run.call("TimeSamples", "calendar")).getTimeInMillis());
    assertEquals(now, ((Clock) run.call("TimeSamples", "systemUtc")).instant());
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    assertEquals(LocalDate.ofInstant(now, tokyo), run.call("TimeSamples", "localDateNow", tokyo));
    assertEquals(LocalDateTime.ofInstant(now, ZoneOffset.UTC), run.call("TimeSamples", "localDateTimeNow", Clock.systemUTC()));
    assertEquals(new StringBuilder(Date.from(now).toString()).reverse().toString(), run.call("TimeSamples", "nestedNewDate"));
  }

  @Test
  void redirectsMadeInTheConstantPoolReadWorkflowValues() throws Throwable {
    Instant now = FakeHooks.NOW;
    assertEquals(now.toEpochMilli(), run.call("InPlaceSamples", "millis"));
    assertEquals(now.getEpochSecond() * 1_000_000_000L + now.getNano(), run.call("InPlaceSamples", "nanos"));
    assertEquals(now, run.call("InPlaceSamples", "now"));
    assertEquals(FakeHooks.UUID_VALUE, run.call("InPlaceSamples", "uuid"));
    assertEquals(now, ((Clock) run.call("InPlaceSamples", "utc")).instant());
    // Method references use the same redirected entries: Instant::now, System::currentTimeMillis, Math::random.
    assertEquals(List.of(now, now.toEpochMilli(), new Random(FakeHooks.SEED).nextDouble()),
        run.call("InPlaceSamples", "references"));
    assertEquals(2 * now.toEpochMilli(), run.call("InPlaceSamples$Millis", "twice"));
  }

  @Test
  void aClockTheCodeWasGivenIsKept() throws Throwable {
    Clock fixed = Clock.fixed(Instant.parse("2020-01-01T10:00:00Z"), ZoneOffset.UTC);
    assertEquals(LocalDateTime.of(2020, 1, 1, 10, 0), run.call("TimeSamples", "localDateTimeNow", fixed));
    assertEquals(new Date(123L), run.call("TimeSamples", "dateAt123"));
  }

  @Test
  void randomValuesComeFromTheRunsStream() throws Throwable {
    Random expected = new Random(FakeHooks.SEED);
    Random fresh = (Random) run.call("RandomSamples", "newRandom");
    assertEquals(new Random(expected.nextLong()).nextInt(), fresh.nextInt());
    assertEquals(expected.nextDouble(), run.call("RandomSamples", "mathRandom"));
    assertEquals(expected.nextInt(5), run.call("RandomSamples", "threadLocalRandomNextInt"));
    assertEquals(expected.nextFloat(2f), run.call("RandomSamples", "threadLocalRandomNextFloat"));
    assertEquals(FakeHooks.UUID_VALUE, run.call("RandomSamples", "randomUuid"));
    assertEquals(new Random(7L).nextLong(), ((Random) run.call("RandomSamples", "seededRandom")).nextLong());
    Random sub = (Random) run.call("RandomSamples", "subclassOfRandom"); // super() reseeded too
    assertEquals(new Random(expected.nextLong()).nextInt(), sub.nextInt());
  }

  @Test
  @SuppressWarnings("unchecked")
  void methodReferencesAreDeterministicToo() throws Throwable {
    Random expected = new Random(FakeHooks.SEED);
    assertEquals(FakeHooks.NOW, ((Supplier<Instant>) run.call("MethodReferenceSamples", "instantNow")).get());
    assertEquals(FakeHooks.UUID_VALUE, ((Supplier<UUID>) run.call("MethodReferenceSamples", "randomUuid")).get());
    assertEquals(FakeHooks.UUID_VALUE, ((Supplier<UUID>) run.call("MethodReferenceSamples", "anonymousUuid")).get());
    Random fresh = ((Supplier<Random>) run.call("MethodReferenceSamples", "newRandom")).get();
    assertEquals(new Random(expected.nextLong()).nextInt(), fresh.nextInt());
    assertEquals(expected.nextInt(9), ((IntUnaryOperator) run.call("MethodReferenceSamples", "boundNextInt")).applyAsInt(9));
  }

  @Test
  void sleepIsADurableTimer() throws Throwable {
    run.call("EnvironmentSamples", "sleepFiveMillis");
    assertEquals(List.of(Duration.ofMillis(5)), hooks.sleeps);
  }

  @Test
  void readingTheEnvironmentIsReportedAtTheSampleLine() throws Throwable {
    run.call("EnvironmentSamples", "getenv");
    run.call("EnvironmentSamples", "getProperty");
    assertEquals(List.of("env.getenv", "env.get-property"), hooks.violations.stream().map(Violation::ruleId).toList());
    StackTraceElement top = hooks.violations.get(0).userFrame();
    assertEquals("example.sample.EnvironmentSamples", top.getClassName());
    assertEquals("getenv", top.getMethodName());
    assertEquals("EnvironmentSamples.java", top.getFileName());
    assertTrue(top.getLineNumber() > 0);
  }

  @Test
  void everyHostNameLookupIsReportedBeforeAnythingIsLookedUp() throws Throwable {
    // The hooks throw, as the runtime does: a lookup that went on would return, or throw
    // UnknownHostException for the reserved name (RFC 2606).
    hooks.onViolation = v -> {
      throw new Reported();
    };
    String reserved = "durable-test.invalid";
    InetAddress v4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    byte[] loopback6 = new byte[16];
    loopback6[15] = 1;
    Inet6Address v6 = (Inet6Address) InetAddress.getByAddress(loopback6);
    Map<String, List<Object>> lookups = new LinkedHashMap<>();
    lookups.put("getByName", List.of(reserved));
    lookups.put("getAllByName", List.of(reserved));
    lookups.put("getLocalHost", List.of());
    lookups.put("getByNameOnInet4Address", List.of(reserved));
    lookups.put("getByNameThroughAReference", List.of(reserved));
    lookups.put("getHostName", List.of(v4));
    lookups.put("getCanonicalHostName", List.of(v4));
    lookups.put("getHostNameOfInet4Address", List.of(v4));
    lookups.put("getCanonicalHostNameOfInet6Address", List.of(v6));
    lookups.put("newSocketAddress", List.of(reserved, 80));
    lookups.forEach((method, args) -> assertThrows(Reported.class, () -> run.call("DnsSamples", method, args.toArray()),
        method + " is reported"));

    List<String> rules = new ArrayList<>(Collections.nCopies(lookups.size() - 1, "net.dns-lookup"));
    rules.add("net.dns-lookup-socket-address");
    assertEquals(rules, hooks.violations.stream().map(Violation::ruleId).toList());
    for (Violation v : hooks.violations) {
      assertEquals("example.sample.DnsSamples", v.userFrame().getClassName(), v.toString());
      assertTrue(v.userFrame().getLineNumber() > 0, v.toString());
    }
    assertEquals(List.of("java.net.InetAddress.getByName", "getByName"),
        List.of(hooks.violations.get(0).api(), hooks.violations.get(0).userFrame().getMethodName()));
  }

  @Test
  void makingAnAddressWithoutALookupIsNotReported() throws Throwable {
    InetAddress v4 = (InetAddress) run.call("DnsSamples", "getByAddress");
    InetAddress named = (InetAddress) run.call("DnsSamples", "getByAddressWithName", "durable-test.invalid");
    InetAddress loopback = (InetAddress) run.call("DnsSamples", "getLoopbackAddress");
    String text = (String) run.call("DnsSamples", "getHostAddress", v4);
    InetSocketAddress unresolved =
        (InetSocketAddress) run.call("DnsSamples", "createUnresolved", "durable-test.invalid", 80);
    InetSocketAddress ofAddress = (InetSocketAddress) run.call("DnsSamples", "newSocketAddressOfAnAddress", v4, 80);
    InetSocketAddress wildcard = (InetSocketAddress) run.call("DnsSamples", "newWildcardSocketAddress", 80);
    String hostString = (String) run.call("DnsSamples", "getHostString", unresolved);
    // Address literals: the JDK parses them without a lookup.
    InetAddress literal = (InetAddress) run.call("DnsSamples", "getByName", "10.1.2.3");
    InetAddress[] literal6 = (InetAddress[]) run.call("DnsSamples", "getAllByName", "::1");
    InetAddress bracketed = (InetAddress) run.call("DnsSamples", "getByNameOnInet4Address", "[fe80::1]");
    assertEquals(List.of(), hooks.violations);
    assertEquals("/10.1.2.3", literal.toString());
    assertTrue(literal6[0].isLoopbackAddress());
    assertTrue(bracketed.isLinkLocalAddress());
    assertEquals("127.0.0.1", text);
    assertEquals("durable-test.invalid/127.0.0.1", named.toString());
    assertTrue(loopback.isLoopbackAddress());
    assertTrue(unresolved.isUnresolved());
    assertEquals(v4, ofAddress.getAddress());
    assertTrue(wildcard.getAddress().isAnyLocalAddress());
    assertEquals("durable-test.invalid", hostString);
  }

  @Test
  void aStaticWriteIsReportedWithTheField() throws Throwable {
    run.call("EnvironmentSamples", "bumpCounter");
    Violation v = hooks.violations.get(0);
    assertEquals("global.static-write", v.ruleId());
    assertEquals("example.sample.EnvironmentSamples.counter", v.api());
    assertTrue(v.staticWrite());
    assertEquals("bumpCounter", v.userFrame().getMethodName());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aForbiddenMethodReferenceIsReportedAtTheLineThatWroteIt() throws Throwable {
    Function<String, String> getenv = (Function<String, String>) run.call("MethodReferenceSamples", "getenv");
    getenv.apply("X");
    StackTraceElement top = hooks.violations.get(0).userFrame();
    assertEquals("example.sample.MethodReferenceSamples", top.getClassName());
    assertEquals("MethodReferenceSamples.java", top.getFileName());
    assertTrue(top.getLineNumber() > 0, "the bridge carries the line of the method reference: " + top);
  }

  @Test
  void staticInitializersAreNotReported() throws Throwable {
    SandboxState.restore(null);
    SampleRunner fresh = new SampleRunner();
    SandboxState.enter(hooks);
    fresh.load("EnvironmentSamples"); // runs <clinit> on the workflow thread
    assertFalse(hooks.violations.stream().anyMatch(v -> v.staticWrite()));
  }
}
