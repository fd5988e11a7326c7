package io.haitaopulse.common;

import java.util.Arrays;

/**
 * Distinct count of user ids, exact up to {@link #EXACT_LIMIT} users and a HyperLogLog with
 * 2^{@value #P} registers beyond (standard error 1.04 / sqrt(4096) ≈ 1.6 %, with the usual
 * small-range correction). Mergeable, so per-pane sketches combine into window counts: the merge
 * of exact sets stays exact. Users are given as 64-bit hashes ({@link #hash}).
 *
 * <p>A Flink POJO: public fields and a no-arg constructor, so it is serialised without Kryo.
 */
public class DistinctUsers {

    /** Distinct users kept exactly before switching to HyperLogLog. */
    public static final int EXACT_LIMIT = 64;
    /** HyperLogLog precision: 2^P registers. */
    public static final int P = 12;
    private static final int M = 1 << P;

    /** Exact hashes, unsorted; null once switched to {@link #registers}. */
    public long[] exact = new long[4];
    public int size;
    /** HyperLogLog registers; null while exact. */
    public byte[] registers;

    public DistinctUsers() {}

    /** A 64-bit hash of a user id with good avalanche (FNV-1a folded through the SplitMix64 finaliser). */
    public static long hash(String userId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < userId.length(); i++) {
            h ^= userId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    /** Adds a user hash. */
    public void add(long userHash) {
        if (registers != null) {
            addToRegisters(registers, userHash);
            return;
        }
        for (int i = 0; i < size; i++) {
            if (exact[i] == userHash) {
                return;
            }
        }
        if (size == EXACT_LIMIT) {
            toRegisters();
            addToRegisters(registers, userHash);
            return;
        }
        if (size == exact.length) {
            exact = Arrays.copyOf(exact, Math.min(EXACT_LIMIT, size * 2));
        }
        exact[size++] = userHash;
    }

    /** Adds every user of {@code other}. */
    public void merge(DistinctUsers other) {
        if (other.registers == null) {
            for (int i = 0; i < other.size; i++) {
                add(other.exact[i]);
            }
            return;
        }
        if (registers == null) {
            toRegisters();
        }
        for (int i = 0; i < M; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    /** Whether {@link #count} is exact. */
    public boolean isExact() {
        return registers == null;
    }

    /** The number of distinct users: exact, or the HyperLogLog estimate rounded. */
    public long count() {
        if (registers == null) {
            return size;
        }
        return HyperLogLog.estimate(registers);
    }

    private void toRegisters() {
        registers = new byte[M];
        for (int i = 0; i < size; i++) {
            addToRegisters(registers, exact[i]);
        }
        exact = null;
        size = 0;
    }

    private static void addToRegisters(byte[] registers, long hash) {
        HyperLogLog.add(registers, P, hash);
    }
}
