package io.haitaopulse.privacy;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;

/**
 * Options of the privacy layer: where the pseudonymisation key comes from and the k of
 * k-anonymous segment outputs. The key itself never has a default and never lives in the
 * repository; {@link PseudonymKey#resolve} documents the order in which sources are tried.
 */
public final class PrivacyOptions {

    /** Environment variable holding the key as base64 (at least 16 bytes; 32 recommended). */
    public static final String KEY_ENV = "PULSE_PSEUDONYM_KEY";

    public static final ConfigOption<String> KEY_FILE = key("pulse.privacy.key-file")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "File holding the pseudonymisation key as base64 text (e.g. `head -c 32 /dev/urandom | base64`). "
                            + "Read by the client that builds the job; overrides " + KEY_ENV + ".");

    /**
     * The key inline, base64. Flink masks options whose name contains "secret" in logs and the web
     * UI; meant for secret managers that inject configuration and for tests, not for files in git.
     */
    public static final ConfigOption<String> PSEUDONYM_SECRET = key("pulse.privacy.pseudonym-secret")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "The pseudonymisation key inline (base64); prefer pulse.privacy.key-file or " + KEY_ENV + ".");

    public static final ConfigOption<Integer> K_ANONYMITY = key("pulse.privacy.k")
            .intType()
            .defaultValue(10)
            .withDescription("Segment-level rows (per channel, arm, region, device …) describing fewer distinct users "
                    + "than this are suppressed (counted in the run's summary). At least 1; 1 suppresses nothing.");

    private PrivacyOptions() {}
}
