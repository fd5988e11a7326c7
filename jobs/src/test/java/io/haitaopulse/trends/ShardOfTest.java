package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The global ranking's shards: balanced, and not made of items that share their low bits. */
class ShardOfTest {

    @Test
    void shardsAreBalancedAndMixLowBits() {
        int[] perShard = new int[TrendsPipeline.ALL_SHARDS];
        Set<Long> lowBitsOfShardZero = new HashSet<>();
        // The simulator's ids: category * 100000 + 1 + k.
        for (long category = 101; category <= 110; category++) {
            for (long k = 0; k < 20_000; k++) {
                long item = category * 100_000 + 1 + k;
                int shard = (int) TrendsPipeline.shardOf(item);
                perShard[shard]++;
                if (shard == 0) {
                    lowBitsOfShardZero.add(item & 31);
                }
            }
        }
        for (int n : perShard) {
            assertThat(n).isBetween(200_000 / 32 * 9 / 10, 200_000 / 32 * 11 / 10);
        }
        assertThat(lowBitsOfShardZero).hasSize(32);
        assertThat(TrendsPipeline.shardOf(-5)).isBetween(0L, 31L);
    }
}
