package io.haitaopulse.bench;

import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.sourcing.SourcingPipeline;
import io.haitaopulse.trends.TrendsPipeline;
import io.haitaopulse.uplift.UpliftPipeline;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The cases that run our own code: the source ceiling and the Pulse jobs, built exactly as
 * {@code bin/pulse run} builds them (dead-letter split, lateness routing, the job's operators),
 * with every table counted and discarded.
 */
public final class PulseCases {

    private PulseCases() {}

    /** Source and Kafka-format decoding only: the upper bound of every other case. */
    public static BenchCase sourceCeiling() {
        return new BenchCase() {
            @Override
            public String name() {
                return "source_ceiling";
            }

            @Override
            public String description() {
                return "in-memory clicks topic, Avro decode + validation, discard";
            }

            @Override
            public List<Topics.Input<?>> inputs() {
                return List.of(Topics.CLICKS);
            }

            @Override
            public void build(Inputs in, String collectId) {
                Outputs.discard(in.source(Topics.CLICKS), "events");
            }
        };
    }

    /** Our hot items (trends job without demand trends). */
    public static BenchCase hotItems() {
        return job("hot_items_pulse", "Pulse hot items: pane pre-aggregation, sharded Top-N, global merge",
                List.of(Topics.CLICKS), TrendsPipeline::hotItemsOnly);
    }

    /** The whole trends job: hot items and demand trends. */
    public static BenchCase trends() {
        return job("trends_pulse", "Pulse trends job: hot items + demand trends (clicks and orders)",
                List.of(Topics.CLICKS, Topics.ORDERS), TrendsPipeline::new);
    }

    /** The uplift job. */
    public static BenchCase uplift() {
        return job("uplift_pulse", "Pulse uplift job: scoreboard, DiD, attribution, referral credit, coupon funnel",
                List.of(Topics.CLICKS, Topics.ORDERS, Topics.CAMPAIGNS, Topics.EXPOSURES), UpliftPipeline::new);
    }

    /** The sourcing job. */
    public static BenchCase sourcing() {
        return job("sourcing_pulse", "Pulse sourcing job: item days, satisfaction, shortlist",
                List.of(Topics.CLICKS, Topics.ORDERS, Topics.REVIEWS), SourcingPipeline::new);
    }

    private static BenchCase job(String name, String description, List<Topics.Input<?>> topics,
            Function<Configuration, PulseJob> factory) {
        return new BenchCase() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public List<Topics.Input<?>> inputs() {
                return topics;
            }

            @Override
            public void build(Inputs in, String collectId) {
                // Pseudonymisation is part of every job's ingest, so it is part of what is measured.
                Ingest.Split split = Ingest.splitDeadLetters(in.sources(topics), new Pseudonymizer(PseudonymKey.generate()),
                        RawRedactor.JSON);
                Outputs.discard(split.deadLetters(), "dead_letters");
                PulseJob job = factory.apply(in.jobConf());
                DataStream<LateEvent> late = job.build(split.events(), new TableSinks() {
                    @Override
                    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
                        if (collectId != null && table == OutputTable.HOT_ITEMS) {
                            @SuppressWarnings("unchecked")
                            DataStream<HotItem> hot = (DataStream<HotItem>) rows;
                            Outputs.collect(hot.map(PulseCases::toRow, Outputs.hotRowType()).name("to-hot-rows"), collectId);
                        } else {
                            Outputs.discard(rows, table.name());
                        }
                    }
                });
                Outputs.discard(late, "late_events");
            }
        };
    }

    private static HotRow toRow(HotItem h) {
        return new HotRow(h.getWindowEnd().toEpochMilli(), h.getScope(), h.getRank(), h.getItemId(), h.getViews());
    }
}
