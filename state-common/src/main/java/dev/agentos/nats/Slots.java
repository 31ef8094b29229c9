package dev.agentos.nats;

import java.util.PriorityQueue;

/**
 * The numbered slots of a {@link WorkFetcher}: each running message holds one, and the lowest free
 * number is taken first, so that slot numbers (which name lease owners) stay small and reused.
 */
final class Slots {
  private final PriorityQueue<Integer> free = new PriorityQueue<>();
  private final int count;
  private boolean woken;

  Slots(int count) {
    this.count = count;
    for (int slot = 1; slot <= count; slot++) {
      free.add(slot);
    }
  }

  /** Waits until a slot is free (or {@link #wake} was called) and says how many are. */
  synchronized int awaitFree() throws InterruptedException {
    while (free.isEmpty() && !woken) {
      wait();
    }
    return free.size();
  }

  /** Takes the lowest free slot; the caller knows that one is free. */
  synchronized int take() {
    Integer slot = free.poll();
    if (slot == null) {
      throw new IllegalStateException("no free slot: more messages came than were asked for");
    }
    return slot;
  }

  synchronized void release(int slot) {
    free.add(slot);
    notifyAll();
  }

  /** Ends every wait for a free slot, for good: the fetcher is stopping. */
  synchronized void wake() {
    woken = true;
    notifyAll();
  }

  synchronized int busy() {
    return count - free.size();
  }
}
