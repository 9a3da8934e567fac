package dev.gitopsworkshop.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code on} or {@code off} (also true/false, yes/no) as a boolean. */
final class OnOff implements ITypeConverter<Boolean> {
  @Override
  public Boolean convert(String value) {
    return switch (value.toLowerCase()) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new TypeConversionException("'" + value + "' is neither on nor off");
    };
  }
}
