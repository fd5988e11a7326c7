package io.haitaopulse.trends;

/**
 * Bounded selection of the {@code n} best (item, views) pairs: most views first, ties by smaller
 * item id. Holds at most {@code n} entries, so selecting from m candidates costs O(m log n); a
 * binary heap in two primitive arrays, worst entry at the root, so that an offer allocates nothing
 * and compares without a comparator call (a window firing offers every item with views).
 */
final class TopN {

    private final int n;
    private final long[] items;
    private final long[] views;
    private int size;

    TopN(int n) {
        this.n = n;
        this.items = new long[n];
        this.views = new long[n];
    }

    /** Whether (item a, views va) ranks below (item b, views vb). */
    private static boolean worse(long a, long va, long b, long vb) {
        return va < vb || (va == vb && a > b);
    }

    /** Offers an item with {@code views} > 0. */
    void offer(long item, long itemViews) {
        if (size < n) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(item, itemViews, items[parent], views[parent])) {
                    break;
                }
                items[i] = items[parent];
                views[i] = views[parent];
                i = parent;
            }
            items[i] = item;
            views[i] = itemViews;
        } else if (n > 0 && worse(items[0], views[0], item, itemViews)) {
            siftDownFromRoot(item, itemViews);
        }
    }

    /** Puts (item, views) at the root's place and moves it down to where the heap order holds. */
    private void siftDownFromRoot(long item, long itemViews) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            int right = child + 1;
            if (right < size && worse(items[right], views[right], items[child], views[child])) {
                child = right;
            }
            if (!worse(items[child], views[child], item, itemViews)) {
                break;
            }
            items[i] = items[child];
            views[i] = views[child];
            i = child;
        }
        items[i] = item;
        views[i] = itemViews;
    }

    /** The selected entries, best first, as {@code {item, views}} pairs; empties the selection. */
    long[][] drainBestFirst() {
        long[][] out = new long[size][];
        for (int k = size - 1; k >= 0; k--) {
            out[k] = new long[] {items[0], views[0]};
            size--;
            if (size > 0) {
                siftDownFromRoot(items[size], views[size]);
            }
        }
        return out;
    }
}
