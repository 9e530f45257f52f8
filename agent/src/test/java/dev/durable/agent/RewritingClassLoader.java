package dev.durable.agent;

/**
 * Loads the sample classes ({@code example.sample.*}) child-first from their rewritten bytes, the
 * way the agent would have transformed them; everything else (the JDK, the shims) comes from the
 * parent. Defining them makes the JVM verify the rewritten code.
 */
final class RewritingClassLoader extends ClassLoader {
  private static final String SAMPLES = "example.sample.";
  private final CallSiteRewriter rewriter;

  RewritingClassLoader(CallSiteRewriter rewriter) {
    super(RewritingClassLoader.class.getClassLoader());
    this.rewriter = rewriter;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(SAMPLES)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] original = Bytecode.original(name);
        byte[] rewritten = rewriter.rewrite(original);
        byte[] bytes = rewritten == null ? original : rewritten;
        c = defineClass(name, bytes, 0, bytes.length);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }
}
