package io.haitaopulse.cli;

import io.haitaopulse.io.InputFormat;
import picocli.CommandLine;

/** Picocli converter for {@code --format}. */
final class FormatConverter implements CommandLine.ITypeConverter<InputFormat> {
    @Override
    public InputFormat convert(String value) {
        try {
            return InputFormat.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
