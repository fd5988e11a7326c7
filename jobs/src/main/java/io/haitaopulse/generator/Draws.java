package io.haitaopulse.generator;

import java.util.SplittableRandom;

/**
 * Distributions drawn from a seeded {@link SplittableRandom}. Each takes its generator, so a caller
 * decides which of the simulator's two streams a draw consumes.
 */
final class Draws {

    private Draws() {}

    /** Poisson with {@code mean}: exact (Knuth) up to 30, a rounded normal approximation above. */
    static int poisson(SplittableRandom rnd, double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Failures before the first success of chance {@code p}. */
    static int geometric(SplittableRandom rnd, double p) {
        return (int) Math.floor(Math.log(1 - rnd.nextDouble()) / Math.log(1 - p));
    }

    /** Standard normal. */
    static double gaussian(SplittableRandom rnd) {
        // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian in Java 17).
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Gamma with {@code shape} and scale 1 (Marsaglia-Tsang; below shape 1 boosted by U^(1/shape)). */
    static double gamma(SplittableRandom rnd, double shape) {
        if (shape < 1) {
            double boost = Math.pow(1 - rnd.nextDouble(), 1 / shape);
            return gamma(rnd, shape + 1) * boost;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(rnd);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - rnd.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
