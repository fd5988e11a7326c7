package io.haitaopulse.traffic;

import io.haitaopulse.common.HyperLogLog;

/**
 * Distinct users of one window: exact (a hash set of 64-bit user hashes) up to {@code limit}
 * users, then a HyperLogLog of 2^{@value #P} registers, standard error 1.04 / sqrt(16384) ≈
 * 0.81 %, with the small-range (linear counting) correction. "Exact" counts distinct 64-bit
 * hashes: two of a million users share a hash with probability about 3·10⁻⁸.
 *
 * <p>A Flink POJO (public fields, no-arg constructor), so state needs no Kryo.
 */
public class UvSketch {

    /** HyperLogLog precision: 2^P registers. */
    public static final int P = 14;
    private static final int M = 1 << P;

    /** Open addressing table of hashes, 0 = empty slot (the hash 0 itself is {@link #hasZero}). */
    public long[] table;
    public boolean hasZero;
    public int size;
    public int limit;
    /** HyperLogLog registers once past {@link #limit}; null while exact. */
    public byte[] registers;

    public UvSketch() {}

    /** An empty sketch exact up to {@code limit} users. */
    public static UvSketch exactUpTo(int limit) {
        UvSketch s = new UvSketch();
        s.limit = limit;
        s.table = new long[16];
        return s;
    }

    /** Adds a user hash. */
    public void add(long hash) {
        if (registers != null) {
            addToRegisters(hash);
            return;
        }
        if (hash == 0) {
            if (!hasZero) {
                hasZero = true;
                grew();
            }
            return;
        }
        int mask = table.length - 1;
        int i = (int) (mix(hash) & mask);
        while (table[i] != 0) {
            if (table[i] == hash) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = hash;
        grew();
    }

    /** Whether {@link #count} is exact. */
    public boolean isExact() {
        return registers == null;
    }

    /** Distinct users: exact, or the HyperLogLog estimate rounded. */
    public long count() {
        if (registers == null) {
            return size;
        }
        return HyperLogLog.estimate(registers);
    }

    private void grew() {
        size++;
        if (size > limit) {
            toRegisters();
        } else if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
    }

    private void rehash(int capacity) {
        long[] old = table;
        table = new long[capacity];
        int mask = capacity - 1;
        for (long h : old) {
            if (h != 0) {
                int i = (int) (mix(h) & mask);
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = h;
            }
        }
    }

    private void toRegisters() {
        registers = new byte[M];
        for (long h : table) {
            if (h != 0) {
                addToRegisters(h);
            }
        }
        if (hasZero) {
            addToRegisters(0L);
        }
        table = null;
        hasZero = false;
        size = 0;
    }

    private void addToRegisters(long hash) {
        HyperLogLog.add(registers, P, hash);
    }

    /** Slot index mixing: the hashes' high bits index HyperLogLog registers, so spread the low ones. */
    private static long mix(long h) {
        return (h ^ (h >>> 32)) * 0x9E3779B97F4A7C15L >>> 20;
    }
}
