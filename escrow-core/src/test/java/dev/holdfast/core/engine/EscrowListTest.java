package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EscrowListTest {
    private final EngineFixture f = new EngineFixture();

    @Test
    @DisplayName("pages through every escrow oldest first; the last page has no cursor")
    void pagesThroughAllEscrows() {
        List<EscrowId> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(f.submit(f.create(100 + i)).id());
        }

        List<EscrowId> seen = new ArrayList<>();
        EscrowQuery query = EscrowQuery.firstPage(null, 3);
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            EscrowPage page = f.engine.list(query);
            pageSizes.add(page.items().size());
            page.items().forEach(v -> seen.add(v.id()));
            if (page.nextCursor() == null) {
                break;
            }
            query = query.after(page.nextCursor());
        }

        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pageSizes).containsExactly(3, 3, 1);
    }

    @Test
    @DisplayName("filters by party and status")
    void filtersByPartyAndStatus() {
        EscrowView a = f.submit(f.create(100));
        EscrowView b = f.submit(f.create(200));
        f.submit(new CancelEscrow(Actor.buyer(ALICE), b.id(), "changed my mind"));

        EscrowPage cancelled = f.engine.list(new EscrowQuery(BOB, Set.of(EscrowStatus.CANCELLED), null, 10));
        assertThat(cancelled.items()).extracting(EscrowView::id).containsExactly(b.id());
        assertThat(cancelled.nextCursor()).isNull();

        EscrowPage notCancelled = f.engine.list(
                new EscrowQuery(ALICE, Set.of(EscrowStatus.AWAITING_FUNDING, EscrowStatus.FUNDED), null, 10));
        assertThat(notCancelled.items()).extracting(EscrowView::id).containsExactly(a.id());

        assertThat(f.engine
                        .list(EscrowQuery.firstPage(PartyId.of("stranger"), 10))
                        .items())
                .isEmpty();
    }

    @Test
    @DisplayName("a status filter that skips many escrows still returns a full page and a cursor past them")
    void statusFilterSkipsAcrossBatches() {
        List<EscrowId> cancelled = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            EscrowView v = f.submit(f.create(100));
            if (i % 40 == 39) {
                f.submit(new CancelEscrow(Actor.buyer(ALICE), v.id(), ""));
                cancelled.add(v.id());
            }
        }

        EscrowQuery q = new EscrowQuery(null, Set.of(EscrowStatus.CANCELLED), null, 2);
        EscrowPage first = f.engine.list(q);
        assertThat(first.items()).extracting(EscrowView::id).containsExactlyElementsOf(cancelled.subList(0, 2));
        EscrowPage second = f.engine.list(q.after(first.nextCursor()));
        assertThat(second.items()).extracting(EscrowView::id).containsExactly(cancelled.get(2));
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    @DisplayName("a bad limit or a forged cursor is INVALID_REQUEST")
    void badLimitOrCursor() {
        assertThatThrownBy(() -> EscrowQuery.firstPage(null, 0))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThatThrownBy(() -> new EscrowQuery(null, Set.of(), "-1", 5))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
