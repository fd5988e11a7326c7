package io.haitaopulse.bench;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.bots.BotSettings;
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
import io.haitaopulse.sourcing.SourcingSettings;
import io.haitaopulse.trends.TrendSettings;
import io.haitaopulse.trends.TrendsPipeline;
import io.haitaopulse.uplift.UpliftPipeline;
import io.haitaopulse.uplift.UpliftSettings;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The cases that run our own code: the source ceiling, the bot filter and the Pulse jobs, built
 * exactly as {@code bin/pulse run} builds them (dead-letter split, bot filter, lateness routing,
 * the job's operators; hot items alone skips the filter, see {@link #hotItems}), with every table
 * counted and discarded.
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

    /**
     * Our hot items (trends job without demand trends). Without the bot filter: the Flink SQL and
     * classic cases it is compared with have none, and the comparison is of the ranking itself.
     */
    public static BenchCase hotItems() {
        return job(
                "hot_items_pulse",
                "Pulse hot items: pane pre-aggregation, sharded Top-N, global merge",
                List.of(Topics.CLICKS),
                conf -> TrendsPipeline.hotItemsOnly(TrendSettings.from(conf)),
                false);
    }

    /** The bot filter alone behind the source: its cost is this case's distance to the source ceiling. */
    public static BenchCase botFilter() {
        return new BenchCase() {
            @Override
            public String name() {
                return "bot_filter";
            }

            @Override
            public String description() {
                return "in-memory clicks topic, decode, pseudonymise, bot filter (keyed by user), discard";
            }

            @Override
            public List<Topics.Input<?>> inputs() {
                return List.of(Topics.CLICKS);
            }

            @Override
            public void build(Inputs in, String collectId) {
                Ingest.Split split = Ingest.splitDeadLetters(
                        in.sources(List.of(Topics.CLICKS)),
                        new Pseudonymizer(PseudonymKey.generate()),
                        RawRedactor.JSON);
                Outputs.discard(split.deadLetters(), "dead_letters");
                BotFilter.Filtered f = BotFilter.apply(split.events(), BotSettings.from(in.jobConf()));
                Outputs.discard(f.events(), "events");
                Outputs.discard(f.suspicious(), "suspicious_events");
            }
        };
    }

    /** The whole trends job: hot items and demand trends. */
    public static BenchCase trends() {
        return job(
                "trends_pulse",
                "Pulse trends job: hot items + demand trends (clicks and orders)",
                List.of(Topics.CLICKS, Topics.ORDERS),
                conf -> new TrendsPipeline(TrendSettings.from(conf)),
                true);
    }

    /** The trends job without the bot filter: its ratio to {@link #trends} is what the filter costs. */
    public static BenchCase trendsWithoutBotFilter() {
        return job(
                "trends_pulse_no_bots",
                "Pulse trends job as trends_pulse, bot filter off",
                List.of(Topics.CLICKS, Topics.ORDERS),
                conf -> new TrendsPipeline(TrendSettings.from(conf)),
                false);
    }

    /** The uplift job. */
    public static BenchCase uplift() {
        return job(
                "uplift_pulse",
                "Pulse uplift job: scoreboard, DiD, attribution, referral credit, coupon funnel",
                List.of(Topics.CLICKS, Topics.ORDERS, Topics.CAMPAIGNS, Topics.EXPOSURES),
                conf -> new UpliftPipeline(UpliftSettings.from(conf)),
                true);
    }

    /** The sourcing job. */
    public static BenchCase sourcing() {
        return job(
                "sourcing_pulse",
                "Pulse sourcing job: item days, satisfaction, shortlist",
                List.of(Topics.CLICKS, Topics.ORDERS, Topics.REVIEWS),
                conf -> new SourcingPipeline(SourcingSettings.from(conf)),
                true);
    }

    private static BenchCase job(
            String name,
            String description,
            List<Topics.Input<?>> topics,
            Function<Configuration, PulseJob> factory,
            boolean botFilter) {
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
                Ingest.Split split = Ingest.splitDeadLetters(
                        in.sources(topics), new Pseudonymizer(PseudonymKey.generate()), RawRedactor.JSON);
                Outputs.discard(split.deadLetters(), "dead_letters");
                Configuration filterConf = new Configuration(in.jobConf());
                filterConf.set(BotOptions.ENABLED, botFilter);
                // As the jobs run it: every source gathered behind one exchange, filtered or not.
                BotFilter.Filtered f = BotFilter.apply(split.events(), BotSettings.from(filterConf));
                if (f.suspicious() != null) {
                    Outputs.discard(f.suspicious(), "suspicious_events");
                }
                PulseJob job = factory.apply(in.jobConf());
                DataStream<LateEvent> late = job.build(f.events(), f.byUser(), new TableSinks() {
                    @Override
                    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
                        if (collectId != null && table == OutputTable.HOT_ITEMS) {
                            @SuppressWarnings("unchecked")
                            DataStream<HotItem> hot = (DataStream<HotItem>) rows;
                            Outputs.collect(
                                    hot.map(PulseCases::toRow, Outputs.hotRowType())
                                            .name("to-hot-rows"),
                                    collectId);
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
