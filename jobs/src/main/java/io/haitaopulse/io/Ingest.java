package io.haitaopulse.io;

import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The shared first stage of every job: pseudonymises user ids, stamps each event with its
 * source's watermark and splits dead letters off each source, chained to the source, so no raw
 * user id leaves the source's task (not in a network buffer, a state, a checkpoint or an output);
 * then gathers every source behind one exchange ({@link #gather}) and, per job, routes events by a
 * {@link LatenessRule} against {@link #judgingWatermark}.
 *
 * <p>Counts are kept as accumulators named by {@link Counters}.
 */
public final class Ingest {

    /** Dead letters split off a source. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Events a job would use but that are later than every result they could change. */
    public static final OutputTag<LateEvent> LATE_EVENTS =
            new OutputTag<>("late-events", new AvroTypeInfo<>(LateEvent.class));

    /** Accumulator names. */
    public static final class Counters {
        /** Non-blank input records read. */
        public static final String READ = "pulse.records-read";
        /** Records dead-lettered. */
        public static final String DEAD = "pulse.dead-lettered";
        /** Events sent to late_events, wholly or partly late (summed over jobs). */
        public static final String LATE = "pulse.late";

        private Counters() {}
    }

    /**
     * One input of a job: its stream, with watermarks assigned at the source, and the role that
     * names its operators (the topic, or the file name). Operator uids are built from the role,
     * never from the input's position, so adding or removing an input keeps every other input's
     * state where a savepoint put it.
     */
    public record Source(String role, DataStream<Ingested> stream) {}

    /** Valid events per source, and the dead letters of all sources. */
    public record Split(List<DataStream<Ingested>> events, DataStream<DeadLetter> deadLetters) {}

    /** What a job consumes: its events, and the ones it found late. */
    public record Routed(DataStream<Ingested> events, DataStream<LateEvent> late) {}

    /**
     * Metric names (operator scope; with the Prometheus reporter they appear as
     * {@code flink_taskmanager_job_task_operator_<name>}).
     */
    public static final class Metrics {
        /** Records read from a source, valid or not. */
        public static final String EVENTS_IN = "pulse_events_in";
        /** Records sent to dead_letters. */
        public static final String DEAD_LETTERED = "pulse_dead_lettered";
        /** Events sent to late_events (per job's route operator). */
        public static final String LATE = "pulse_late";
        /** Wall clock minus the source's watermark, in ms: how far behind real time the results are. */
        public static final String EVENT_TIME_LAG = "pulse_event_time_lag_ms";
        /** Rows committed to PostgreSQL. */
        public static final String ROWS_WRITTEN = "pulse_rows_written";

        private Metrics() {}
    }

    private Ingest() {}

    /**
     * Splits dead letters off every source stream, after replacing the identifiers of events by
     * {@code pseudonyms} and those in dead letters' raw input by {@code redactor}, and stamps each
     * event with its source's watermark ({@link Ingested#getSourceWatermark()}).
     */
    public static Split splitDeadLetters(List<Source> sources, Pseudonymizer pseudonyms, RawRedactor redactor) {
        List<DataStream<Ingested>> events = new ArrayList<>();
        DataStream<DeadLetter> dead = null;
        for (Source source : sources) {
            DataStream<Ingested> in = source.stream();
            SingleOutputStreamOperator<Ingested> valid = in.transform(
                            "keep-watermark-" + source.role(), in.getType(), new WatermarkKeeper<>())
                    .uid("keep-watermark-" + source.role())
                    .setParallelism(in.getParallelism())
                    // The type the exchange after it serializes with, whatever the source declared.
                    .process(new SplitDeadLetters(pseudonyms, redactor, source.role()), IngestedTypeInfo.INSTANCE)
                    .name("split-dead-letters-" + source.role())
                    .uid("split-dead-letters-" + source.role())
                    .setParallelism(in.getParallelism());
            events.add(valid);
            DataStream<DeadLetter> d = valid.getSideOutput(DEAD_LETTERS);
            dead = dead == null ? d : dead.union(d);
        }
        if (dead == null) {
            throw new IllegalArgumentException("a job needs at least one source");
        }
        return new Split(events, dead);
    }

    /**
     * Every source's events as one stream behind a network exchange from every source subtask,
     * so that the operators after it see the watermark of all inputs together: the smallest of
     * the active ones. This is the watermark the jobs' keyed operators see too, so judging
     * lateness here ({@link #route}) against it and against the event's own source watermark
     * means an event a job accepts is never behind any operator it reaches, even when an input
     * was idle and resumes behind the others. The exchange is a rebalance; {@link #gathered}
     * makes any other exchange (the bot filter, keyed by user) one. Events cross it as
     * {@link IngestedTypeInfo}, the type {@link #splitDeadLetters} gives them whatever the source
     * declared.
     */
    public static DataStream<Ingested> gather(List<DataStream<Ingested>> events) {
        DataStream<Ingested> all = union(events);
        return gathered(all.rebalance(), "all-inputs");
    }

    /** Every source's events as one stream, not yet exchanged. */
    public static DataStream<Ingested> union(List<DataStream<Ingested>> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one source");
        }
        DataStream<Ingested> all = events.get(0);
        for (int i = 1; i < events.size(); i++) {
            all = all.union(events.get(i));
        }
        return all;
    }

    /**
     * {@code exchanged}, the output of an exchange from every source subtask, as the gathered
     * stream that jobs route: kept active ({@link StayActive}, uid {@code uid}) so that idleness
     * before the exchange cannot put an operator after it ahead of one of its subtasks. Every
     * job's route chains to it, so the events cross the network once however many jobs read them.
     */
    public static DataStream<Ingested> gathered(DataStream<Ingested> exchanged, String uid) {
        return exchanged.transform(uid, exchanged.getType(), new StayActive<>()).uid(uid);
    }

    /** Routes the events of {@link #gather} by {@code rule} for the job named {@code job}. */
    public static Routed route(DataStream<Ingested> events, LatenessRule rule, String job) {
        // Some jobs key routed events again (by user, by order): through the same serializer.
        SingleOutputStreamOperator<Ingested> routed = events.process(
                        new RouteByLateness(rule), IngestedTypeInfo.INSTANCE)
                .name(job + "-route")
                .uid(job + "-route")
                .setParallelism(events.getParallelism());
        return new Routed(routed, routed.getSideOutput(LATE_EVENTS));
    }

    /**
     * The watermark an event is judged against: the larger of its own source's watermark when it
     * was read and {@code here}, the watermark where it is judged. Without idle inputs the source's
     * is the larger (every input is in the smallest), so which events are late depends only on
     * each input's order; after an idle input resumes behind the others, {@code here} is larger
     * and its events that every downstream operator has passed are reported, not lost.
     */
    public static long judgingWatermark(Ingested event, long here) {
        return Math.max(event.getSourceWatermark(), here);
    }

    /** Pseudonymises, sends dead letters to {@link #DEAD_LETTERS} and counts records. */
    static final class SplitDeadLetters extends ProcessFunction<Ingested, Ingested> {
        private static final long serialVersionUID = 1L;
        private final Pseudonymizer pseudonyms;
        private final RawRedactor redactor;
        /** The source's role, named as the source of dead letters made here from its events. */
        private final String source;

        private transient LongCounter read;
        private transient LongCounter dead;
        private transient Counter readMetric;
        private transient Counter deadMetric;

        SplitDeadLetters(Pseudonymizer pseudonyms, RawRedactor redactor, String source) {
            this.source = source;
            this.pseudonyms = pseudonyms;
            this.redactor = redactor;
        }

        @Override
        public void open(OpenContext openContext) {
            read = getRuntimeContext().getLongCounter(Counters.READ);
            dead = getRuntimeContext().getLongCounter(Counters.DEAD);
            // Accumulators report at the end of a bounded run; metrics report while a live job runs.
            readMetric = getRuntimeContext().getMetricGroup().counter(Metrics.EVENTS_IN);
            deadMetric = getRuntimeContext().getMetricGroup().counter(Metrics.DEAD_LETTERED);
        }

        /**
         * The record boundary of this stage: a redaction that throws still emits its dead letter,
         * with the raw input withheld (it could hold a raw user id) and the failure added to the
         * reason; an event whose pseudonymisation throws becomes a dead letter with its content
         * withheld. Either way the job goes on with the next record.
         */
        @Override
        public void processElement(Ingested value, Context ctx, Collector<Ingested> out) {
            read.add(1L);
            readMetric.inc();
            if (value.getBody() instanceof DeadLetter d) {
                d.setRaw(redactedOrWithheld(d));
                emitDead(d, ctx);
            } else {
                try {
                    pseudonyms.apply(value.getBody());
                } catch (RuntimeException | StackOverflowError e) {
                    // Partly pseudonymised at best: nothing of the event may leave this stage.
                    emitDead(
                            new DeadLetter(
                                    source,
                                    DeadLetters.withheld(
                                            value.getBody().getClass().getSimpleName() + " event"),
                                    DeadLetters.failure("pseudonymisation", e),
                                    Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())),
                            ctx);
                    return;
                }
                value.setSourceWatermark(ctx.timerService().currentWatermark());
                out.collect(value);
            }
        }

        /** {@code d}'s raw with its identifiers pseudonymised, or withheld (and said so) when that fails. */
        private String redactedOrWithheld(DeadLetter d) {
            try {
                return redactor.redact(d.getRaw(), d.getSource(), pseudonyms);
            } catch (RuntimeException | StackOverflowError e) {
                d.setReason(d.getReason() + "; raw withheld: " + DeadLetters.failure("redaction", e));
                return DeadLetters.withheld(d.getRaw().length() + " characters");
            }
        }

        private void emitDead(DeadLetter d, Context ctx) {
            dead.add(1L);
            deadMetric.inc();
            ctx.output(DEAD_LETTERS, d);
        }
    }

    /** Applies a {@link LatenessRule} against {@link #judgingWatermark}. */
    static final class RouteByLateness extends ProcessFunction<Ingested, Ingested> {
        private static final long serialVersionUID = 1L;
        private final LatenessRule rule;
        private transient LongCounter late;
        private transient Counter lateMetric;

        RouteByLateness(LatenessRule rule) {
            this.rule = rule;
        }

        @Override
        public void open(OpenContext openContext) {
            late = getRuntimeContext().getLongCounter(Counters.LATE);
            lateMetric = getRuntimeContext().getMetricGroup().counter(Metrics.LATE);
        }

        @Override
        public void processElement(Ingested value, Context ctx, Collector<Ingested> out) {
            Object body = value.getBody();
            long ts = EventTime.ofBody(body);
            long watermark = judgingWatermark(value, ctx.timerService().currentWatermark());
            switch (rule.judge(body, ts, watermark)) {
                case USE -> out.collect(value);
                case LATE -> reportLate(body, ts, watermark, ctx);
                case PARTIAL -> {
                    reportLate(body, ts, watermark, ctx);
                    out.collect(value);
                }
                case IGNORE -> {}
            }
        }

        private void reportLate(Object body, long ts, long watermark, Context ctx) {
            late.add(1L);
            lateMetric.inc();
            ctx.output(
                    LATE_EVENTS,
                    new LateEvent(body, rule.lateReason(body, ts, watermark), Instant.ofEpochMilli(watermark)));
        }
    }
}
