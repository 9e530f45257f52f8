package dev.durable.it.sandbox;

import java.util.List;
import java.util.function.Supplier;

/**
 * Fifty small types that nothing touches before {@link #touchAll()}: called from workflow code,
 * it loads and initialises them all on the workflow thread. Class loading (which reads class
 * files) and static initialisers (which write static fields) must not be reported.
 */
final class LazyClasses {
  private LazyClasses() {}

  /** Touches every type once and returns the name each one reports. */
  static List<String> touchAll() {
    return List.of(
        C01.name(), C02.name(), C03.name(), C04.name(), C05.name(),
        C06.name(), C07.name(), C08.name(), C09.name(), C10.name(),
        new R11(11).name(), new R12(12).name(), new R13(13).name(), new R14(14).name(), new R15(15).name(),
        new R16(16).name(), new R17(17).name(), new R18(18).name(), new R19(19).name(), new R20(20).name(),
        E21.ONLY.label(), E22.ONLY.label(), E23.ONLY.label(), E24.ONLY.label(), E25.ONLY.label(),
        E26.ONLY.label(), E27.ONLY.label(), E28.ONLY.label(), E29.ONLY.label(), E30.ONLY.label(),
        S31.name(), S32.name(), S33.name(), S34.name(), S35.name(),
        S36.name(), S37.name(), S38.name(), S39.name(), S40.name(),
        I41.name(), I42.name(), I43.name(), I44.name(), I45.name(),
        I46.name(), I47.name(), I48.name(), I49.name(), I50.name());
  }

  static final class C01 { static String name() { return "C01"; } }
  static final class C02 { static String name() { return "C02"; } }
  static final class C03 { static String name() { return "C03"; } }
  static final class C04 { static String name() { return "C04"; } }
  static final class C05 { static String name() { return "C05"; } }
  static final class C06 { static String name() { return "C06"; } }
  static final class C07 { static String name() { return "C07"; } }
  static final class C08 { static String name() { return "C08"; } }
  static final class C09 { static String name() { return "C09"; } }
  static final class C10 { static String name() { return "C10"; } }

  record R11(int n) { String name() { return "R" + n; } }
  record R12(int n) { String name() { return "R" + n; } }
  record R13(int n) { String name() { return "R" + n; } }
  record R14(int n) { String name() { return "R" + n; } }
  record R15(int n) { String name() { return "R" + n; } }
  record R16(int n) { String name() { return "R" + n; } }
  record R17(int n) { String name() { return "R" + n; } }
  record R18(int n) { String name() { return "R" + n; } }
  record R19(int n) { String name() { return "R" + n; } }
  record R20(int n) { String name() { return "R" + n; } }

  enum E21 { ONLY; String label() { return "E21"; } }
  enum E22 { ONLY; String label() { return "E22"; } }
  enum E23 { ONLY; String label() { return "E23"; } }
  enum E24 { ONLY; String label() { return "E24"; } }
  enum E25 { ONLY; String label() { return "E25"; } }
  enum E26 { ONLY; String label() { return "E26"; } }
  enum E27 { ONLY; String label() { return "E27"; } }
  enum E28 { ONLY; String label() { return "E28"; } }
  enum E29 { ONLY; String label() { return "E29"; } }
  enum E30 { ONLY; String label() { return "E30"; } }

  static final class S31 { static String label; static { label = "S31"; } static String name() { return label; } }
  static final class S32 { static String label; static { label = "S32"; } static String name() { return label; } }
  static final class S33 { static String label; static { label = "S33"; } static String name() { return label; } }
  static final class S34 { static String label; static { label = "S34"; } static String name() { return label; } }
  static final class S35 { static String label; static { label = "S35"; } static String name() { return label; } }
  static final class S36 { static String label; static { label = "S36"; } static String name() { return label; } }
  static final class S37 { static String label; static { label = "S37"; } static String name() { return label; } }
  static final class S38 { static String label; static { label = "S38"; } static String name() { return label; } }
  static final class S39 { static String label; static { label = "S39"; } static String name() { return label; } }
  static final class S40 { static String label; static { label = "S40"; } static String name() { return label; } }

  interface I41 { static String name() { Supplier<String> s = () -> "I41"; return s.get(); } }
  interface I42 { static String name() { Supplier<String> s = () -> "I42"; return s.get(); } }
  interface I43 { static String name() { Supplier<String> s = () -> "I43"; return s.get(); } }
  interface I44 { static String name() { Supplier<String> s = () -> "I44"; return s.get(); } }
  interface I45 { static String name() { Supplier<String> s = () -> "I45"; return s.get(); } }
  interface I46 { static String name() { Supplier<String> s = () -> "I46"; return s.get(); } }
  interface I47 { static String name() { Supplier<String> s = () -> "I47"; return s.get(); } }
  interface I48 { static String name() { Supplier<String> s = () -> "I48"; return s.get(); } }
  interface I49 { static String name() { Supplier<String> s = () -> "I49"; return s.get(); } }
  interface I50 { static String name() { Supplier<String> s = () -> "I50"; return s.get(); } }
}
