package io.haitaopulse.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's documentation holds together: every relative link in {@code README.md} and
 * {@code docs/**.md} (Markdown links and images, outside code) names a file or directory of the
 * repository, a link with a {@code #fragment} into a Markdown file names one of its headings (as
 * GitHub derives heading anchors), and the README stays a short front door.
 */
class DocLinksTest {

    /** {@code [text](target)} or {@code ![alt](target)}; the target ends at the first space or ')'. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final int README_MAX_LINES = 200;

    private static Path home() {
        return Paths.get(System.getProperty("pulse.home", ".."))
                .toAbsolutePath()
                .normalize();
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(home().resolve("README.md"));
        try (Stream<Path> s = Files.walk(home().resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        int checked = 0;
        for (Path doc : documents()) {
            for (String target : links(doc)) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto: — not files of the repository
                }
                checked++;
                int hash = target.indexOf('#');
                String pathPart = hash < 0 ? target : target.substring(0, hash);
                String fragment = hash < 0 ? null : target.substring(hash + 1);
                Path file = pathPart.isEmpty()
                        ? doc
                        : doc.getParent().resolve(pathPart).normalize();
                String where = home().relativize(doc) + ": " + target;
                if (!file.startsWith(home())) {
                    broken.add(where + " (outside the repository)");
                } else if (!Files.exists(file)) {
                    broken.add(where + " (no such file)");
                } else if (fragment != null
                        && file.toString().endsWith(".md")
                        && !anchorsByFile
                                .computeIfAbsent(file, DocLinksTest::anchors)
                                .contains(fragment)) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theReadmeIsAShortFrontDoor() throws IOException {
        List<String> lines = Files.readAllLines(home().resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(lines.size()).as("lines of README.md").isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(slug("PostgreSQL schema (`deploy/sql/`)")).isEqualTo("postgresql-schema-deploysql");
        assertThat(slug("JSON Lines (`--format jsonl`)")).isEqualTo("json-lines---format-jsonl");
        assertThat(slug("The bot filter's cost")).isEqualTo("the-bot-filters-cost");
    }

    /** Link targets of a Markdown file, outside fenced code blocks and inline code. */
    private static List<String> links(Path doc) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : read(doc)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown file, duplicates numbered. */
    private static Set<String> anchors(Path doc) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : read(doc)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String base = slug(m.group(1));
                int n = seen.merge(base, 1, Integer::sum);
                anchors.add(n == 1 ? base : base + "-" + (n - 1));
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
    private static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1"); // a link in a heading keeps its text
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .replace(' ', '-');
    }

    private static List<String> read(Path doc) {
        try {
            return Files.readAllLines(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + doc, e);
        }
    }
}
