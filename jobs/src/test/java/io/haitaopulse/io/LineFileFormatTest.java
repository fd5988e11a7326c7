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
        LineFileFormat.Reader r = new LineFileFormat.Reader(new ByteArrayInputStream(content), "f", new UserBehaviorParser());
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
        assertThat(((Click) rows.get(0)).getUserId()).isEqualTo(user);
        assertThat(rows).hasSize(2);
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
