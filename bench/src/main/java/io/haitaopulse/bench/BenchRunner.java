package io.haitaopulse.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;

/**
 * Runs cases one after the other on one MiniCluster in this JVM (one TaskManager, one slot per
 * parallel subtask), so that every case gets the same machine, JIT and heap. A case's time is its
 * job's time from RUNNING to FINISHED (planning excluded, deployment included); its CPU time is
 * this process's (every thread: tasks, garbage collection, JIT, the samplers) from submission to
 * the job's result; peak heap is sampled every 10 ms after a GC; state size is the largest
 * completed checkpoint.
 */
final class BenchRunner implements AutoCloseable {

    private final MiniCluster cluster;
    private final Configuration conf;
    private final int parallelism;
    private final java.nio.file.Path checkpoints;

    /** What one run measured. */
    record Measured(
            long events,
            double seconds,
            double cpuSeconds,
            double jitSeconds,
            long rows,
            long peakHeapBytes,
            long peakStateBytes,
            BenchReport.Phases phases) {}

    BenchRunner(int parallelism, Duration checkpointInterval, boolean objectReuse) throws Exception {
        this.parallelism = parallelism;
        conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, objectReuse);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // Filesystem storage: the JobManager's in-memory storage refuses states above 5 MB.
        checkpoints = java.nio.file.Files.createTempDirectory("pulse-bench-checkpoints");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("128m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128m"));
        conf.set(RestOptions.BIND_PORT, "0");
        // A failing case must fail the run, not restart forever (the default once checkpointing is on).
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // Slots are asked for and granted at once. By default the JobMaster gathers slot requests for
        // 20 ms and the resource manager checks requirements after 50 ms: batching meant for large
        // clusters, which left every case's tasks idle for about 70 ms after its job started (12 %
        // of a one-second case; measured by the start-up column, docs/development/benchmarks.md).
        conf.set(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL, Duration.ZERO);
        conf.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ZERO);
        conf.set(ResourceManagerOptions.DECLARE_NEEDED_RESOURCE_DELAY, Duration.ZERO);
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        cluster.start();
    }

    /**
     * A fresh environment with the cluster's configuration, for one in-memory case's graph. Tasks
     * end as soon as their input does: with checkpoints after finished tasks (Flink's default)
     * a bounded job waits for one more checkpoint before it ends, up to a whole interval that
     * would count as the case's time.
     */
    StreamExecutionEnvironment environment() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        return environment(c);
    }

    /** A fresh environment with {@code extra} overlaid by the cluster's configuration (same for every case). */
    StreamExecutionEnvironment environment(Configuration extra) {
        Configuration c = new Configuration(extra);
        c.addAll(conf);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(c);
        env.setParallelism(parallelism);
        return env;
    }

    /** Submits the graph of {@code env}, waits for it to finish and measures it. */
    Measured run(StreamExecutionEnvironment env, String name, long events) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        long cpuStart = processCpuNanos();
        long jitStart = jitMillis();
        JobID id;
        JobResult result;
        try {
            id = cluster.submitJob(graph).get().getJobID();
            result = cluster.requestJobResult(id).get();
        } finally {
            heap.stop();
        }
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        double jitSeconds = (jitMillis() - jitStart) / 1e3;
        if (!result.isSuccess()) {
            Throwable t = result.getSerializedThrowable()
                    .map(s -> s.deserializeError(getClass().getClassLoader()))
                    .orElse(null);
            throw new IllegalStateException("case " + name + " failed: " + (t == null ? "unknown" : t), t);
        }
        ArchivedExecutionGraph g = cluster.getArchivedExecutionGraph(id).get();
        long start = g.getStatusTimestamp(JobStatus.RUNNING);
        long end = g.getStatusTimestamp(JobStatus.FINISHED);
        BenchReport.Phases phases = phases(g, start, end);
        CompletedCheckpointStatsSummarySnapshot cps =
                g.getCheckpointStatsSnapshot().getSummaryStats();
        long checkpoints = g.getCheckpointStatsSnapshot().getCounts().getNumberOfCompletedCheckpoints();
        long state = checkpoints == 0 ? -1 : cps.getStateSizeStats().getMaximum();
        return new Measured(
                events,
                (end - start) / 1000.0,
                cpuSeconds,
                jitSeconds,
                counter(result, Outputs.ROWS),
                heap.peak(),
                state,
                phases);
    }

    /**
     * The start-up and the tail of a finished job ({@link #phases(long, long, long, long)}) from its
     * tasks' state timestamps: the last task to reach RUNNING, and the last source task to finish
     * (a source vertex's name starts with {@code "Source: "}, as Flink names every source chain).
     */
    private static BenchReport.Phases phases(ArchivedExecutionGraph g, long start, long end) {
        long lastRunning = start;
        long lastSourceFinished = Long.MIN_VALUE;
        for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
            AccessExecution attempt = v.getCurrentExecutionAttempt();
            lastRunning = Math.max(lastRunning, attempt.getStateTimestamp(ExecutionState.RUNNING));
            if (v.getTaskNameWithSubtaskIndex().startsWith("Source: ")) {
                lastSourceFinished = Math.max(lastSourceFinished, attempt.getStateTimestamp(ExecutionState.FINISHED));
            }
        }
        return phases(start, end, lastRunning, lastSourceFinished);
    }

    /**
     * The job's time split at its edges, from timestamps in ms: {@code startup}, from the job's
     * RUNNING to the last task's RUNNING (deployment and initialisation, before which some input
     * cannot move), and {@code afterSources}, from the last source task's end to the job's end
     * (what was buffered, and whatever the final watermark fires); null without a source.
     */
    static BenchReport.Phases phases(long jobRunning, long jobFinished, long lastTaskRunning, long lastSourceFinished) {
        if (lastSourceFinished == Long.MIN_VALUE) {
            return null;
        }
        return new BenchReport.Phases(
                (lastTaskRunning - jobRunning) / 1000.0, Math.max(0, jobFinished - lastSourceFinished) / 1000.0);
    }

    /**
     * CPU time the JIT compilers have used so far, all compiler threads, in ms; where there is no
     * {@code /proc}, the compilation MXBean's elapsed compile time (0 where the JVM does not
     * monitor it), which counts a compiler's waits for a busy core too. A case that still compiles
     * much while it runs is measured before its code is steady.
     */
    static long jitMillis() {
        Double cpu = ProcessCpu.compilerSeconds();
        if (cpu != null) {
            return Math.round(cpu * 1000);
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0L;
    }

    /**
     * CPU time of this process so far, all threads: what a case costs in CPU beside how long it
     * took (a case that waits costs less than its time says, one that keeps the JIT busy more).
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Submits the graph of {@code env} and returns at once (for unbounded jobs). */
    JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        return cluster.submitJob(graph).get().getJobID();
    }

    /** Cancels job {@code id} and waits until it has ended. */
    void cancel(JobID id) throws Exception {
        cluster.cancelJob(id).get();
        cluster.requestJobResult(id).get();
    }

    private long counter(JobResult result, String name) throws Exception {
        Map<String, SerializedValue<OptionalFailure<Object>>> acc = result.getAccumulatorResults();
        SerializedValue<OptionalFailure<Object>> v = acc.get(name);
        if (v == null) {
            return 0;
        }
        Object o = Optional.ofNullable(v.deserializeValue(getClass().getClassLoader()))
                .map(OptionalFailure::getUnchecked)
                .orElse(0L);
        return ((Number) o).longValue();
    }

    int parallelism() {
        return parallelism;
    }

    @Override
    public void close() {
        try {
            cluster.close();
            org.apache.commons.io.file.PathUtils.deleteDirectory(checkpoints);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the benchmark's MiniCluster", e);
        }
    }

    /** Samples used heap every 10 ms on a daemon thread; keeps the maximum. */
    private static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::loop, "bench-heap-sampler");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }

        long peak() {
            return peak.get();
        }
    }
}
