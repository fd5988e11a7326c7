package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;

/**
 * A {@link LineParser} for text formats: decodes the line as strict UTF-8 (dead letter "not valid
 * UTF-8" otherwise), skips blank lines, and turns an {@link InvalidEventException} from
 * {@link #parseText} into a dead letter with its message as the reason.
 */
abstract class TextLineParser implements LineParser {

    private static final long serialVersionUID = 1L;

    /** Parses one non-blank line into an event body; throws with the dead-letter reason. */
    abstract Object parseText(String text) throws InvalidEventException;

    @Override
    public final Ingested parse(byte[] buf, int off, int len, String source, long ingestTs) {
        String text = DeadLetters.decodeUtf8OrNull(buf, off, len);
        if (text == null) {
            return DeadLetters.of(buf, off, len, source, "not valid UTF-8", ingestTs);
        }
        if (text.isBlank()) {
            return null;
        }
        try {
            return new Ingested(parseText(text), Long.MIN_VALUE);
        } catch (InvalidEventException e) {
            return DeadLetters.of(buf, off, len, source, e.getMessage(), ingestTs);
        }
    }
}
