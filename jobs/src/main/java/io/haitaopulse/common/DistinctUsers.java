package io.haitaopulse.common;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.WritableMemory;

/**
 * Distinct count of users, given as 64-bit hashes ({@link #hash}): exact up to {@link #limit}
 * users (an open-addressing hash set), and beyond it an Apache DataSketches HLL_8 sketch of
 * 2^{@link #lgK} registers. Mergeable, so per-pane or per-subtask counts combine: the merge of
 * exact sets stays exact while the union fits the limit. "Exact" counts distinct 64-bit hashes:
 * two of a million users share one with probability about 3·10⁻⁸.
 *
 * <p>Beyond the limit {@link #count} is the sketch's composite estimate, whose relative standard
 * error is about 1.04 / sqrt(2^lgK): 1.6 % at the default lgK = {@value #LG_K} and 0.81 % at
 * lgK = 14. It is a function of the registers alone (not of the order users arrived in, unlike the
 * HIP estimate), so replays with the same input give the same estimates however events
 * interleave across subtasks.
 *
 * <p>A Flink POJO (public fields, no-arg constructor), so state needs no Kryo: the sketch lives in
 * {@link #sketch}, the bytes of an updatable HLL_8 image that DataSketches reads and writes in
 * place, so the state always holds the current sketch without a serialisation step per update.
 * Records that carry one across a network exchange may write it with {@link DistinctUsersCodec}
 * instead; a field added here must be added there.
 */
public class DistinctUsers {

    /** Default users kept exactly before switching to the sketch. */
    public static final int EXACT_LIMIT = 64;
    /** Default sketch size: 2^LG_K registers. */
    public static final int LG_K = 12;

    /** Open addressing table of hashes, 0 = empty slot (the hash 0 itself is {@link #hasZero}); null once estimating. */
    public long[] table;

    public boolean hasZero;
    /** Distinct hashes in {@link #table} and {@link #hasZero}; 0 once estimating. */
    public int size;
    /** Users counted exactly; one more switches to the sketch. */
    public int limit;
    /** The sketch's register count is 2^lgK. */
    public int lgK;
    /** Updatable HLL_8 image once past {@link #limit}; null while exact. */
    public byte[] sketch;

    /** The sketch wrapping {@link #sketch}, valid while {@link #wrappedBytes} is that very array. */
    private transient HllSketch wrapped;

    private transient byte[] wrappedBytes;

    /**
     * {@link #count} of the sketch in {@link #estimatedBytes}, or -1: a pane's count is read by every
     * window that holds the pane, and the composite estimate (an interpolation over DataSketches'
     * tables) cost more than the window's other arithmetic on that pane. Cleared by every update
     * through this class; a copy, a deserialised object or a replaced array starts without it.
     */
    private transient long estimate = -1;

    private transient byte[] estimatedBytes;

    /** An empty count exact up to {@value #EXACT_LIMIT} users, then a sketch of 2^{@value #LG_K} registers. */
    public DistinctUsers() {
        this(EXACT_LIMIT, LG_K);
    }

    private DistinctUsers(int limit, int lgK) {
        this.limit = limit;
        this.lgK = lgK;
        this.table = new long[4];
    }

    /**
     * A count with exactly these fields, taken as they are (not copied): for {@link DistinctUsersCodec},
     * which would otherwise allocate a table only to replace it.
     */
    DistinctUsers(long[] table, boolean hasZero, int size, int limit, int lgK, byte[] sketch) {
        this.table = table;
        this.hasZero = hasZero;
        this.size = size;
        this.limit = limit;
        this.lgK = lgK;
        this.sketch = sketch;
    }

    /** An empty count exact up to {@code limit} users, then a sketch of 2^{@code lgK} registers. */
    public static DistinctUsers exactUpTo(int limit, int lgK) {
        return new DistinctUsers(limit, lgK);
    }

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

    /** Adds a user hash; true when it was not counted before (known only while exact: false once estimating). */
    public boolean add(long hash) {
        if (sketch != null) {
            sketch().update(hash);
            estimatedBytes = null;
            return false;
        }
        if (hash == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            grew();
            return true;
        }
        int mask = table.length - 1;
        int i = (int) (mix(hash) & mask);
        while (table[i] != 0) {
            if (table[i] == hash) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = hash;
        grew();
        return true;
    }

    /** Adds every user of {@code other}. */
    public void merge(DistinctUsers other) {
        if (other.sketch == null) {
            long[] t = other.table;
            for (long h : t) {
                if (h != 0) {
                    add(h);
                }
            }
            if (other.hasZero) {
                add(0L);
            }
            return;
        }
        if (sketch == null) {
            toSketch();
        }
        Union union = Union.writableWrap(WritableMemory.writableWrap(sketch));
        union.update(other.sketch());
        // The union wrote the merged registers into this very array; the cached wrapper may hold stale mode fields.
        wrapped = null;
        wrappedBytes = null;
        estimatedBytes = null;
    }

    /** An independent count of the same users: merging into it leaves this one as it is. */
    public DistinctUsers copy() {
        return new DistinctUsers(
                table == null ? null : table.clone(),
                hasZero,
                size,
                limit,
                lgK,
                sketch == null ? null : sketch.clone());
    }

    /** Whether {@link #count} is exact. */
    public boolean isExact() {
        return sketch == null;
    }

    /** Distinct users: exact, or the sketch's composite estimate rounded. */
    public long count() {
        if (sketch == null) {
            return size;
        }
        if (estimatedBytes != sketch) {
            estimate = Math.round(sketch().getCompositeEstimate());
            estimatedBytes = sketch;
        }
        return estimate;
    }

    private HllSketch sketch() {
        if (wrappedBytes != sketch) {
            // A deserialised or copied state object: wrap its bytes once.
            wrapped = HllSketch.writableWrap(WritableMemory.writableWrap(sketch));
            wrappedBytes = sketch;
        }
        return wrapped;
    }

    private void grew() {
        size++;
        if (size > limit) {
            toSketch();
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

    private void toSketch() {
        // Sized for the largest image, so the sketch grows from list to set to registers in place.
        sketch = new byte[HllSketch.getMaxUpdatableSerializationBytes(lgK, TgtHllType.HLL_8)];
        wrapped = new HllSketch(lgK, TgtHllType.HLL_8, WritableMemory.writableWrap(sketch));
        wrappedBytes = sketch;
        for (long h : table) {
            if (h != 0) {
                wrapped.update(h);
            }
        }
        if (hasZero) {
            wrapped.update(0L);
        }
        table = null;
        hasZero = false;
        size = 0;
    }

    /** Slot index mixing: spreads the hashes' low bits over the table. */
    private static long mix(long h) {
        return (h ^ (h >>> 32)) * 0x9E3779B97F4A7C15L >>> 20;
    }
}
