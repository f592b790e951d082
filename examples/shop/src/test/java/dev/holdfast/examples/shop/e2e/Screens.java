package dev.holdfast.examples.shop.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * Saves one PNG per step of a test to {@code target/e2e-screenshots/<test>/<nn>-<step>.png}, numbered in the order
 * the steps happened across all personas of the test, so that the folder reads as the story of the test. The files
 * are test artifacts (CI keeps {@code target/}); {@code docs/tour/} copies a handful of them.
 *
 * <p>Thread-safe numbering; one instance per test method.
 */
public final class Screens {

    private final Path dir;
    private final AtomicInteger step = new AtomicInteger();

    Screens(Path dir) {
        this.dir = dir;
    }

    /** The root all tests' folders go under: {@code -De2e.screenshots=}, else {@code <basedir>/target/...}. */
    static Path root() {
        String configured = System.getProperty("e2e.screenshots");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("basedir", "."), "target", "e2e-screenshots");
    }

    static Screens of(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        // A plain test's display name is "method(Params)"; a parameterized invocation's is "[1] lightning".
        String test = context.getRequiredTestClass().getSimpleName() + "-" + method
                + (display.startsWith(method + "(") ? "" : "-" + display);
        Path dir = root().resolve(test.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-+|-+$)", ""));
        try {
            if (Files.isDirectory(dir)) {
                // A re-run must not mix its pictures with an older run's.
                try (var old = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Screens(dir);
    }

    /** The folder of this test's pictures. */
    public Path dir() {
        return dir;
    }

    /** Saves what {@code browser} shows now as the next numbered step, and returns the file. */
    public Path save(TakesScreenshot browser, String name) {
        Path file = dir.resolve(String.format(Locale.ROOT, "%02d-%s.png", step.incrementAndGet(), slug(name)));
        try {
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    }
}
