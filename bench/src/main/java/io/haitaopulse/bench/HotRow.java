package io.haitaopulse.bench;

/**
 * One hot-items row in a form every implementation can produce: the window's end (epoch ms), the
 * scope ("all" or a category id), the rank (1 = most views) and the item with its views.
 */
public record HotRow(long windowEnd, String scope, int rank, long item, long views) implements Comparable<HotRow> {

    @Override
    public int compareTo(HotRow o) {
        int c = Long.compare(windowEnd, o.windowEnd);
        if (c == 0) {
            c = scope.compareTo(o.scope);
        }
        return c != 0 ? c : Integer.compare(rank, o.rank);
    }
}
