package io.haitaopulse.trends;

import java.util.PriorityQueue;

/**
 * Bounded selection of the {@code n} best (item, views) pairs: most views first, ties by smaller
 * item id. Holds at most {@code n} entries, so selecting from m candidates costs O(m log n).
 */
final class TopN {

    private final int n;
    /** Worst entry on top: fewest views, then largest item id. */
    private final PriorityQueue<long[]> heap;

    TopN(int n) {
        this.n = n;
        this.heap = new PriorityQueue<>(
                n + 1, (a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(b[0], a[0]));
    }

    /** Offers an item with {@code views} > 0. */
    void offer(long item, long views) {
        if (heap.size() < n) {
            heap.add(new long[] {item, views});
            return;
        }
        long[] worst = heap.peek();
        if (views > worst[1] || (views == worst[1] && item < worst[0])) {
            heap.poll();
            heap.add(new long[] {item, views});
        }
    }

    /** The selected entries, best first, as {@code {item, views}} pairs; empties the selection. */
    long[][] drainBestFirst() {
        long[][] out = new long[heap.size()][];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }
}
