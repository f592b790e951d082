/**
 * The rail records contract test kit: {@link dev.holdfast.tck.records.RailRecordsContractTest}, an abstract JUnit 5
 * suite that every {@link dev.holdfast.spi.RailRecords} must pass. An implementation extends it and returns a fresh,
 * empty store from {@code newRecords()}.
 *
 * <p>Each test's display name starts with its requirement id ({@code RR-n}): 1xx insert and find, 2xx update, 3xx
 * tags and scans, 4xx isolation between rails, 9xx concurrency.
 *
 * @since 0.6
 */
package dev.holdfast.tck.records;
