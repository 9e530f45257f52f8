package dev.durable.it.replay;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The workflow code {@link ChangedCodeChild} deploys, one version per value of its
 * {@code change} property: the original order (charge, wait for approval, reserve), an
 * incompatible reorder, and the same reorder guarded by {@code Workflow.getVersion}.
 */
public final class OrderCode {
  /** The change id of the guarded reorder. */
  public static final String CHANGE = "reserve-first";

  private OrderCode() {}

  /** Returns the implementation for a value of the {@code change} property. */
  static Class<? extends Order> forChange(String change) {
    return switch (change) {
      case "none" -> Original.class;
      case "reorder" -> Reordered.class;
      case "getVersion" -> Guarded.class;
      default -> throw new IllegalArgumentException("change must be none, reorder or getVersion, got '" + change + "'");
    };
  }

  /** The workflow type {@code Order}: every version implements it. */
  @WorkflowInterface
  public interface Order {
    @WorkflowMethod(name = "Order")
    String run(String order);

    @SignalMethod
    void approve();
  }

  /** The activities of an order. */
  @ActivityInterface
  public interface Shop {
    String charge(String order);

    String reserve(String order);
  }

  static final class ShopImpl implements Shop {
    @Override
    public String charge(String order) {
      return "charged " + order + ";";
    }

    @Override
    public String reserve(String order) {
      return "reserved " + order + ";";
    }
  }

  private static Shop shop() {
    return Workflow.newActivityStub(Shop.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  /** The approval signal every version handles alike. */
  abstract static class Approvable implements Order {
    protected boolean approved;

    @Override
    public void approve() {
      approved = true;
    }
  }

  /** change=none: what every run started on. */
  public static final class Original extends Approvable {
    @Override
    public String run(String order) {
      String charged = shop().charge(order);
      Workflow.await(() -> approved);
      return charged + shop().reserve(order);
    }
  }

  /** change=reorder: reserves before charging, unguarded. */
  public static final class Reordered extends Approvable {
    @Override
    public String run(String order) {
      String reserved = shop().reserve(order); // line: reordered
      Workflow.await(() -> approved);
      return shop().charge(order) + reserved;
    }
  }

  /** change=getVersion: the same reorder, for new runs only. */
  public static final class Guarded extends Approvable {
    @Override
    public String run(String order) {
      if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        String charged = shop().charge(order);
        Workflow.await(() -> approved);
        return charged + shop().reserve(order);
      }
      String reserved = shop().reserve(order);
      Workflow.await(() -> approved);
      return shop().charge(order) + reserved;
    }
  }
}
