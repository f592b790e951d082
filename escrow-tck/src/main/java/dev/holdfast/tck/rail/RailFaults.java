package dev.holdfast.tck.rail;

/**
 * Steers the next rail call into a fault, so the kit can check how a rail reports trouble (RC-2, RC-3, RC-12). A
 * fixture offers it through {@link RailTestFixture#faults()} when its rail or simulator can be steered.
 *
 * <p>Faults queue up, first in first out, and each applies to the next {@code openFunding}, {@code payout} or {@code
 * cancelFunding} that starts something on the rail (for a rail that moves a payout's money when a party's signature
 * comes back, the fault may apply to that {@code submitPartyResponse} instead). Map them to whatever the real server
 * does wrong: a refused request, a response lost in a timeout, a request that hangs.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface RailFaults {
    /**
     * The next call fails on the rail: it answers FAILED and moves no money.
     *
     * @param code the rail error code to fail with, where the rail lets the fixture choose
     */
    void failNext(String code);

    /** The next call does everything it would, but its answer is lost: it answers UNKNOWN. */
    void unknownNext();

    /** The next call is accepted but hangs: it answers PENDING, moves nothing, and queries answer PENDING. */
    void stallNext();

    /** Lets every stalled call go on: they complete as they would have, and the rail notifies or answers queries. */
    void completeStalled();
}
