package io.haitaopulse.cli;

import io.haitaopulse.common.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Picocli converter (also the benchmark CLI's) for the contract's duration forms ({@code 500ms}, {@code 5s}, {@code 5m}, {@code 1h}, {@code 7d}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
