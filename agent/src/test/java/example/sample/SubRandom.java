package example.sample;

import java.util.Random;

/** A subclass of Random: its super() call is not a new expression, and is reseeded after it returns. */
public final class SubRandom extends Random {
  private static final long serialVersionUID = 1L;

  public SubRandom() {
    super();
  }
}
