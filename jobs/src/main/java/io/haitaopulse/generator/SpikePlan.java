package io.haitaopulse.generator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Demand spikes and always-hot decoys to plant for measuring trend detection: how many spikes,
 * and the multipliers, item size bands, onset shapes and onset phases they are dealt from.
 *
 * <p>Spike {@code k} takes the {@code k}-th combination of the lists, bands varying fastest, then
 * shapes, then multipliers, then phases ({@link #combination}), so a run of {@code bands × shapes}
 * spikes has each pair once. Spikes are spread over distinct categories as long as there are
 * categories left, on distinct items of their band; decoys go on further distinct items. Every
 * planted item, its onset and everything it was dealt are listed in {@code truth.json}.
 *
 * <p>Planting draws from a random generator of its own (seeded from the run's seed), so a run
 * without a plan is byte-identical to what it was before plans existed.
 *
 * @param spikes number of spikes to plant (0 for none)
 * @param multipliers demand multipliers dealt to the spikes (e.g. {@code [4]} or {@code [2, 3, 4, 6, 8]})
 * @param bands item size bands dealt to the spikes
 * @param shapes onset shapes dealt to the spikes
 * @param phases onset phases dealt to the spikes
 * @param firstHoursFrom earliest onset of a {@link Phase#FIRST_HOURS} spike, after the start
 * @param firstHoursTo latest onset of a {@link Phase#FIRST_HOURS} spike, after the start
 * @param day2From earliest onset of a {@link Phase#DAY_2} spike, after the start
 * @param day2To latest onset of a {@link Phase#DAY_2} spike, after the start
 * @param spikeDuration how long a spike lasts before demand returns to normal; zero: to the end
 * @param decoys always-hot decoy items: boosted from the first minute to the end, never changing
 * @param decoyMultiplier demand multiplier of every decoy
 * @param decoyBand size band the decoys are drawn from (before their boost)
 */
public record SpikePlan(
        int spikes,
        List<Double> multipliers,
        List<SizeBand> bands,
        List<Shape> shapes,
        List<Phase> phases,
        Duration firstHoursFrom,
        Duration firstHoursTo,
        Duration day2From,
        Duration day2To,
        Duration spikeDuration,
        int decoys,
        double decoyMultiplier,
        SizeBand decoyBand) {

    /**
     * Item size bands by popularity rank, as shares of the catalogue (the most popular item has
     * rank 0). With 2,000 items: large = ranks 10–29, medium = 30–99, small = 100–299. The ten
     * best-sellers above the large band are left alone: they are the shop's steady top sellers.
     */
    public enum SizeBand {
        SMALL(0.05, 0.15),
        MEDIUM(0.015, 0.05),
        LARGE(0.005, 0.015);

        final double fromShare;
        final double toShare;

        SizeBand(double fromShare, double toShare) {
            this.fromShare = fromShare;
            this.toShare = toShare;
        }

        /** First rank of the band in a catalogue of {@code n} items. */
        int fromRank(int n) {
            return (int) Math.floor(fromShare * n);
        }

        /** Rank after the band's last (at least one rank wide). */
        int toRank(int n) {
            return Math.max(fromRank(n) + 1, (int) Math.floor(toShare * n));
        }

        /** Name in files and options: {@code small}, {@code medium}, {@code large}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The band named {@code label}; {@link IllegalArgumentException} for another name. */
        public static SizeBand parse(String label) {
            for (SizeBand b : values()) {
                if (b.label().equals(label.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown size band '" + label + "'; use small, medium or large");
        }
    }

    /** How demand rises at the onset: at once, or linearly over 10 minutes. */
    public enum Shape {
        STEP,
        RAMP;

        /** Name in files and options: {@code step}, {@code ramp}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The shape named {@code label}; {@link IllegalArgumentException} for another name. */
        public static Shape parse(String label) {
            for (Shape s : values()) {
                if (s.label().equals(label.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown spike shape '" + label + "'; use step or ramp");
        }
    }

    /**
     * When a spike starts: within the first hours of the run (a detector without a day of
     * history), or on the second day (after a full day of it).
     */
    public enum Phase {
        FIRST_HOURS("first-hours"),
        DAY_2("day-2");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** Name in files and options: {@code first-hours}, {@code day-2}. */
        public String label() {
            return label;
        }

        /** The phase named {@code label}; {@link IllegalArgumentException} for another name. */
        public static Phase parse(String label) {
            for (Phase p : values()) {
                if (p.label.equals(label.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown spike phase '" + label + "'; use first-hours or day-2");
        }
    }

    /** What spike {@code k} is dealt. */
    public record Combination(double multiplier, SizeBand band, Shape shape, Phase phase) {}

    /**
     * The plan of scenario {@code trend-eval}: 12 spikes of ×4 on large and medium items, steps and
     * ramps, on day 2 (27–29 h after the start); first-hours onsets 1.5–5 h after the start; spikes
     * last to the end; 10 decoys of medium items at ×8.
     */
    public static SpikePlan trendEval() {
        return new SpikePlan(
                12,
                List.of(4.0),
                List.of(SizeBand.LARGE, SizeBand.MEDIUM),
                List.of(Shape.STEP, Shape.RAMP),
                List.of(Phase.DAY_2),
                Duration.ofMinutes(90),
                Duration.ofHours(5),
                Duration.ofHours(27),
                Duration.ofHours(29),
                Duration.ZERO,
                10,
                8.0,
                SizeBand.MEDIUM);
    }

    /** No spikes and no decoys: what every preset but {@code trend-eval} plants. */
    public static SpikePlan none() {
        return trendEval().withSpikes(0).withDecoys(0, 8.0, SizeBand.MEDIUM);
    }

    /** Whether the plan plants anything. */
    public boolean active() {
        return spikes > 0 || decoys > 0;
    }

    /** The multiplier, band, shape and phase of spike {@code k} (see the class comment). */
    public Combination combination(int k) {
        int b = bands.size();
        int s = shapes.size();
        int m = multipliers.size();
        return new Combination(
                multipliers.get((k / (b * s)) % m),
                bands.get(k % b),
                shapes.get((k / b) % s),
                phases.get((k / (b * s * m)) % phases.size()));
    }

    /**
     * Checks the plan against a run of {@code duration}; throws {@link IllegalArgumentException}
     * naming the option at fault.
     */
    public SpikePlan validate(Duration duration) {
        if (spikes < 0 || decoys < 0) {
            throw new IllegalArgumentException("--spikes and --decoys must not be negative");
        }
        if (multipliers.isEmpty() || bands.isEmpty() || shapes.isEmpty() || phases.isEmpty()) {
            throw new IllegalArgumentException(
                    "--spike-multipliers, --spike-bands, --spike-shapes and --spike-phases need at least one value");
        }
        for (double m : multipliers) {
            if (!(m > 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("--spike-multipliers must be positive, got " + m);
            }
        }
        if (!(decoyMultiplier > 0) || Double.isInfinite(decoyMultiplier)) {
            throw new IllegalArgumentException("--decoy-multiplier must be positive, got " + decoyMultiplier);
        }
        if (spikeDuration.isNegative()) {
            throw new IllegalArgumentException("--spike-duration must not be negative");
        }
        if (spikes > 0) {
            for (Phase p : phases) {
                Duration from = p == Phase.FIRST_HOURS ? firstHoursFrom : day2From;
                Duration to = p == Phase.FIRST_HOURS ? firstHoursTo : day2To;
                String option = p == Phase.FIRST_HOURS ? "--first-hours-onsets" : "--day-2-onsets";
                if (from.isNegative() || to.compareTo(from) < 0) {
                    throw new IllegalArgumentException(option + ": FROM,TO with 0 <= FROM <= TO");
                }
                if (to.compareTo(duration) >= 0) {
                    throw new IllegalArgumentException(option + ": onsets up to " + to + " after the start need a run "
                            + "longer than that (--days); the run lasts " + duration);
                }
            }
        }
        return this;
    }

    /** With {@code n} spikes. */
    public SpikePlan withSpikes(int n) {
        return new SpikePlan(
                n,
                multipliers,
                bands,
                shapes,
                phases,
                firstHoursFrom,
                firstHoursTo,
                day2From,
                day2To,
                spikeDuration,
                decoys,
                decoyMultiplier,
                decoyBand);
    }

    /** With the lists the spikes are dealt from. */
    public SpikePlan withDeal(List<Double> m, List<SizeBand> b, List<Shape> s, List<Phase> p) {
        return new SpikePlan(
                spikes,
                List.copyOf(m),
                List.copyOf(b),
                List.copyOf(s),
                List.copyOf(p),
                firstHoursFrom,
                firstHoursTo,
                day2From,
                day2To,
                spikeDuration,
                decoys,
                decoyMultiplier,
                decoyBand);
    }

    /** With the onset windows of the two phases, as offsets from the start. */
    public SpikePlan withOnsets(Duration fhFrom, Duration fhTo, Duration d2From, Duration d2To) {
        return new SpikePlan(
                spikes,
                multipliers,
                bands,
                shapes,
                phases,
                fhFrom,
                fhTo,
                d2From,
                d2To,
                spikeDuration,
                decoys,
                decoyMultiplier,
                decoyBand);
    }

    /** With spikes lasting {@code d} (zero: to the end of the run). */
    public SpikePlan withSpikeDuration(Duration d) {
        return new SpikePlan(
                spikes,
                multipliers,
                bands,
                shapes,
                phases,
                firstHoursFrom,
                firstHoursTo,
                day2From,
                day2To,
                d,
                decoys,
                decoyMultiplier,
                decoyBand);
    }

    /** With {@code n} decoys of band {@code band} at {@code multiplier}. */
    public SpikePlan withDecoys(int n, double multiplier, SizeBand band) {
        return new SpikePlan(
                spikes,
                multipliers,
                bands,
                shapes,
                phases,
                firstHoursFrom,
                firstHoursTo,
                day2From,
                day2To,
                spikeDuration,
                n,
                multiplier,
                band);
    }
}
