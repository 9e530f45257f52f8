package dev.durable.workflow;

/**
 * Functional interfaces for method references to workflow methods, as used by
 * {@code WorkflowClient.start(stub::run, arg)}. {@code FuncN} returns a value, {@code ProcN} does not.
 */
public final class Functions {
  private Functions() {}

  /** A function of 0 arguments returning a value. */
  @FunctionalInterface
  public interface Func<R> {
    /** Applies the function. */
    R apply();
  }

  /** A procedure of 0 arguments. */
  @FunctionalInterface
  public interface Proc {
    /** Calls the procedure. */
    void apply();
  }

  /** A function of 1 argument returning a value. */
  @FunctionalInterface
  public interface Func1<A1, R> {
    /** Applies the function. */
    R apply(A1 a1);
  }

  /** A procedure of 1 argument. */
  @FunctionalInterface
  public interface Proc1<A1> {
    /** Calls the procedure. */
    void apply(A1 a1);
  }

  /** A function of 2 arguments returning a value. */
  @FunctionalInterface
  public interface Func2<A1, A2, R> {
    /** Applies the function. */
    R apply(A1 a1, A2 a2);
  }

  /** A procedure of 2 arguments. */
  @FunctionalInterface
  public interface Proc2<A1, A2> {
    /** Calls the procedure. */
    void apply(A1 a1, A2 a2);
  }

  /** A function of 3 arguments returning a value. */
  @FunctionalInterface
  public interface Func3<A1, A2, A3, R> {
    /** Applies the function. */
    R apply(A1 a1, A2 a2, A3 a3);
  }

  /** A procedure of 3 arguments. */
  @FunctionalInterface
  public interface Proc3<A1, A2, A3> {
    /** Calls the procedure. */
    void apply(A1 a1, A2 a2, A3 a3);
  }

  /** A function of 4 arguments returning a value. */
  @FunctionalInterface
  public interface Func4<A1, A2, A3, A4, R> {
    /** Applies the function. */
    R apply(A1 a1, A2 a2, A3 a3, A4 a4);
  }

  /** A procedure of 4 arguments. */
  @FunctionalInterface
  public interface Proc4<A1, A2, A3, A4> {
    /** Calls the procedure. */
    void apply(A1 a1, A2 a2, A3 a3, A4 a4);
  }

  /** A function of 5 arguments returning a value. */
  @FunctionalInterface
  public interface Func5<A1, A2, A3, A4, A5, R> {
    /** Applies the function. */
    R apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5);
  }

  /** A procedure of 5 arguments. */
  @FunctionalInterface
  public interface Proc5<A1, A2, A3, A4, A5> {
    /** Calls the procedure. */
    void apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5);
  }

  /** A function of 6 arguments returning a value. */
  @FunctionalInterface
  public interface Func6<A1, A2, A3, A4, A5, A6, R> {
    /** Applies the function. */
    R apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6);
  }

  /** A procedure of 6 arguments. */
  @FunctionalInterface
  public interface Proc6<A1, A2, A3, A4, A5, A6> {
    /** Calls the procedure. */
    void apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6);
  }
}
