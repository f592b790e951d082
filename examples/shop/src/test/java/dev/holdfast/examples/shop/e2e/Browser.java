package dev.holdfast.examples.shop.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One persona's headless Chromium, with the few verbs the shop tests need. Elements are found by their {@code
 * data-testid} (the names in {@code examples/shop/UI-CONTRACT.md}); every lookup waits, bounded by {@link
 * Chromium#WAIT}, and there is no sleep anywhere: a step that does not happen in time fails the test with the
 * condition that was awaited.
 *
 * <p>Not thread-safe, like the WebDriver under it.
 */
public final class Browser {

    private final String persona;
    private final ChromeDriver driver;
    private final Screens screens;
    private final WebDriverWait wait;

    Browser(String persona, ChromeDriver driver, Screens screens) {
        this.persona = persona;
        this.driver = driver;
        this.screens = screens;
        this.wait = new WebDriverWait(driver, Chromium.WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** The selector of a {@code data-testid}. */
    public static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    public String persona() {
        return persona;
    }

    /** The driver underneath, for what these verbs do not cover. */
    public WebDriver driver() {
        return driver;
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    /** The visible element with this test id, waiting for it. */
    public WebElement find(String id) {
        return wait.withMessage(() -> persona + ": no visible [data-testid=" + id + "] on " + url())
                .until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
    }

    /** The element with this test id, present though maybe hidden (a file input behind a styled label). */
    public WebElement present(String id) {
        return wait.withMessage(() -> persona + ": no [data-testid=" + id + "] on " + url())
                .until(ExpectedConditions.presenceOfElementLocated(testId(id)));
    }

    /** Whether an element with this test id is on the page now, without waiting. */
    public boolean has(String id) {
        return !driver.findElements(testId(id)).isEmpty();
    }

    public List<WebElement> all(String id) {
        return driver.findElements(testId(id));
    }

    /**
     * Clicks the element once it is visible and enabled. The shop's pages re-render on every live event, so the
     * button found may be replaced before the click lands: then the new one is clicked, as a person would.
     */
    public Browser click(String id) {
        wait.withMessage(() -> persona + ": [data-testid=" + id + "] never became clickable on " + url())
                .until(d -> {
                    WebElement e =
                            ExpectedConditions.elementToBeClickable(testId(id)).apply(d);
                    if (e == null) {
                        return null;
                    }
                    e.click();
                    return Boolean.TRUE;
                });
        return this;
    }

    public Browser type(String id, String text) {
        WebElement field = find(id);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    public Browser select(String id, String visibleTextOrValue) {
        Select select = new Select(find(id));
        boolean byValue =
                select.getOptions().stream().anyMatch(o -> visibleTextOrValue.equals(o.getAttribute("value")));
        if (byValue) {
            select.selectByValue(visibleTextOrValue);
        } else {
            select.selectByVisibleText(visibleTextOrValue);
        }
        return this;
    }

    /** Chooses a file in an {@code <input type=file>}, which may be hidden. */
    public Browser upload(String id, Path file) {
        present(id).sendKeys(file.toAbsolutePath().toString());
        return this;
    }

    /** The visible text of the element, once it has some. */
    public String text(String id) {
        return waitText(id, t -> !t.isBlank());
    }

    /** Waits until the element's text satisfies {@code condition}, and returns that text. */
    public String waitText(String id, Predicate<String> condition) {
        return wait.withMessage(() -> persona + ": [data-testid=" + id + "] text was '" + textNow(id)
                        + "', never what was awaited, on " + url())
                .until(d -> {
                    List<WebElement> found = d.findElements(testId(id));
                    if (found.isEmpty() || !found.get(0).isDisplayed()) {
                        return null;
                    }
                    String t = found.get(0).getText().strip();
                    return condition.test(t) ? t : null;
                });
    }

    /** Waits until the element's text contains {@code expected}. */
    public String waitTextContains(String id, String expected) {
        return wait.withMessage(() -> persona + ": [data-testid=" + id + "] text was '" + textNow(id)
                        + "', expected it to contain '" + expected + "', on " + url())
                .until(d -> {
                    String t = textNow(id);
                    return t != null && t.contains(expected) ? t : null;
                });
    }

    /** The attribute value once the element has it non-empty. */
    public String attribute(String id, String name) {
        return wait.withMessage(() -> persona + ": [data-testid=" + id + "] has no " + name + " on " + url())
                .until(d -> {
                    List<WebElement> found = d.findElements(testId(id));
                    if (found.isEmpty()) {
                        return null;
                    }
                    String v = found.get(0).getAttribute(name);
                    return v == null || v.isBlank() ? null : v;
                });
    }

    /** Any other bounded wait on this browser. */
    public <T> T until(String what, Function<WebDriver, T> condition) {
        return until(() -> what, condition);
    }

    /** Any other bounded wait, with a message made when it fails (so it can tell the last value seen). */
    public <T> T until(Supplier<String> what, Function<WebDriver, T> condition) {
        return wait.withMessage(() -> persona + ": " + what.get() + " on " + url())
                .until(condition);
    }

    private String textNow(String id) {
        List<WebElement> found = driver.findElements(testId(id));
        try {
            return found.isEmpty() ? null : found.get(0).getText().strip();
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a screenshot of this browser as the test's next step, named after the persona and the step. */
    public Path shot(String step) {
        return screens.save(driver, persona + "-" + step);
    }

    void quit() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
