package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.examples.hello.HelloApp;
import dev.durable.examples.order.OrderApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the examples as a user would: each in its own JVM, the order example across a SIGKILL. */
class ExamplesTest {
  @TempDir Path tmp;

  @Test
  void helloAppPrintsHelloWorldAndExitsAndASecondRunPrintsTheStoredResult() throws Exception {
    Path dataDir = tmp.resolve("hello");
    for (int run = 1; run <= 2; run++) {
      try (ChildJvm hello = ChildJvm.start(tmp, "hello-" + run, HelloApp.class.getName(), dataDir)) {
        assertEquals(0, hello.awaitExit(), hello.report());
        assertEquals("Hello, World!\n", hello.stdoutText(), hello.report());
      }
    }
    StoredHistories.assertAllValid(dataDir);
  }

  @Test
  void orderAppKilledAfterStepTwoGoesOnWithStepThreeAndRunsNoFinishedStepAgain() throws Exception {
    Path dataDir = tmp.resolve("order");
    try (ChildJvm first = ChildJvm.start(tmp, "order-killed", OrderApp.class.getName(), dataDir)) {
      first.awaitLine("step 2/5", line -> line.startsWith("step 2/5 "));
      // The workflow prints this line after chargeCard's completion is in the history, and then
      // sleeps for 2 s: a kill now lands in the pause, with steps 1 and 2 recorded as done.
      first.awaitLine("the pause after step 2", line -> line.equals("order-1 waits 2s before packItems"));
      first.kill();
      assertEquals(List.of("step 1/5 reserveStock for order-1", "step 2/5 chargeCard for order-1"), steps(first));
    }
    try (ChildJvm second = ChildJvm.start(tmp, "order-resumed", OrderApp.class.getName(), dataDir)) {
      assertEquals(0, second.awaitExit(), second.report());
      List<String> out = second.stdoutLines();
      assertEquals("resuming order-1 from its history", out.get(0), second.report());
      assertEquals(List.of(
          "step 3/5 packItems for order-1",
          "step 4/5 shipParcel for order-1",
          "step 5/5 sendReceipt for order-1"), steps(second), second.report());
      assertEquals("order-1 completed: stock reserved, card charged, items packed, parcel shipped, receipt sent",
          out.get(out.size() - 1), second.report());
    }
    StoredHistories.assertAllValid(dataDir);
  }

  private static List<String> steps(ChildJvm child) {
    return child.stdoutLines().stream().filter(line -> line.startsWith("step ")).toList();
  }
}
