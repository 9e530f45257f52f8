package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the contract program ({@code Contract}, a verbatim copy of the runtime's) in real child
 * JVMs on one data dir, including across a SIGKILL.
 */
class ContractInChildJvmTest {
  private static final String RESULT = "Hello, World! (approved by alice)";

  @TempDir Path tmp;

  @Test
  void contractProgramRunsTwiceOnOneDataDirAndTheSecondRunPrintsTheStoredResult() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (ChildJvm first = ChildJvm.start(tmp, "contract-1", "Contract", dataDir)) {
      assertEquals(0, first.awaitExit(), first.report());
      String out = first.stdoutText();
      assertTrue(out.startsWith("started hello-1 "), first.report());
      assertTrue(out.endsWith(RESULT + "\n"), first.report());
    }
    try (ChildJvm second = ChildJvm.start(tmp, "contract-2", "Contract", dataDir)) {
      assertEquals(0, second.awaitExit(), second.report());
      assertEquals(RESULT + "\n", second.stdoutText(), second.report());
    }
    StoredHistories.assertAllValid(dataDir);
  }

  @Test
  void contractProgramKilledRightAfterStartingFinishesTheSameWorkflowWhenRunAgain() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (ChildJvm first = ChildJvm.start(tmp, "contract-killed", "Contract", dataDir)) {
      first.awaitLine("the started line", line -> line.startsWith("started hello-1 "));
      first.kill();
    }
    try (ChildJvm again = ChildJvm.start(tmp, "contract-again", "Contract", dataDir)) {
      assertEquals(0, again.awaitExit(), again.report());
      // No "started" line: the run found hello-1 in the data dir and waited for it instead.
      assertEquals(RESULT + "\n", again.stdoutText(), again.report());
    }
    StoredHistories.assertAllValid(dataDir);
  }
}
