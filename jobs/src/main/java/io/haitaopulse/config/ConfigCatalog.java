package io.haitaopulse.config;

import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.sourcing.SourcingOptions;
import io.haitaopulse.traffic.TrafficOptions;
import io.haitaopulse.trends.TrendOptions;
import io.haitaopulse.uplift.UpliftOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every {@code pulse.*} option, grouped by area, read from the {@code *Options} classes that
 * declare them (the single source of keys, types, defaults and descriptions). The configuration
 * file, {@code --conf} and the configuration reference ({@link ConfigDocs}) all take their keys
 * from here, so an option added to an {@code *Options} class is known everywhere at once.
 */
public final class ConfigCatalog {

    /** One documented group of options: a title, what the group is about, and the class declaring them. */
    public record Area(String title, String about, Class<?> holder) {}

    /** One option: its area, the option, and its value type as declared ({@code Duration}, {@code List<SinkKind>}, …). */
    public record Entry(Area area, ConfigOption<?> option, Type type) {

        public String key() {
            return option.key();
        }

        /** Whether the option holds a list (written {@code a;b} or as a YAML list). */
        public boolean isList() {
            return type instanceof ParameterizedType p && p.getRawType() == List.class;
        }

        /** The element class of a list, else the value class. */
        public Class<?> valueClass() {
            Type t = isList() ? ((ParameterizedType) type).getActualTypeArguments()[0] : type;
            return t instanceof Class<?> c ? c : Object.class;
        }
    }

    /** The areas in the order of the reference; an option declared in two holders belongs to the first. */
    public static final List<Area> AREAS = List.of(
            new Area(
                    "Common job options",
                    "Windows, ranking and event time, shared by every job and by replay and live "
                            + "runs alike. The first six are also flags of `pulse replay`.",
                    PulseOptions.class),
            new Area("Privacy", "Pseudonymisation of user ids and k-anonymity of segment rows.", PrivacyOptions.class),
            new Area("Bot filter", "The click-fraud filter in front of every job.", BotOptions.class),
            new Area("Trends job", "Hot items and demand trends (`--job trends`).", TrendOptions.class),
            new Area(
                    "Uplift job",
                    "Campaign uplift, diff-in-diff and channel attribution (`--job uplift`).",
                    UpliftOptions.class),
            new Area("Sourcing job", "The sourcing shortlist (`--job sourcing`).", SourcingOptions.class),
            new Area("Traffic job", "Traffic, funnel and order timeouts (`--job traffic`).", TrafficOptions.class),
            new Area(
                    "Live runs (Kafka and PostgreSQL)",
                    "Where `pulse run` and `pulse submit` read and write; " + "replays ignore these.",
                    LiveOptions.class));

    private static final Map<String, Entry> ENTRIES = entries();

    private ConfigCatalog() {}

    /** Every option, by key, in the order of {@link #AREAS} and of declaration. */
    public static Map<String, Entry> all() {
        return ENTRIES;
    }

    /** The known option {@code key}, if any. */
    public static Optional<Entry> option(String key) {
        return Optional.ofNullable(ENTRIES.get(key));
    }

    /** Keys of every option. */
    public static List<String> keys() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** The known key closest to the unknown {@code key} (a typo), or null when none is close. */
    public static String closest(String key) {
        // A key cut short (pulse.kafka.bootstrap) means the shortest key it begins.
        String completion = null;
        for (String known : ENTRIES.keySet()) {
            boolean begins = key.length() > "pulse.".length() && known.startsWith(key);
            if (begins && (completion == null || known.length() < completion.length())) {
                completion = known;
            }
        }
        if (completion != null) {
            return completion;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : ENTRIES.keySet()) {
            int d = distance(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        // A third of the key may be wrong: close enough to be a typo, far enough not to guess wildly.
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Map<String, Entry> entries() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Area area : AREAS) {
            for (Field f : area.holder().getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                ConfigOption<?> option;
                try {
                    option = (ConfigOption<?>) f.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                Type type = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                entries.putIfAbsent(option.key(), new Entry(area, option, type));
            }
        }
        return entries;
    }

    /** The options of {@code area}, in declaration order. */
    public static List<Entry> of(Area area) {
        List<Entry> list = new ArrayList<>();
        for (Entry e : ENTRIES.values()) {
            if (e.area().equals(area)) {
                list.add(e);
            }
        }
        return list;
    }
}
