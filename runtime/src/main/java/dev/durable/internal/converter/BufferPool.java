package dev.durable.internal.converter;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import dev.durable.internal.Slots;

/**
 * Jackson's I/O buffers, shared by every thread of the process and taken without a lock.
 *
 * <p>Workflow threads live for one run (or are virtual), so Jackson's default per-thread buffers
 * were allocated anew for most runs; a shared pool lets every thread reuse them. Jackson's own
 * bounded pool is a queue behind one lock, taken twice per encoding, which the engine's threads
 * contended for. This one is {@link Slots}: a set of buffers is taken with one compare-and-set (or
 * made new when none is found), and at most {@value #SLOTS} sets are kept.
 */
final class BufferPool implements RecyclerPool<BufferRecycler> {
  static final int SLOTS = 64;

  private final Slots<BufferRecycler> slots = new Slots<>(SLOTS);

  @Override
  public BufferRecycler acquirePooled() {
    BufferRecycler r = slots.take();
    return r != null ? r : new BufferRecycler();
  }

  @Override
  public void releasePooled(BufferRecycler r) {
    slots.give(r);
  }

  @Override
  public int pooledCount() {
    return slots.count();
  }

  @Override
  public boolean clear() {
    slots.clear();
    return true;
  }
}
