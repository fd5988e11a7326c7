package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFileFormatTest {

    private static List<Object> readAll(byte[] content) throws IOException {
        LineFileFormat.Reader r =
                new LineFileFormat.Reader(new ByteArrayInputStream(content), "f", new UserBehaviorParser());
        List<Object> out = new ArrayList<>();
        Ingested i;
        while ((i = r.read()) != null) {
            out.add(i.getBody());
        }
        r.close();
        return out;
    }

    @Test
    void readsLinesWithAnyEndingAndSkipsBlankOnes() throws IOException {
        List<Object> rows = readAll("1,2,3,pv,10\r\n\n  \n4,5,6,pv,11".getBytes(StandardCharsets.US_ASCII));
        assertThat(rows).hasSize(2);
        assertThat(((Click) rows.get(0)).getItemId()).isEqualTo(2L);
        assertThat(((Click) rows.get(1)).getItemId()).isEqualTo(5L);
    }

    @Test
    void linesLongerThanTheBufferAreReadWhole() throws IOException {
        String user = "u".repeat(200_000);
        List<Object> rows = readAll((user + ",2,3,pv,10\n1,2,3,pv,11\n").getBytes(StandardCharsets.US_ASCII));
        // No valid line is that long (EventLimits); its dead letter shows it was read whole.
        assertThat(((DeadLetter) rows.get(0)).getRaw()).isEqualTo(user + ",2,3,pv,10");
        assertThat(((DeadLetter) rows.get(0)).getReason())
                .isEqualTo("field 'user_id' too long: 200000 characters, at most 4096");
        assertThat(((Click) rows.get(1)).getItemId()).isEqualTo(2L);
        assertThat(rows).hasSize(2);
    }

    @Test
    void aLineThatMakesItsParserThrowIsADeadLetterAndReadingGoesOn() throws IOException {
        UserBehaviorParser real = new UserBehaviorParser();
        // A parser whose rule recurses without end on one line, as a hostile line can make a
        // recursive parser do, and throws on another.
        LineParser fragile = (buf, off, len, source, ingestTs) -> {
            if (buf[off] == 'S') {
                return overflow(len);
            }
            if (buf[off] == 'R') {
                throw new IllegalStateException("broken\nrule");
            }
            return real.parse(buf, off, len, source, ingestTs);
        };
        byte[] in = "1,2,3,pv,10\nStack\nRuntime\n1,5,3,pv,11\n".getBytes(StandardCharsets.US_ASCII);
        LineFileFormat.Reader r = new LineFileFormat.Reader(new ByteArrayInputStream(in), "f", fragile);
        List<Object> rows = new ArrayList<>();
        for (Ingested i = r.read(); i != null; i = r.read()) {
            rows.add(i.getBody());
        }
        assertThat(rows).hasSize(4);
        assertThat(((DeadLetter) rows.get(1)).getRaw()).isEqualTo("Stack");
        assertThat(((DeadLetter) rows.get(1)).getReason()).isEqualTo("parser failed: StackOverflowError");
        assertThat(((DeadLetter) rows.get(2)).getReason())
                .isEqualTo("parser failed: IllegalStateException: broken rule");
        assertThat(((Click) rows.get(3)).getItemId()).isEqualTo(5L);
    }

    private static Ingested overflow(int depth) {
        return overflow(depth + 1);
    }

    @Test
    void anOverlongLineIsDeadLetteredWithItsPrefixAndReadingGoesOn() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] junk = new byte[LineFileFormat.MAX_LINE_BYTES + 10];
        Arrays.fill(junk, (byte) 'x');
        b.write(junk);
        b.write("\n1,2,3,pv,11\n".getBytes(StandardCharsets.US_ASCII));
        List<Object> rows = readAll(b.toByteArray());
        assertThat(rows).hasSize(2);
        DeadLetter d = (DeadLetter) rows.get(0);
        assertThat(d.getReason()).startsWith("line longer than");
        assertThat(d.getRaw()).hasSize(LineFileFormat.KEPT_PREFIX_BYTES);
        assertThat(((Click) rows.get(1)).getItemId()).isEqualTo(2L);
    }
}
