package io.haitaopulse.bench;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What a case builds on: the environment, the job options (window, slide, Top-N, max delay) and
 * one source per input topic with the Pulse watermark strategy at the source.
 */
public final class Inputs {

    private final StreamExecutionEnvironment env;
    private final BenchData data;
    private final Configuration jobConf;

    Inputs(StreamExecutionEnvironment env, BenchData data, Configuration jobConf) {
        this.env = env;
        this.data = data;
        this.jobConf = jobConf;
    }

    public StreamExecutionEnvironment env() {
        return env;
    }

    /** The pulse.* options of the jobs (window, slide, top, max delay). */
    public Configuration jobConf() {
        return jobConf;
    }

    /** One stream per topic, each read by as many readers as the environment's parallelism. */
    public List<Ingest.Source> sources(List<Topics.Input<?>> topics) {
        Duration maxDelay = jobConf.get(PulseOptions.MAX_DELAY);
        List<Ingest.Source> out = new ArrayList<>();
        for (Topics.Input<?> t : topics) {
            int p = env.getParallelism();
            out.add(new Ingest.Source(
                    t.name(),
                    env.fromSource(
                                    new MemoryTopicSource(data, t, p),
                                    // Bounded and never idle: no idleness, so no reader can get ahead.
                                    PulseWatermarks.strategy(maxDelay, Duration.ZERO),
                                    "memory-" + t.name())
                            .uid("memory-" + t.name())
                            .setParallelism(p)));
        }
        return out;
    }

    /** The one stream of a single topic. */
    public DataStream<Ingested> source(Topics.Input<?> topic) {
        return sources(List.of(topic)).get(0).stream();
    }
}
