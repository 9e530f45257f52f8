package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.examples.hello.HelloApp;
import dev.durable.examples.order.OrderApp;
import java.nio.file.Path;
import java.util.ArrayList;
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
  void orderAppKilledInThePauseAfterStepTwoGoesOnAndRunsNoRecordedStepAgain() throws Exception {
    Path dataDir = tmp.resolve("order");
    try (ChildJvm first = ChildJvm.start(tmp, "order-killed", OrderApp.class.getName(), dataDir)) {
      first.awaitLine("step 2/5", line -> line.startsWith("step 2/5 "));
      // The workflow prints this line when it has seen chargeCard's result, then sleeps for 2 s.
      // Step 1's result is recorded by now (step 2 was scheduled after it). Step 2's result is
      // written with the start of the pause, a moment after the line: a kill that lands first
      // loses it, and step 2 runs again (activities are at least once).
      first.awaitLine("the pause after step 2", line -> line.equals("order-1 waits 2s before packItems"));
      first.kill();
      assertEquals(List.of("step 1/5 reserveStock for order-1", "step 2/5 chargeCard for order-1"), steps(first));
    }
    try (ChildJvm second = ChildJvm.start(tmp, "order-resumed", OrderApp.class.getName(), dataDir)) {
      assertEquals(0, second.awaitExit(), second.report());
      List<String> out = second.stdoutLines();
      assertEquals("resuming order-1 from its history", out.get(0), second.report());
      List<String> rest = List.of(
          "step 3/5 packItems for order-1",
          "step 4/5 shipParcel for order-1",
          "step 5/5 sendReceipt for order-1");
      List<String> steps = steps(second);
      List<String> withStepTwoAgain = new ArrayList<>();
      withStepTwoAgain.add("step 2/5 chargeCard for order-1");
      withStepTwoAgain.addAll(rest);
      assertTrue(steps.equals(rest) || steps.equals(withStepTwoAgain),
          "step 1 never runs again, the others once each, in order: " + second.report());
      assertEquals("order-1 completed: stock reserved, card charged, items packed, parcel shipped, receipt sent",
          out.get(out.size() - 1), second.report());
    }
    StoredHistories.assertAllValid(dataDir);
  }

  private static List<String> steps(ChildJvm child) {
    return child.stdoutLines().stream().filter(line -> line.startsWith("step ")).toList();
  }
}
