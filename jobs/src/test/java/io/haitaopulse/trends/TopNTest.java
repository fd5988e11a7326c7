package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TopN} against a sort of every offer: most views first, ties by smaller item id. */
class TopNTest {

    @Test
    void selectsTheBestOffersInRankOrderWhateverTheirOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            int n = random.nextInt(6);
            TopN top = new TopN(n);
            List<long[]> offers = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                // Few distinct views, so that ties are common; distinct items, as a window offers them.
                long[] offer = {offers.size() * 7L % 101, 1 + random.nextInt(4)};
                offers.add(offer);
                top.offer(offer[0], offer[1]);
            }
            offers.sort(Comparator.<long[]>comparingLong(o -> -o[1]).thenComparingLong(o -> o[0]));
            long[][] expected = offers.subList(0, Math.min(n, offers.size())).toArray(new long[0][]);
            assertThat(top.drainBestFirst()).as("round %d", round).isDeepEqualTo(expected);
            assertThat(top.drainBestFirst()).isEmpty();
        }
    }
}
