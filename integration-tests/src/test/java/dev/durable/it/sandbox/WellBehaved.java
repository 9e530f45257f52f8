package dev.durable.it.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import org.slf4j.LoggerFactory;

/**
 * Workflow code that does nothing wrong, though it touches much of what the JVM does behind the
 * scenes: logging through JUL and through slf4j with logback (whose first use binds and
 * configures logback here, on the workflow thread), Jackson on a record, fifty classes loaded
 * lazily, string concatenation, {@code String.format}, streams and lambdas, a JDK security
 * provider loaded from a platform module, and a line printed to an already-open stream. None of
 * it may be reported. The argument goes into the log lines, so the test can find them.
 */
public class WellBehaved implements StringWorkflow {
  /** A value Jackson writes and reads back. */
  public record Order(String id, List<String> items, int quantity) {}

  @Override
  public String run(String tag) {
    Logger.getLogger("durable.it.jul").info("JUL from a workflow " + tag);
    LoggerFactory.getLogger(WellBehaved.class).info("slf4j from a workflow {}", tag);

    Order order;
    String json;
    try {
      ObjectMapper mapper = new ObjectMapper();
      json = mapper.writeValueAsString(new Order("o-1", List.of("pear", "apple"), 3));
      order = mapper.readValue(json, Order.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }

    List<String> loaded = LazyClasses.touchAll();

    String concatenated = "order " + order.id() + " has " + order.items().size() + " items";
    String formatted = String.format("%s x%d (%.1f%%)", order.id(), order.quantity(), 12.5);
    StringBuilder built = new StringBuilder();
    for (String item : order.items()) {
      built.append(item.charAt(0)).append(item.length());
    }
    Function<String, String> shout = s -> s.toUpperCase() + "!";
    String streamed = order.items().stream().sorted().map(shout).collect(Collectors.joining(","));

    String mechanism = XMLSignatureFactory.getInstance("DOM").getMechanismType();
    System.err.println("to an already-open stream " + tag);

    return String.join(" | ", json, loaded.size() + " classes", concatenated, formatted, built, streamed, mechanism);
  }
}
