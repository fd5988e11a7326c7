package io.haitaopulse.io;

/**
 * A line that breaks the input contract; the message is the reason written to dead_letters.
 * Thrown and caught inside parsers only, so it carries no stack trace.
 */
final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
