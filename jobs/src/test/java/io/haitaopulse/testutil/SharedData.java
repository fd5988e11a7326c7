package io.haitaopulse.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the project's shared data folder ({@code ../shared/data} next to the repository). */
public final class SharedData {

    private SharedData() {}

    /** Path of {@code name} in the shared data folder; fails the test run clearly when it is missing. */
    public static Path file(String name) {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/data/" + name + " not found above " + Paths.get("").toAbsolutePath()
                + "; the tests expect ../shared next to the repository");
    }
}
