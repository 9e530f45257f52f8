package dev.durable.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded pool of reusable objects, shared by every thread and taken without a lock: a fixed
 * array of slots. A thread starts at a slot picked by its id and looks at a few; it takes an object
 * with one compare-and-set, and gives one back to the first empty slot of a few, or drops it.
 * Threads mostly keep to their own slots, so they rarely meet on one.
 *
 * @param <T> what is pooled; the pool neither makes nor resets objects, its users do
 */
public final class Slots<T> {
  private static final int PROBES = 4;

  private final AtomicReferenceArray<T> slots;
  private final int mask;

  /** A pool of at most {@code size} objects, a power of two of at least {@value #PROBES}. */
  public Slots(int size) {
    if (size < PROBES || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("a pool's size must be a power of two of at least " + PROBES + ", got " + size);
    }
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  /** Takes a pooled object, or returns null when the slots this thread looks at are empty. */
  public T take() {
    int start = start();
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) & mask;
      T t = slots.get(slot);
      if (t != null && slots.compareAndSet(slot, t, null)) {
        return t;
      }
    }
    return null;
  }

  /** Keeps {@code t} for a later {@link #take}, unless the slots this thread looks at are full. */
  public void give(T t) {
    int start = start();
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) & mask;
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, t)) {
        return;
      }
    }
  }

  /** Returns how many objects are kept. */
  public int count() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  /** Drops every kept object. */
  public void clear() {
    for (int i = 0; i < slots.length(); i++) {
      slots.set(i, null);
    }
  }

  /** The first slot a thread looks at: spread by its id. */
  private static int start() {
    long id = Thread.currentThread().getId();
    return (int) (id ^ (id >>> 7)) * PROBES;
  }
}
