package dev.gitopsworkshop.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where the lab's log goes: {@code <data-dir>/lab.log}, rotated by size ({@code lab.1.log} to
 * {@code lab.3.log} keep the older lines, so a day's log stays under {@value #MAX_MEGABYTES} MB a file
 * and four files in all), and, with {@code --verbose}, the same lines on stderr. One line an event:
 * time (UTC), level, thread, the class that speaks, the message (which names the object).
 */
public final class LabLog {
  /** The log's file name in the data dir. */
  public static final String FILE = "lab.log";
  static final int MAX_MEGABYTES = 5;
  static final int KEPT_FILES = 3;
  /** How often the file's size is looked at (logback's default, a minute, lets a busy minute overshoot). */
  static volatile long sizeCheckMillis = 200;
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{0} - %msg%n";
  private static final String FILE_APPENDER = "lab.log";
  private static final String CONSOLE_APPENDER = "console";
  private static final String OWN_PACKAGE = "dev.gitopsworkshop";

  private LabLog() {}

  /**
   * Sends what libraries log through java.util.logging (protobuf's warnings) the same way as the
   * lab's own lines, instead of java.util.logging's console handler on stderr. For the tool's own
   * process only: java.util.logging is one per JVM, and a handler from a class loader that goes away
   * (a test's) would break every later log call.
   */
  public static synchronized void captureJavaUtilLogging() {
    if (SLF4JBridgeHandler.isInstalled()) {
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    context().ifPresent(ctx -> {
      LevelChangePropagator levels = new LevelChangePropagator(); // java.util.logging skips what logback would drop
      levels.setContext(ctx);
      levels.setResetJUL(true);
      levels.start();
      ctx.addListener(levels);
    });
  }

  /** The log file of a data dir (which need not exist). */
  public static Path file(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FILE);
  }

  /**
   * Mirrors the log on stderr ({@code --verbose}), with the lab's own details (debug lines) in both
   * the file and the console; without it, nothing is logged on the console.
   */
  public static synchronized void verbose(boolean on) {
    context().ifPresent(ctx -> {
      Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      levels(ctx, on);
      if (!on) {
        root.detachAppender(CONSOLE_APPENDER);
      } else if (root.getAppender(CONSOLE_APPENDER) == null) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName(CONSOLE_APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder(ctx));
        console.start();
        root.addAppender(console);
      }
    });
  }

  /**
   * Writes the log to {@code <dataDir>/lab.log} from now on (appending to what is there). Called
   * again with another data dir, it moves there; with the same, it does nothing. The directory must
   * exist.
   */
  public static synchronized void writeTo(Path dataDir) {
    Path target = file(dataDir);
    context().ifPresent(ctx -> {
      Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      if (root.getAppender(FILE_APPENDER) instanceof RollingFileAppender<ILoggingEvent> current) {
        if (Path.of(current.getFile()).equals(target)) {
          return;
        }
        root.detachAppender(current);
        current.stop();
      }
      RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
      appender.setContext(ctx);
      appender.setName(FILE_APPENDER);
      appender.setFile(target.toString());
      appender.setAppend(true);
      FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
      rolling.setContext(ctx);
      rolling.setParent(appender);
      rolling.setFileNamePattern(target.getParent().resolve("lab.%i.log").toString());
      rolling.setMinIndex(1);
      rolling.setMaxIndex(KEPT_FILES);
      rolling.start();
      SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
      trigger.setContext(ctx);
      trigger.setMaxFileSize(FileSize.valueOf(MAX_MEGABYTES + "MB"));
      trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(sizeCheckMillis));
      trigger.start();
      appender.setRollingPolicy(rolling);
      appender.setTriggeringPolicy(trigger);
      appender.setEncoder(encoder(ctx));
      appender.start();
      root.addAppender(appender);
    });
  }

  /** The file the log is written to now, if any. */
  public static synchronized Optional<Path> current() {
    return context().map(ctx -> ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(FILE_APPENDER))
        .filter(a -> a instanceof RollingFileAppender<?>)
        .map(a -> Path.of(((RollingFileAppender<?>) a).getFile()));
  }

  /** Stops writing the file (the lab has stopped; tests that start several labs in one JVM). */
  public static synchronized void closeFile() {
    context().ifPresent(ctx -> {
      Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      var appender = root.getAppender(FILE_APPENDER);
      if (appender != null) {
        root.detachAppender(appender);
        appender.stop();
      }
    });
  }

  /** The libraries' levels: what they say at INFO is mostly start-up chatter. */
  static void levels(LoggerContext ctx, boolean verbose) {
    ctx.getLogger(OWN_PACKAGE).setLevel(verbose ? Level.DEBUG : Level.INFO);
    ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    ctx.getLogger("org.eclipse.jgit").setLevel(Level.WARN);
    ctx.getLogger("io.fabric8").setLevel(verbose ? Level.INFO : Level.WARN);
    ctx.getLogger("org.testcontainers").setLevel(Level.INFO);
    ctx.getLogger("com.github.dockerjava").setLevel(Level.WARN);
    // Kubernetes' protobuf model (kubectl's typed create) is generated by an old protoc, which
    // protobuf-java warns about once per type; the bodies it reads come from kubectl on loopback.
    ctx.getLogger("com.google.protobuf").setLevel(Level.ERROR);
  }

  private static PatternLayoutEncoder encoder(LoggerContext ctx) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static Optional<LoggerContext> context() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory instanceof LoggerContext ctx ? Optional.of(ctx) : Optional.empty();
  }
}
