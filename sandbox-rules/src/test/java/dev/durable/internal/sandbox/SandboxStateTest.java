package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Marking threads: nested marks restore each other, and the count of marked threads comes back to zero. */
class SandboxStateTest {
  @Test
  void nestedMarksRestoreEachOtherAndOtherThreadsStayUnmarked() throws Exception {
    int before = SandboxState.markedThreads();
    FakeHooks outer = new FakeHooks();
    FakeHooks inner = new FakeHooks();
    assertNull(SandboxState.enter(outer));
    assertEquals(before + 1, SandboxState.markedThreads());
    assertSame(outer, SandboxState.enter(inner), "enter returns the marking it replaced");
    assertEquals(before + 1, SandboxState.markedThreads(), "one thread, however deep");
    assertSame(inner, SandboxState.hooks());
    assertNull(CompletableFuture.supplyAsync(SandboxState::hooks).get(), "another thread is not marked");
    SandboxState.restore(outer);
    assertSame(outer, SandboxState.hooks());
    SandboxState.restore(null);
    assertNull(SandboxState.hooks());
    assertEquals(before, SandboxState.markedThreads());
    SandboxState.restore(null);
    assertEquals(before, SandboxState.markedThreads(), "clearing an unmarked thread counts nothing");
    SandboxState.restore(outer);
    assertEquals(before + 1, SandboxState.markedThreads(), "restoring a marking onto a cleared thread counts it");
    SandboxState.restore(null);
    assertEquals(before, SandboxState.markedThreads());
  }
}
