package dev.holdfast.examples.shop.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * JUnit 5 extension that hands a test a {@link Personas} parameter: one headless Chromium per persona, each with its
 * own fresh {@code --user-data-dir}, so cookies and sessions never leak between the buyer, the seller and the arbiter.
 * Every browser is quit after the test, and a last screenshot of each is kept when the test failed.
 *
 * <p>Only the system {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} are used (Debian's packages, see
 * {@code .ci/install-browser}): Selenium Manager's own browser download cannot work on a machine that reaches only
 * the package registries. Both paths can be overridden with {@code -De2e.chromium=} and {@code -De2e.chromedriver=}.
 *
 * <p>Not thread-safe: one test method at a time per class (the default).
 */
public final class Chromium implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    /** How long any wait for the page may take before the test fails; generous for a 2-core machine under load. */
    public static final Duration WAIT = Duration.ofSeconds(Long.getLong("e2e.waitSeconds", 20));

    static final Path CHROMIUM = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));

    /**
     * The flags our machines need: without the background-networking ones Chromium keeps dialling hosts the closed
     * network refuses; {@code --no-sandbox} because CI runs as root.
     */
    static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            "--lang=en-US");

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Chromium.class);

    // Selenium looks for a DevTools binding matching the browser at every start and warns twice when there is none;
    // the tests speak only WebDriver, so that noise would bury the test output. Held in fields: JUL keeps loggers
    // weakly, and a collected logger forgets its level.
    private static final List<Logger> QUIET = Stream.of("org.openqa.selenium.devtools", "org.openqa.selenium.chromium")
            .map(Logger::getLogger)
            .peek(l -> l.setLevel(Level.SEVERE))
            .toList();

    @Override
    public void beforeAll(ExtensionContext context) {
        requireExecutable(CHROMIUM, "chromium");
        requireExecutable(CHROMEDRIVER, "chromium-driver");
    }

    private static void requireExecutable(Path path, String debianPackage) {
        if (!Files.isExecutable(path)) {
            throw new ExtensionConfigurationException(path + " is missing: the e2e tests need Debian's " + debianPackage
                    + " package; run .ci/install-browser (as root) first");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Personas.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(Personas.class, k -> new Personas(Screens.of(context)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Personas personas = context.getStore(NS).remove(Personas.class, Personas.class);
        if (personas == null) {
            return;
        }
        if (context.getExecutionException().isPresent()) {
            personas.shootAll("failure");
        }
        personas.close();
    }

    /** Starts one browser in a new, empty profile directory. */
    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT);
        return driver;
    }

    /** The browsers of one test, one per persona, created on first use. */
    public static final class Personas implements AutoCloseable {
        private final Screens screens;
        private final Map<String, Browser> browsers = new LinkedHashMap<>();
        private final List<Path> profiles = new ArrayList<>();

        Personas(Screens screens) {
            this.screens = screens;
        }

        /** The browser of {@code persona}, a fresh Chromium profile the first time it is asked for. */
        public Browser of(String persona) {
            return browsers.computeIfAbsent(persona, p -> {
                try {
                    Path profile = Files.createTempDirectory("e2e-" + p + "-");
                    profiles.add(profile);
                    return new Browser(p, start(profile), screens);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** Where this test's screenshots go. */
        public Screens screens() {
            return screens;
        }

        void shootAll(String step) {
            browsers.values().forEach(b -> {
                try {
                    b.shot(step);
                } catch (RuntimeException e) {
                    // A browser that died cannot be photographed; the test's own failure is the one to report.
                }
            });
        }

        @Override
        public void close() {
            browsers.values().forEach(Browser::quit);
            browsers.clear();
            profiles.forEach(Personas::deleteQuietly);
            profiles.clear();
        }

        private static void deleteQuietly(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind is harmless
            }
        }
    }
}
