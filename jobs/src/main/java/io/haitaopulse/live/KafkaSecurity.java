package io.haitaopulse.live;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;

/**
 * How a Pulse Kafka client authenticates: nothing (the local stack's default) or SASL/SCRAM, in
 * clear or over TLS. One value serves every client of a job (sources, sinks, topic set-up) and
 * the demo's producer, so they cannot disagree.
 *
 * @param protocol Kafka's {@code security.protocol}
 * @param mechanism the SCRAM mechanism, for SASL protocols
 * @param username the SCRAM user, for SASL protocols
 * @param password the SCRAM password, for SASL protocols
 */
public record KafkaSecurity(Protocol protocol, String mechanism, String username, String password)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Environment variable holding the SCRAM password. */
    public static final String PASSWORD_ENV = "PULSE_KAFKA_PASSWORD";

    /** Kafka's {@code security.protocol} values that Pulse supports. */
    public enum Protocol {
        PLAINTEXT,
        SASL_PLAINTEXT,
        SASL_SSL
    }

    /** No authentication. */
    public static final KafkaSecurity NONE = new KafkaSecurity(Protocol.PLAINTEXT, null, null, null);

    public KafkaSecurity {
        if (protocol != Protocol.PLAINTEXT) {
            if (!"SCRAM-SHA-512".equals(mechanism) && !"SCRAM-SHA-256".equals(mechanism)) {
                throw new IllegalArgumentException(
                        "pulse.kafka.sasl-mechanism must be SCRAM-SHA-512 or SCRAM-SHA-256, got '" + mechanism + "'");
            }
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException(
                        "pulse.kafka.security-protocol " + protocol + " needs pulse.kafka.sasl-username");
            }
            if (password == null) {
                throw new IllegalArgumentException("pulse.kafka.security-protocol " + protocol
                        + " needs a password: set " + PASSWORD_ENV + " (or pulse.kafka.sasl-password)");
            }
        }
    }

    /** SCRAM over plain TCP as {@code username}: the local stack's secured mode. */
    public static KafkaSecurity scram(String username, String password) {
        return new KafkaSecurity(Protocol.SASL_PLAINTEXT, "SCRAM-SHA-512", username, password);
    }

    /** The security {@code conf} asks for; the password from the option, else {@code env}. */
    public static KafkaSecurity of(Configuration conf, Map<String, String> env) {
        Protocol protocol = conf.get(LiveOptions.SECURITY_PROTOCOL);
        if (protocol == Protocol.PLAINTEXT) {
            return NONE;
        }
        return new KafkaSecurity(
                protocol,
                conf.get(LiveOptions.SASL_MECHANISM),
                conf.get(LiveOptions.SASL_USERNAME),
                conf.getOptional(LiveOptions.SASL_PASSWORD).orElse(env.get(PASSWORD_ENV)));
    }

    /** Client properties: {@code bootstrap.servers} and the security settings. */
    public Properties clientProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", protocol.name());
        if (protocol != Protocol.PLAINTEXT) {
            p.put("sasl.mechanism", mechanism);
            p.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + quote(username)
                            + "\" password=\"" + quote(password) + "\";");
        }
        return p;
    }

    @Override
    public String toString() {
        // Never the password: this record reaches logs through the job graph's operators.
        return "KafkaSecurity[" + protocol + (username == null ? "" : ", " + mechanism + " as " + username) + "]";
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
