package io.haitaopulse.bench;

import io.haitaopulse.live.Topics;
import java.util.List;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Nexmark Query 5 ("hot items": which auctions have seen the most bids in the last period) as
 * published in nexmark/nexmark v0.2.0, {@code nexmark-flink/.../queries/q5.sql}: HOP windows of
 * 10 s sliding by 2 s, a per-auction count joined with the per-window maximum. Our clicks play
 * the bids: {@code auction} is the item, {@code dateTime} the click's event time. The query text
 * is the published one but for the table and column names.
 */
public final class NexmarkQ5 implements BenchCase {

    /** The query over {@code clicks} (bid → click, auction → item_id, dateTime → rowtime). */
    public static final String QUERY = """
            SELECT AuctionBids.auction, AuctionBids.num
             FROM (
               SELECT
                 item_id AS auction,
                 count(*) AS num,
                 window_start AS starttime,
                 window_end AS endtime
                 FROM TABLE(
                         HOP(TABLE clicks, DESCRIPTOR(rowtime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY item_id, window_start, window_end
             ) AS AuctionBids
             JOIN (
               SELECT
                 max(CountBids.num) AS maxn,
                 CountBids.starttime,
                 CountBids.endtime
               FROM (
                 SELECT
                   count(*) AS num,
                   window_start AS starttime,
                   window_end AS endtime
                 FROM TABLE(
                            HOP(TABLE clicks, DESCRIPTOR(rowtime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY item_id, window_start, window_end
                 ) AS CountBids
               GROUP BY CountBids.starttime, CountBids.endtime
             ) AS MaxBids
             ON AuctionBids.starttime = MaxBids.starttime AND
                AuctionBids.endtime = MaxBids.endtime AND
                AuctionBids.num >= MaxBids.maxn""";

    @Override
    public String name() {
        return "nexmark_q5";
    }

    @Override
    public String description() {
        return "Nexmark Q5 (v0.2.0 SQL, HOP 10 s/2 s, count joined with per-window max), clicks as bids";
    }

    @Override
    public List<Topics.Input<?>> inputs() {
        return List.of(Topics.CLICKS);
    }

    @Override
    public void build(Inputs in, String collectId) {
        StreamTableEnvironment tEnv = FlinkSqlHotItems.clicksTable(in);
        Table result = tEnv.sqlQuery(QUERY);
        Outputs.discard(tEnv.toDataStream(result), "q5");
    }
}
