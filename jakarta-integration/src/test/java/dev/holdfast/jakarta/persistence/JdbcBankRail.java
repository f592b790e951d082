package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A bank that keeps its books in its own PostgreSQL database: every transfer is a row, idempotent by transfer id, and
 * queries answer by transfer id, so an engine that lost an answer (or died before recording it) can find the truth.
 * Fundings succeed at once; payouts are booked and succeed. Thread-safe (a connection per call).
 */
final class JdbcBankRail implements PaymentRail {
    static final RailId ID = RailId.of("bank");

    private final String url;
    private final String user;
    private final String password;

    JdbcBankRail(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Creates the bank's table. */
    void createBooks() {
        try (Connection c = connect()) {
            c.createStatement()
                    .execute(
                            "CREATE TABLE bank_transfer (transfer_id VARCHAR(400) PRIMARY KEY, kind VARCHAR(20) NOT NULL,"
                                    + " escrow_id VARCHAR(200), destination VARCHAR(2000), amount_minor BIGINT NOT NULL,"
                                    + " asset VARCHAR(20) NOT NULL, reference VARCHAR(100) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many transfers of that kind the bank booked for the escrow */
    int transfers(String kind, String escrowId) {
        try (Connection c = connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM bank_transfer WHERE kind = ? AND escrow_id = ?")) {
            s.setString(1, kind);
            s.setString(2, escrowId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public RailId id() {
        return ID;
    }

    @Override
    public RailCapabilities capabilities() {
        return new RailCapabilities(
                List.of(new AssetLimits(Asset.USD, 1, 1_000_000_000L)), null, true, true, false, true);
    }

    @Override
    public RailResult openFunding(FundingRequest request) {
        String reference =
                book(request.transferId(), "FUNDING", request.escrowId().value(), null, request.amount());
        return RailResult.succeeded(reference, null);
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        return RailResult.failed(new RailError(RailError.ALREADY_SETTLED, "the bank settles fundings at once"));
    }

    @Override
    public RailResult payout(PayoutRequest request) {
        String reference = book(
                request.transferId(),
                "PAYOUT",
                request.escrowId() == null ? null : request.escrowId().value(),
                request.destination().toString(),
                request.amount());
        return RailResult.succeeded(reference, Money.zero(request.amount().asset()));
    }

    @Override
    public RailResult query(TransferId transferId) {
        try (Connection c = connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT kind, reference, asset FROM bank_transfer WHERE transfer_id = ?")) {
            s.setString(1, transferId.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return RailResult.failed(new RailError(RailError.NOT_FOUND, "the bank never saw " + transferId));
                }
                Money fee = rs.getString(1).equals("PAYOUT") ? Money.zero(Asset.USD) : null;
                return RailResult.succeeded(rs.getString(2), fee);
            }
        } catch (SQLException e) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, e.getMessage()));
        }
    }

    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        return RailResult.failed(new RailError("UNSUPPORTED", "the bank needs no signatures"));
    }

    @Override
    public void setListener(RailListener listener) {
        // the bank answers every call at once; it has nothing to tell later
    }

    /** Books a transfer once: a second call with the same transfer id finds the first booking. */
    private String book(TransferId transferId, String kind, String escrowId, String destination, Money amount) {
        String reference = "bank-" + transferId.value();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("INSERT INTO bank_transfer VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (transfer_id) DO NOTHING")) {
            s.setString(1, transferId.value());
            s.setString(2, kind);
            s.setString(3, escrowId);
            s.setString(4, destination);
            s.setLong(5, amount.minor());
            s.setString(6, amount.asset().code());
            s.setString(7, reference);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the bank is down", e);
        }
        return reference;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
