package io.haitaopulse.privacy;

import java.io.Serializable;
import java.util.Set;

/**
 * Removes identifiers from a dead letter's {@code raw}. Dead letters keep the input as it was so
 * that an operator can see why it was refused; this keeps everything but the identifiers.
 * Implementations must return {@code raw} unchanged when they recognise no identifier in it.
 */
@FunctionalInterface
public interface RawRedactor extends Serializable {

    /** {@code raw} (text, or {@code base64:…} bytes) with its identifiers pseudonymised by {@code p}. */
    String redact(String raw, Pseudonymizer p);

    /**
     * {@link #redact(String, Pseudonymizer)} for the raw input of a dead letter from
     * {@code source} (a file path or a topic); a redactor for inputs of several formats decides by it.
     */
    default String redact(String raw, String source, Pseudonymizer p) {
        return redact(raw, p);
    }

    /**
     * {@code forSources} for dead letters from one of {@code sources}, {@code otherwise} for the
     * rest: one input stream that carries lines of two formats (history files in the UserBehavior
     * format before Kafka records).
     */
    static RawRedactor bySource(Set<String> sources, RawRedactor forSources, RawRedactor otherwise) {
        return new BySource(Set.copyOf(sources), forSources, otherwise);
    }

    /** See {@link #bySource}. */
    record BySource(Set<String> sources, RawRedactor forSources, RawRedactor otherwise) implements RawRedactor {
        private static final long serialVersionUID = 1L;

        @Override
        public String redact(String raw, Pseudonymizer p) {
            // Without a source, the redactor that misses nothing of the two cannot be known: both run.
            return forSources.redact(otherwise.redact(raw, p), p);
        }

        @Override
        public String redact(String raw, String source, Pseudonymizer p) {
            return (sources.contains(source) ? forSources : otherwise).redact(raw, p);
        }
    }

    /** JSON text: every {@code user_id} member ({@link Pseudonymizer#redactJson}). */
    RawRedactor JSON = (raw, p) -> p.redactJson(raw);

    /** UserBehavior CSV: the first field ({@link Pseudonymizer#redactUserBehavior}). */
    RawRedactor USER_BEHAVIOR = (raw, p) -> p.redactUserBehavior(raw);
}
