package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;

/**
 * A {@link LineParser} for text formats: decodes the line as strict UTF-8 (dead letter "not valid
 * UTF-8" otherwise), skips blank lines, and turns an {@link InvalidEventException} from
 * {@link #parseText} into a dead letter with its message as the reason. An event with a string
 * field over {@link EventLimits#MAX_STRING_CHARS} is a dead letter too.
 *
 * <p>This is the per-line boundary of the file path: whatever else one line makes the parser
 * throw (a {@link RuntimeException} from a library, or a {@link StackOverflowError} from a
 * recursion the line drives deep) also becomes that line's dead letter, reason
 * {@code "parser failed: <error>"}, and the next line is read as usual. Stack overflows unwind
 * completely before the catch runs, so catching them leaves no damage behind; other errors
 * (out of memory) are not the line's alone and still fail the task.
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
            Object body = parseText(text);
            String tooLong = EventLimits.violation(body);
            return tooLong == null
                    ? new Ingested(body, Long.MIN_VALUE)
                    : DeadLetters.of(buf, off, len, source, tooLong, ingestTs);
        } catch (InvalidEventException e) {
            return DeadLetters.of(buf, off, len, source, e.getMessage(), ingestTs);
        } catch (RuntimeException | StackOverflowError e) {
            return DeadLetters.of(buf, off, len, source, DeadLetters.failure("parser", e), ingestTs);
        }
    }
}
