package io.haitaopulse.uplift;

import java.util.Arrays;

/** PAID GMV per category in one slot, categories sorted. A Flink POJO. */
public class SlotGmv {
    public long[] categories = new long[4];
    public long[] cents = new long[4];
    public int size;

    public SlotGmv() {}

    void add(long category, long value) {
        int i = Arrays.binarySearch(categories, 0, size, category);
        if (i >= 0) {
            cents[i] += value;
            return;
        }
        i = -i - 1;
        if (size == categories.length) {
            categories = Arrays.copyOf(categories, size * 2);
            cents = Arrays.copyOf(cents, size * 2);
        }
        System.arraycopy(categories, i, categories, i + 1, size - i);
        System.arraycopy(cents, i, cents, i + 1, size - i);
        categories[i] = category;
        cents[i] = value;
        size++;
    }

    /** GMV of {@code targets} (sorted) in element 0, of every other category in element 1. */
    long[] split(long[] targets) {
        long treated = 0;
        long control = 0;
        for (int i = 0; i < size; i++) {
            if (Arrays.binarySearch(targets, categories[i]) >= 0) {
                treated += cents[i];
            } else {
                control += cents[i];
            }
        }
        return new long[] {treated, control};
    }
}
