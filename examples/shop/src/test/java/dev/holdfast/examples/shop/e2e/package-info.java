/**
 * End-to-end browser tests of the example shop: headless Debian Chromium driven by Selenium through the system
 * ChromeDriver, one fresh browser profile per persona, a screenshot per step.
 *
 * <p>Classes named {@code *E2E} run only in the {@code e2e} Maven profile (failsafe); the harness ({@link
 * dev.holdfast.examples.shop.e2e.Chromium}, {@link dev.holdfast.examples.shop.e2e.Browser}, {@link
 * dev.holdfast.examples.shop.e2e.Screens}) compiles with every build so that it cannot rot unnoticed.
 */
package dev.holdfast.examples.shop.e2e;
