package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.io.Serializable;

/**
 * Turns one input line into an event or a dead letter. Implementations never throw for bad
 * input: a line that cannot be used becomes an {@link Ingested} whose body is a
 * {@link io.haitaopulse.schema.DeadLetter} with the raw line and the reason.
 */
public interface LineParser extends Serializable {

    /**
     * Parses {@code len} bytes of {@code buf} from {@code off} (no line terminator).
     *
     * @param source file path or topic, recorded in dead letters
     * @param ingestTs processing time at which the line was read, for dead letters
     * @return the parsed record, or {@code null} for a blank line (blank lines are skipped)
     */
    Ingested parse(byte[] buf, int off, int len, String source, long ingestTs);
}
