package io.haitaopulse.privacy;

import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * The validated privacy options a job's graph needs. The pseudonymisation key is not here: it is
 * resolved by the client ({@link PseudonymKey#resolve}) and never travels inside settings.
 *
 * @param k segment rows describing fewer distinct users than this are suppressed; at least 1
 */
public record PrivacySettings(int k) implements Serializable {

    /** Reads and checks the options; throws {@link IllegalArgumentException} with one line naming the key. */
    public static PrivacySettings from(Configuration conf) {
        return new PrivacySettings(io.haitaopulse.common.OptionChecks.atLeast(conf, PrivacyOptions.K_ANONYMITY, 1));
    }
}
