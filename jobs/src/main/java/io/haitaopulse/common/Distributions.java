package io.haitaopulse.common;

/**
 * Tail probabilities needed by the statistics, to about 1e-14 relative accuracy: the
 * regularised upper incomplete gamma function (series below {@code a + 1}, Lentz's continued
 * fraction above), from which the chi-square survival function follows.
 */
public final class Distributions {

    private static final int MAX_ITERATIONS = 10_000;
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;

    private Distributions() {}

    /** P(X > x) for X chi-square distributed with {@code df} degrees of freedom. */
    public static double chiSquareSurvival(double x, int df) {
        if (x <= 0) {
            return 1.0;
        }
        return upperRegularizedGamma(df / 2.0, x / 2.0);
    }

    /** Q(a, x) = Γ(a, x) / Γ(a). */
    public static double upperRegularizedGamma(double a, double x) {
        if (x <= 0) {
            return 1.0;
        }
        double logPrefactor = -x + a * Math.log(x) - logGamma(a);
        if (x < a + 1) {
            // Series for P(a, x), then Q = 1 - P.
            double term = 1.0 / a;
            double sum = term;
            for (int n = 1; n < MAX_ITERATIONS; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * EPS) {
                    break;
                }
            }
            return 1.0 - sum * Math.exp(logPrefactor);
        }
        // Continued fraction for Q(a, x), modified Lentz.
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return Math.exp(logPrefactor) * h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
    public static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        x -= 1;
        double sum = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            sum += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
