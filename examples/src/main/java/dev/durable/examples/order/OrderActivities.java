package dev.durable.examples.order;

import dev.durable.activity.ActivityInterface;

/** The five steps of an order; each returns what it did. */
@ActivityInterface
public interface OrderActivities {
  /** Step 1: reserves the ordered items in the warehouse. */
  String reserveStock(String orderId);

  /** Step 2: charges the customer's card. */
  String chargeCard(String orderId);

  /** Step 3: packs the items. */
  String packItems(String orderId);

  /** Step 4: hands the parcel to the carrier. */
  String shipParcel(String orderId);

  /** Step 5: emails the receipt. */
  String sendReceipt(String orderId);
}
