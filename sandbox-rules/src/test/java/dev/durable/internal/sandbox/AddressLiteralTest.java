package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Which hosts the DNS shims take as addresses (no lookup, not reported): only what the JDK parses
 * without asking the network. Anything doubtful is a name, and is reported.
 */
class AddressLiteralTest {
  @Test
  void addressesAreLiterals() {
    List<String> literals = List.of("10.0.0.1", "0.0.0.0", "255.255.255.255", "127.0.0.1", "::1", "::",
        "fe80::1", "2001:db8::8a2e:370:7334", "[::1]", "[2001:db8::1]", "::ffff:10.0.0.1", "");
    assertAll(Stream.concat(literals.stream().map(h -> (Executable) () -> assertTrue(Shims.isAddressLiteral(h), h)),
        Stream.of(() -> assertTrue(Shims.isAddressLiteral(null), "null"))));
  }

  @Test
  void namesAndDoubtfulFormsAreNot() {
    List<String> names = List.of("localhost", "durable-test.invalid", "example.com", "1password.com", "10.0.0",
        "10.0.0.1.2", "256.0.0.1", "010.0.0.1", "1.2.3.4.", " 10.0.0.1", "[10.0.0.1]", "fe80::1%eth0", "zz:1",
        ".1.2.3", "١٢٧.0.0.1", "::g");
    assertAll(names.stream().map(h -> (Executable) () -> assertFalse(Shims.isAddressLiteral(h), h)));
  }
}
