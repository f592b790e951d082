/**
 * The rail contract test kit: {@link dev.holdfast.tck.rail.RailContractTest} checks a {@link
 * dev.holdfast.spi.PaymentRail} against the requirements RC-1 to RC-12 of {@code docs/rail-contract.md}.
 *
 * <p>A rail's own test module extends {@code RailContractTest} in a class named {@code <Rail>ContractTest} and
 * implements {@link dev.holdfast.tck.rail.RailTestFixture}: it builds the rail and plays the outside world (the buyer
 * who pays, the parties who sign, the clock, the destinations that receive money). Tests that need something a rail
 * does not declare are skipped by a JUnit assumption that says so; nothing else is skipped.
 *
 * @since 0.1
 */
package dev.holdfast.tck.rail;
