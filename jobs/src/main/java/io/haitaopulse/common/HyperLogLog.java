package io.haitaopulse.common;

/**
 * The HyperLogLog register update and estimate shared by the distinct counters
 * ({@link DistinctUsers}, {@code traffic.UvSketch}): 2^p byte registers indexed by a 64-bit hash's
 * top p bits, each holding the largest rank of the first 1 bit seen in the remaining bits. The
 * estimate is the raw HyperLogLog one, with linear counting while it is at most 2.5 × 2^p and some
 * register is still empty (Flajolet et al. 2007).
 */
public final class HyperLogLog {

    private HyperLogLog() {}

    /** Adds {@code hash} to {@code registers} (length 2^{@code p}). */
    public static void add(byte[] registers, int p, long hash) {
        int index = (int) (hash >>> (64 - p));
        // Rank of the first 1 bit in the remaining 64 - p bits; a sentinel bit bounds it.
        long rest = (hash << p) | (1L << (p - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** The distinct count {@code registers} estimate, rounded. */
    public static long estimate(byte[] registers) {
        int m = registers.length;
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / m);
        double estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0) {
            // Linear counting is more accurate while many registers are still empty.
            estimate = m * Math.log((double) m / zeros);
        }
        return Math.round(estimate);
    }
}
