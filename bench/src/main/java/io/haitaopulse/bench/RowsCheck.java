package io.haitaopulse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs hot-items cases with their rows collected and compares them: the benchmark only compares
 * speeds of implementations that give the same answer. Rows are compared as the hot_items table
 * holds them, the last row per (window end, scope, rank).
 */
public final class RowsCheck {

    private RowsCheck() {}

    /** What a check found. */
    public record Outcome(int rows, List<String> mismatches) {
        public boolean same() {
            return mismatches.isEmpty();
        }
    }

    /** "a, b, c and d": the names of {@code reference} and {@code others}, for the report. */
    static String names(BenchCase reference, List<BenchCase> others) {
        List<String> all = new ArrayList<>();
        all.add(reference.name());
        others.forEach(c -> all.add(c.name()));
        return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    /** The hot_items table that {@code rows} leave behind, in key order. */
    public static List<HotRow> asTable(List<HotRow> rows) {
        Map<HotRow, HotRow> byKey = new TreeMap<>();
        for (HotRow r : rows) {
            HotRow key = new HotRow(r.windowEnd(), r.scope(), r.rank(), 0, 0);
            byKey.put(key, r);
        }
        return new ArrayList<>(byKey.values());
    }

    /** The table of {@code c} on {@code data}. */
    static List<HotRow> rowsOf(
            BenchRunner runner, BenchCase c, BenchData data, org.apache.flink.configuration.Configuration jobConf)
            throws Exception {
        StreamExecutionEnvironment env = runner.environment();
        String id = "check-" + c.name() + "-" + System.nanoTime();
        c.build(new Inputs(env, data, jobConf), id);
        runner.run(env, c.name() + "-check", data.events(c.inputs()));
        return asTable(Outputs.take(id));
    }

    /** Compares the tables of {@code others} with that of {@code reference}. */
    static Outcome compare(
            BenchRunner runner,
            BenchCase reference,
            List<BenchCase> others,
            BenchData data,
            org.apache.flink.configuration.Configuration jobConf)
            throws Exception {
        List<HotRow> expected = rowsOf(runner, reference, data, jobConf);
        List<String> mismatches = new ArrayList<>();
        for (BenchCase c : others) {
            List<HotRow> actual = rowsOf(runner, c, data, jobConf);
            if (!actual.equals(expected)) {
                mismatches.add(
                        c.name() + " differs from " + reference.name() + ": " + firstDifference(expected, actual));
            }
        }
        return new Outcome(expected.size(), mismatches);
    }

    private static String firstDifference(List<HotRow> expected, List<HotRow> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "row " + i + ": expected " + expected.get(i) + ", got " + actual.get(i);
            }
        }
        return expected.size() + " rows expected, " + actual.size() + " found";
    }
}
