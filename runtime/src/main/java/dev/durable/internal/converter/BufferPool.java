package dev.durable.internal.converter;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Jackson's I/O buffers, shared by every thread of the process and taken without a lock.
 *
 * <p>Workflow threads live for one run (or are virtual), so Jackson's default per-thread buffers
 * were allocated anew for most runs; a shared pool lets every thread reuse them. Jackson's own
 * bounded pool is a queue behind one lock, taken twice per encoding, which the engine's threads
 * contended for. This one is a fixed array of slots: a thread starts at a slot picked by its id,
 * looks at a few slots, and takes a set of buffers with one compare-and-set (or makes a new set
 * when it found none); it returns the set to the first empty slot of a few, or drops it. At most
 * {@value #SLOTS} sets are kept.
 */
final class BufferPool implements RecyclerPool<BufferRecycler> {
  static final int SLOTS = 64;
  private static final int PROBES = 4;

  private final AtomicReferenceArray<BufferRecycler> slots = new AtomicReferenceArray<>(SLOTS);

  @Override
  public BufferRecycler acquirePooled() {
    int start = start();
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) & (SLOTS - 1);
      BufferRecycler r = slots.get(slot);
      if (r != null && slots.compareAndSet(slot, r, null)) {
        return r;
      }
    }
    return new BufferRecycler();
  }

  @Override
  public void releasePooled(BufferRecycler r) {
    int start = start();
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) & (SLOTS - 1);
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, r)) {
        return;
      }
    }
  }

  @Override
  public int pooledCount() {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean clear() {
    for (int i = 0; i < SLOTS; i++) {
      slots.set(i, null);
    }
    return true;
  }

  /** The first slot a thread looks at: spread by its id, so that threads mostly keep to their own. */
  private static int start() {
    long id = Thread.currentThread().getId();
    return (int) (id ^ (id >>> 7)) * PROBES;
  }
}
