package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.original;
import static dev.durable.agent.Bytecode.rewritten;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.sample.DnsSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Calls that resolve a host name are checked at the call site, whichever of InetAddress and its
 * subclasses the bytecode names; calls that only make an address are left as they are.
 */
class DnsLookupsAreCheckedTest {
  private static final String CALL_SITE = "Guards.callSite(Ljava/lang/String;Ljava/lang/String;)V";

  private final byte[] before = original(DnsSamples.class);
  private final byte[] after = rewritten(DnsSamples.class);

  /** The original code of {@code method} with the check of {@code rule} inserted just before {@code call}. */
  private List<String> checkedBefore(String method, String call, String rule) {
    List<String> code = new ArrayList<>(code(before, method));
    int at = code.indexOf(call);
    assertTrue(at >= 0, method + " calls " + call + ": " + code);
    String api = call.substring(0, call.indexOf('(')).replace('/', '.'); // java.net.InetAddress.getByName
    code.addAll(at, List.of('"' + rule + '"', '"' + api + '"', CALL_SITE));
    return code;
  }

  @Test
  void everyLookupIsCheckedJustBeforeItsCall() {
    Map<String, String> calls = Map.of(
        "getLocalHost", "java/net/InetAddress.getLocalHost()Ljava/net/InetAddress;",
        "getHostName", "java/net/InetAddress.getHostName()Ljava/lang/String;",
        "getCanonicalHostName", "java/net/InetAddress.getCanonicalHostName()Ljava/lang/String;",
        "getHostNameOfInet4Address", "java/net/Inet4Address.getHostName()Ljava/lang/String;",
        "getCanonicalHostNameOfInet6Address", "java/net/Inet6Address.getCanonicalHostName()Ljava/lang/String;");
    List<Executable> checks = new ArrayList<>();
    calls.forEach((method, call) -> checks.add(() ->
        assertEquals(checkedBefore(method, call, "net.dns-lookup"), code(after, method), method)));
    assertAll(checks);
  }

  @Test
  void aLookupByNameGoesToAShimThatChecksTheNameItself() {
    // The shim reports the lookup unless the name is an address literal, which the JDK looks nothing up for.
    Map<String, List<String>> calls = Map.of(
        "getByName", List.of("java/net/InetAddress.getByName(Ljava/lang/String;)Ljava/net/InetAddress;",
            "Shims.inetAddressGetByName(Ljava/lang/String;)Ljava/net/InetAddress;"),
        "getAllByName", List.of("java/net/InetAddress.getAllByName(Ljava/lang/String;)[Ljava/net/InetAddress;",
            "Shims.inetAddressGetAllByName(Ljava/lang/String;)[Ljava/net/InetAddress;"),
        "getByNameOnInet4Address", List.of("java/net/Inet4Address.getByName(Ljava/lang/String;)Ljava/net/InetAddress;",
            "Shims.inetAddressGetByName(Ljava/lang/String;)Ljava/net/InetAddress;"));
    List<Executable> checks = new ArrayList<>();
    calls.forEach((method, call) -> checks.add(() -> {
      List<String> expected = new ArrayList<>(code(before, method));
      int at = expected.indexOf(call.get(0));
      assertTrue(at >= 0, method + " calls " + call.get(0) + ": " + expected);
      expected.set(at, call.get(1));
      assertEquals(expected, code(after, method), method);
    }));
    assertAll(checks);
  }

  @Test
  void aSocketAddressMadeFromAHostNameIsCheckedBeforeItsConstructor() {
    assertEquals(checkedBefore("newSocketAddress", "java/net/InetSocketAddress.<init>(Ljava/lang/String;I)V",
        "net.dns-lookup-socket-address"), code(after, "newSocketAddress"));
  }

  @Test
  void callsThatMakeAnAddressWithoutALookupAreLeftAsTheyAre() {
    Map<String, String> calls = Map.of(
        "getByAddress", "java/net/InetAddress.getByAddress([B)Ljava/net/InetAddress;",
        "getByAddressWithName", "java/net/InetAddress.getByAddress(Ljava/lang/String;[B)Ljava/net/InetAddress;",
        "getLoopbackAddress", "java/net/InetAddress.getLoopbackAddress()Ljava/net/InetAddress;",
        "getHostAddress", "java/net/InetAddress.getHostAddress()Ljava/lang/String;",
        "createUnresolved", "java/net/InetSocketAddress.createUnresolved(Ljava/lang/String;I)Ljava/net/InetSocketAddress;",
        "newSocketAddressOfAnAddress", "java/net/InetSocketAddress.<init>(Ljava/net/InetAddress;I)V",
        "newWildcardSocketAddress", "java/net/InetSocketAddress.<init>(I)V",
        "getHostString", "java/net/InetSocketAddress.getHostString()Ljava/lang/String;");
    List<Executable> checks = new ArrayList<>();
    calls.forEach((method, call) -> checks.add(() -> {
      assertTrue(code(before, method).contains(call), method + " calls " + call + ": " + code(before, method));
      assertEquals(code(before, method), code(after, method), method);
    }));
    assertAll(checks);
  }
}
