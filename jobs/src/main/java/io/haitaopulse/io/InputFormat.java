package io.haitaopulse.io;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;

/** The replay input formats of CONTRACTS §2, by their command-line names. */
public enum InputFormat {
    /** One JSON object per line, discriminated by {@code type}. */
    JSONL("jsonl") {
        @Override
        public LineParser parser() {
            return new JsonLinesParser();
        }

        @Override
        public boolean carries(Class<?> type) {
            return true;
        }
    },
    /** The public Tianchi UserBehavior CSV. */
    USERBEHAVIOR("userbehavior") {
        @Override
        public LineParser parser() {
            return new UserBehaviorParser();
        }

        @Override
        public boolean carries(Class<?> type) {
            return type == Click.class || type == Order.class;
        }
    };

    private final String cliName;

    InputFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** A fresh parser for this format. */
    public abstract LineParser parser();

    /** Whether a line of this format can be an event of {@code type} (an input type of the schemas). */
    public abstract boolean carries(Class<?> type);

    /** The format with the given command-line name; throws {@link IllegalArgumentException} otherwise. */
    public static InputFormat fromCliName(String name) {
        for (InputFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; use jsonl or userbehavior");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
