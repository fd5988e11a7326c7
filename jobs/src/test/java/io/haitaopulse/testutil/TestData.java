package io.haitaopulse.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the data files checked into the repository under {@code data/taobao/}: below the
 * {@code pulse.home} system property (Maven sets it to the repository root), or else below the
 * nearest directory above the working directory that has {@code data/taobao/}. Nothing outside the
 * repository is read.
 */
public final class TestData {

    /** Where the data lives, relative to the repository root. */
    public static final String DIR = "data/taobao";

    private TestData() {}

    /** Path of {@code name} in {@code data/taobao/}; fails the test run clearly when it is missing. */
    public static Path file(String name) {
        String home = System.getProperty("pulse.home");
        if (home != null) {
            Path candidate =
                    Paths.get(home).resolve(DIR).resolve(name).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            throw new IllegalStateException(candidate + " not found (pulse.home=" + home + ")");
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DIR).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(DIR + "/" + name + " not found above "
                + Paths.get("").toAbsolutePath() + "; set -Dpulse.home to the repository root");
    }
}
