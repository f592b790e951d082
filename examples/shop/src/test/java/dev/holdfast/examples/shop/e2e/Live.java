package dev.holdfast.examples.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proof that an escrow page changed through its server-sent event stream and not through a reload: a marker is put
 * on the page's {@code window} once the stream is connected; a reload or navigation would drop it.
 */
final class Live {

    private Live() {}

    /** Waits until the page's event stream is connected, then marks the page. */
    static void awaitConnected(Browser page) {
        page.waitText("live-state", "connected"::equals);
        page.script("window.e2eNotReloaded = true");
    }

    static void assertNotReloaded(Browser page) {
        assertThat(page.script("return window.e2eNotReloaded === true"))
                .as("%s's page kept its state: the update came over SSE, not through a reload", page.persona())
                .isEqualTo(Boolean.TRUE);
    }
}
