package io.haitaopulse.privacy;

import java.io.Serializable;

/**
 * Removes identifiers from a dead letter's {@code raw}. Dead letters keep the input as it was so
 * that an operator can see why it was refused; this keeps everything but the identifiers.
 * Implementations must return {@code raw} unchanged when they recognise no identifier in it.
 */
@FunctionalInterface
public interface RawRedactor extends Serializable {

    /** {@code raw} (text, or {@code base64:…} bytes) with its identifiers pseudonymised by {@code p}. */
    String redact(String raw, Pseudonymizer p);

    /** JSON text: every {@code user_id} member ({@link Pseudonymizer#redactJson}). */
    RawRedactor JSON = (raw, p) -> p.redactJson(raw);

    /** UserBehavior CSV: the first field ({@link Pseudonymizer#redactUserBehavior}). */
    RawRedactor USER_BEHAVIOR = (raw, p) -> p.redactUserBehavior(raw);
}
