package io.haitaopulse.io;

import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Builds dead letters and decodes input text strictly. {@code raw} is the line as text when it
 * is valid UTF-8, otherwise {@code base64:} followed by the bytes in base64 (CONTRACTS §3), so
 * nothing of the original input is lost.
 */
public final class DeadLetters {

    /** Prefix of {@code raw} when the input was not valid UTF-8. */
    public static final String BASE64_PREFIX = "base64:";

    /**
     * Prefix of {@code raw} when the input is withheld because its identifiers could not be
     * removed; the rest says only what it was (its size, or its event type), never its content.
     */
    public static final String WITHHELD_PREFIX = "withheld:";

    private DeadLetters() {}

    /** A dead letter for the given line. */
    public static Ingested of(byte[] buf, int off, int len, String source, String reason, long ingestTs) {
        String text = decodeUtf8OrNull(buf, off, len);
        String raw = text != null ? text : BASE64_PREFIX + Base64.getEncoder().encodeToString(slice(buf, off, len));
        return new Ingested(new DeadLetter(source, raw, reason, Instant.ofEpochMilli(ingestTs)), Long.MIN_VALUE);
    }

    /** The bytes as a String when they are valid UTF-8, else {@code null}. */
    public static String decodeUtf8OrNull(byte[] buf, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, off, len, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The reason of a record that made a stage of ingest throw: {@code "<stage> failed: "} and the
     * error's class and message on one line, at most 200 characters in all (a message may quote
     * much of the input, and a reason must stay short).
     */
    public static String failure(String stage, Throwable e) {
        String m = e.getMessage();
        String text =
                e.getClass().getSimpleName() + (m == null ? "" : ": " + m.substring(0, Math.min(m.length(), 400)));
        StringBuilder one = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            one.append(Character.isWhitespace(c) ? ' ' : c);
        }
        String s = one.toString().trim();
        return stage + " failed: " + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }

    /** A {@code raw} that stands for a withheld input described by {@code what} (no content of it). */
    public static String withheld(String what) {
        return WITHHELD_PREFIX + " " + what;
    }

    private static byte[] slice(byte[] buf, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(buf, off, out, 0, len);
        return out;
    }
}
