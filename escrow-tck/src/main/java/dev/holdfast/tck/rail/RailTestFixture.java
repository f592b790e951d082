package dev.holdfast.tck.rail;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a rail's contract test provides to {@link RailContractTest}: the rail, and the outside world around it. This
 * is the kit's one configuration hook, like the JSR 354 TCK's {@code JSR354TestConfiguration}.
 *
 * <p>{@link RailContractTest#createFixture()} makes a new fixture for every test, with a rail that has no history; the
 * kit closes it after the test. The kit sets its own listener on the rail, so the fixture must not rely on being the
 * rail's listener. Observations ({@link #receivedAt}, {@link #platformBalance}, {@link #buyerNetPaid}) are read from
 * the simulated world (the simulator's books, the destination wallets), never from the adapter under test: they are
 * how the kit checks that money really moved once and exactly.
 *
 * <p>A fixture is used by one test at a time but must tolerate calls from several threads in the concurrency tests.
 *
 * @since 0.1
 */
public interface RailTestFixture extends AutoCloseable {

    /** @return the rail under test; the same instance on every call */
    PaymentRail rail();

    /**
     * @return the clock the rail and its simulator run on; the kit reads it to set {@code fundBy} and {@code
     *     holdUntil}
     */
    Clock clock();

    /**
     * The amount most tests fund: in an asset the rail lists, within its limits, at least 100 minor units (the kit
     * splits it into parts and fees), and one the simulated buyer can afford several times over.
     *
     * @return the amount
     */
    Money fundingAmount();

    /**
     * The buyer does what {@code openResult}'s instruction says: pays the invoice, sends the payment with the
     * reference, approves the grant, signs and submits the funding transaction. Exactly the instructed amount.
     *
     * @param request the funding request the kit sent
     * @param openResult the rail's answer to {@code openFunding} (or to a later query), possibly without an
     *     instruction
     * @return true when the rail took the buyer's money; false when there was nothing to pay or the rail refused the
     *     payment (expired, cancelled, failed funding), in which case the buyer keeps the money
     */
    boolean buyerPays(FundingRequest request, RailResult openResult);

    /**
     * A party signs a transaction the rail prepared. Called only for rails that ask for signatures.
     *
     * @param instruction what the rail asked for
     * @return the payload to hand to {@link PaymentRail#submitPartyResponse}
     */
    default String sign(PartyInstruction.SignTransaction instruction) {
        throw new UnsupportedOperationException("this fixture's rail was not expected to ask for signatures");
    }

    /**
     * A payout destination the rail accepts, belonging to the party and used by the kit for one payout (or one
     * idempotent group of the same payout); a fresh one on every call, so {@link #receivedAt} tells what that payout
     * delivered.
     *
     * @param party who owns it
     * @param amount what the kit is about to pay to it (a Lightning fixture issues an invoice for it)
     * @return the destination
     */
    PayoutDestination.RailAddress validDestination(Role party, Money amount);

    /**
     * Moves the rail's time forward (the clock, block height, ledger close time) and lets the rail and its simulator
     * act on it: unpaid fundings expire, native holds lapse, notifications go out.
     *
     * @param duration how far, positive
     */
    void advanceRailTime(Duration duration);

    /** @return fault steering for the rail, if the fixture can steer it; tests that need it are skipped without */
    default Optional<RailFaults> faults() {
        return Optional.empty();
    }

    /**
     * @param destination a destination from {@link #validDestination}
     * @param asset the asset to count
     * @return the total that destination has received, as its owner sees it (not counting fees its owner paid)
     */
    Money receivedAt(PayoutDestination.RailAddress destination, Asset asset);

    /**
     * @param asset an asset
     * @return the platform's own spendable funds on the rail, as the simulated world sees them
     */
    Money platformBalance(Asset asset);

    /**
     * @param funding a funding request the kit opened
     * @return what the buyer has paid into that funding and not got back (zero before paying, after a cancel, after
     *     a lapse), not counting network fees the buyer paid on its own transactions
     */
    Money buyerNetPaid(FundingRequest funding);

    /**
     * @return how long the kit waits for a notification, or for a PENDING or UNKNOWN outcome to resolve by query; an
     *     in-memory rail answers at once, a simulator over a socket needs longer
     */
    default Duration asyncTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Stops whatever the fixture started (simulators, servers, threads). Declares no checked exception so that no
     * fixture can leave the kit guessing about an interrupted shutdown: handle it, or rethrow it unchecked.
     */
    @Override
    default void close() {}
}
