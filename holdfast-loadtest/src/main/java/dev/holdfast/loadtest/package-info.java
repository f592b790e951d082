/**
 * A load harness for the Jakarta EE plugin's REST API on a real container and database: {@link
 * dev.holdfast.loadtest.LoadDriver} runs complete escrow lifecycles (create, fund, delivered, accept, released) with
 * concurrent virtual users or at a fixed arrival rate, records every request's latency exactly, counts errors, and
 * counts the PostgreSQL commits the run caused. Not a test: nothing here asserts a speed. See docs/benchmarks.md.
 */
package dev.holdfast.loadtest;
