package dev.durable.examples.order;

/**
 * Pretends to do each step and prints a line as it runs, so that a restart shows which steps
 * ran again (none that had finished).
 */
public class OrderActivitiesImpl implements OrderActivities {
  @Override
  public String reserveStock(String orderId) {
    return step(1, "reserveStock", orderId, "stock reserved");
  }

  @Override
  public String chargeCard(String orderId) {
    return step(2, "chargeCard", orderId, "card charged");
  }

  @Override
  public String packItems(String orderId) {
    return step(3, "packItems", orderId, "items packed");
  }

  @Override
  public String shipParcel(String orderId) {
    return step(4, "shipParcel", orderId, "parcel shipped");
  }

  @Override
  public String sendReceipt(String orderId) {
    return step(5, "sendReceipt", orderId, "receipt sent");
  }

  private static String step(int number, String name, String orderId, String outcome) {
    System.out.println("step " + number + "/5 " + name + " for " + orderId);
    return outcome;
  }
}
