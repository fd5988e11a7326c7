package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.testutil.TestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checked-in Taobao sample, {@code data/taobao/UserBehavior.csv}, is the file its
 * {@code PROVENANCE.md} describes: same sha256, same row and byte counts. A changed file or a
 * changed page fails here until the other is brought in line.
 */
class UserBehaviorSampleTest {

    @Test
    void fileMatchesItsProvenance() throws Exception {
        Path csv = TestData.file("UserBehavior.csv");
        String provenance = Files.readString(TestData.file("PROVENANCE.md"));

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        long bytes = 0;
        try (InputStream in = Files.newInputStream(csv)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                bytes += n;
                for (int i = 0; i < n; i++) {
                    rows += buf[i] == '\n' ? 1 : 0;
                }
            }
        }
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(field(provenance, "sha256", "`([0-9a-f]{64})`"));
        assertThat(rows).isEqualTo(number(field(provenance, "rows", "([0-9,]+)")));
        assertThat(bytes).isEqualTo(number(field(provenance, "bytes", "([0-9,]+)")));
    }

    /** The value in the table row {@code | name | value |} of the provenance page. */
    private static String field(String page, String name, String value) {
        Matcher m =
                Pattern.compile("(?m)^\\| " + name + " \\| " + value + " \\|$").matcher(page);
        assertThat(m.find()).as("PROVENANCE.md has a '| " + name + " |' row").isTrue();
        return m.group(1);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
