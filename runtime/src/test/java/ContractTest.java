import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractTest {
  @TempDir Path dir;

  private String runContract() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Contract.main(new String[] {dir.resolve("data").toString()});
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void contractProgramRunsTwiceOnOneDataDirAndTheSecondRunPrintsTheStoredResult() throws Exception {
    String first = runContract();
    assertTrue(first.startsWith("started hello-1 "), first);
    assertTrue(first.endsWith("Hello, World! (approved by alice)\n"), first);
    String second = runContract();
    assertEquals("Hello, World! (approved by alice)\n", second);
  }
}
