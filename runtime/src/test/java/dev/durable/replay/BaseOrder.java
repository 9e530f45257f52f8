package dev.durable.replay;

/**
 * What every version of the order code in these tests shares, so that each version shows only
 * its {@code run} method: the activity stub and the approval signal.
 */
public abstract class BaseOrder implements Order {
  protected final Shop shop = Shop.stub();
  protected boolean approved;

  @Override
  public void approve() {
    approved = true;
  }
}
