package dev.gitopsworkshop.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, found through the service loader (no XML to parse at start):
 * levels only, no appender. Until {@link LabLog} is told where the lab's data dir is, or that the
 * console should mirror the log ({@code --verbose}), a log line goes nowhere, so that commands print
 * only what they mean to print.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LabLog.levels(context, false);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);

    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
