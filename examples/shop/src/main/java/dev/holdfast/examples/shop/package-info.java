/**
 * The example shop: a small marketplace on the Holdfast Jakarta EE plugin. The browser talks to the plugin's REST API
 * under {@code /api/holdfast/v1} for everything an escrow party does, and to a few shop endpoints under {@code
 * /api/shop} for what only the shop knows: its catalog, checkout (the server prices the order), the simulated
 * wallets and the P2P desk.
 */
package dev.holdfast.examples.shop;
