package dev.durable.internal.sandbox;

/**
 * Reports determinism violations. {@link #guard} is inlined by the agent into JDK methods (file
 * and socket opening, thread start, ...); {@link #callSite} and {@link #staticWrite} are inserted
 * into rewritten classes. Off workflow threads each costs one thread-local load.
 */
public final class Guards {
  private Guards() {}

  /**
   * Called at the start of a guarded JDK method. The code that made the call is found by walking
   * the stack: JDK frames are skipped, and a passed-through frame (a logging library, a class
   * loader, the runtime) before the first user frame means the call is allowed.
   */
  public static void guard(String ruleId, String api) {
    SandboxState s = SandboxState.current();
    if (s != null && !s.inGuard) {
      report(s, ruleId, api, false, false);
    }
  }

  /** Inserted before a forbidden call in a rewritten class: the caller is the user's code. */
  public static void callSite(String ruleId, String api) {
    SandboxState s = SandboxState.current();
    if (s != null && !s.inGuard) {
      report(s, ruleId, api, true, false);
    }
  }

  /** Inserted before a write to a static field outside a static initializer. */
  public static void staticWrite(String ruleId, String field) {
    SandboxState s = SandboxState.current();
    if (s != null && !s.inGuard) {
      report(s, ruleId, field, true, true);
    }
  }

  private static void report(SandboxState s, String ruleId, String api, boolean direct, boolean staticWrite) {
    if (Sandbox.mode() == Sandbox.Mode.OFF) {
      return;
    }
    // Set first: walking the stack and reporting may load classes or log, which must not re-enter.
    s.inGuard = true;
    try {
      Rule rule = Sandbox.rules().byId(ruleId);
      if (rule != null && s.hooks.replaySemantics() < rule.sinceReplaySemantics()) {
        return; // a run started before the rule: it ran such calls unreported, and replays as it ran
      }
      StackTraceElement[] stack = new Throwable().getStackTrace();
      int user = userFrame(stack, api, direct, s.hooks.replaySemantics());
      if (user < 0) {
        return;
      }
      StackTraceElement[] trimmed = new StackTraceElement[stack.length - user];
      System.arraycopy(stack, user, trimmed, 0, trimmed.length);
      String message = rule == null ? "called a forbidden API" : rule.message();
      String suggestion = rule == null ? "move this call into an activity" : rule.suggestion();
      s.hooks.violation(new Violation(ruleId, api, message, suggestion, trimmed, staticWrite));
    } finally {
      s.inGuard = false;
    }
  }

  /**
   * Returns the index of the frame to blame, or -1 when the call is allowed.
   *
   * @param api the guarded method ("owner.name"), which the guard is called from
   * @param replaySemantics the run's: a guard of a rule that came later does not count as having
   *     decided on a call it encloses
   */
  static int userFrame(StackTraceElement[] stack, String api, boolean direct, int replaySemantics) {
    RuleSet rules = Sandbox.rules();
    boolean guardedFrameSeen = false;
    for (StackTraceElement frame : stack) {
      // Static initialisation runs once per JVM, like class loading, and so does every method it
      // calls. Reporting there would also fail the initializer: the class would be unusable for good.
      if ("<clinit>".equals(frame.getMethodName())) {
        return -1;
      }
    }
    for (int i = 0; i < stack.length; i++) {
      String cls = stack[i].getClassName();
      if (cls.startsWith("dev.durable.internal.sandbox.")) {
        continue;
      }
      if (direct) {
        return i;
      }
      if (!guardedFrameSeen && api != null && isMethod(api, cls, stack[i].getMethodName())) {
        // The guarded method itself when a rules file guards a library's method (a JDK one is
        // skipped below): its caller is blamed, not the library's first line.
        guardedFrameSeen = true;
        continue;
      }
      if (rules.isPassthrough(cls)) {
        return -1;
      }
      if (!isJdk(cls)) {
        return i;
      }
      if (guardedFrameSeen && isGuarded(rules, stack[i], replaySemantics)) {
        // Called by another guarded method (Files.newByteChannel calls its other overload, HttpClient
        // send calls sendAsync): that one's guard already decided on this very call of the user's.
        return -1;
      }
      guardedFrameSeen = true;
    }
    return -1;
  }

  /** Whether {@code api} is "cls.method", without building that string. */
  private static boolean isMethod(String api, String cls, String method) {
    return api.length() == cls.length() + 1 + method.length() && api.startsWith(cls)
        && api.charAt(cls.length()) == '.' && api.endsWith(method);
  }

  /**
   * Whether a JDK frame is a method with a guard that applies to the run. A frame has no
   * descriptor: a method counts as guarded when a guard rule names it, whatever descriptor the rule
   * gives ({@code VirtualThread.start()} calls {@code start(ThreadContainer)}, and both have a guard
   * of their own).
   */
  private static boolean isGuarded(RuleSet rules, StackTraceElement frame, int replaySemantics) {
    return rules.hasGuard(frame.getClassName(), frame.getMethodName(), replaySemantics);
  }

  static boolean isJdk(String cls) {
    return cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
        || cls.startsWith("com.sun.");
  }
}
