package dev.durable.replay;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.Workflow;
import java.time.Duration;

/** The activities of the order workflows in these tests. Each returns a short note of what it did. */
@ActivityInterface
public interface Shop {
  String charge(String order);

  String reserve(String order);

  String ship(String order);

  String chargeCard(String order);

  String checkFraud(String order);

  String newReference(String order);

  String notifyCustomer(String order);

  /** A stub for workflow code, with the options every order uses. */
  static Shop stub() {
    return stub(Duration.ofSeconds(10));
  }

  /** A stub whose activities have another start-to-close timeout. */
  static Shop stub(Duration startToClose) {
    return Workflow.newActivityStub(Shop.class, ActivityOptions.newBuilder().setStartToCloseTimeout(startToClose).build());
  }

  /** The implementation workers run; replay never calls it. */
  final class Impl implements Shop {
    @Override
    public String charge(String order) {
      return "charged " + order + ";";
    }

    @Override
    public String reserve(String order) {
      return "reserved " + order + ";";
    }

    @Override
    public String ship(String order) {
      return "shipped " + order + ";";
    }

    @Override
    public String chargeCard(String order) {
      return "charged card for " + order + ";";
    }

    @Override
    public String checkFraud(String order) {
      return "checked " + order + ";";
    }

    @Override
    public String newReference(String order) {
      return "ref-" + order;
    }

    @Override
    public String notifyCustomer(String order) {
      return "notified " + order + ";";
    }
  }
}
