package dev.holdfast.jakarta.webhooks;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The webhook tables over plain JDBC. Every method is its own transaction; only {@link #claimDue} holds row locks,
 * and only while it sets the lease. Thread-safe.
 */
@ApplicationScoped
public class WebhookRepository {
    private static final String UNIQUE_VIOLATION = "23505"; // the same SQLState on H2 and PostgreSQL
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String ENDPOINT_COLUMNS = "id, url, event_types, description, enabled, secret_sealed, "
            + "previous_secret_sealed, previous_secret_until, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "id, endpoint_id, event_id, event_sequence, event_type, subject, "
            + "body, status, attempts, next_attempt_at, retry_from, last_status, last_error, delivered_at, created_at";

    private DataSource dataSource;

    /** For the CDI proxy. */
    protected WebhookRepository() {}

    /** @param dataSource the database holding the {@code holdfast_webhook_*} tables */
    @Inject
    public WebhookRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // --- endpoints

    void insertEndpoint(StoredEndpoint e) {
        update(
                "INSERT INTO holdfast_webhook_endpoint (" + ENDPOINT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(),
                e.endpoint().url(),
                String.join(",", e.endpoint().eventTypes()),
                e.endpoint().description(),
                e.endpoint().enabled(),
                e.secretSealed(),
                e.previousSecretSealed(),
                e.endpoint().previousSecretUntil(),
                e.endpoint().createdAt(),
                e.endpoint().updatedAt());
    }

    Optional<StoredEndpoint> findEndpoint(String id) {
        return query(
                        "SELECT " + ENDPOINT_COLUMNS + " FROM holdfast_webhook_endpoint WHERE id = ?",
                        rs -> endpoint(rs),
                        id)
                .stream()
                .findFirst();
    }

    List<StoredEndpoint> listEndpoints() {
        return query(
                "SELECT " + ENDPOINT_COLUMNS + " FROM holdfast_webhook_endpoint ORDER BY created_at, id",
                WebhookRepository::endpoint);
    }

    List<StoredEndpoint> enabledEndpoints() {
        return query(
                "SELECT " + ENDPOINT_COLUMNS + " FROM holdfast_webhook_endpoint WHERE enabled = ? ORDER BY id",
                WebhookRepository::endpoint,
                true);
    }

    boolean setEnabled(String id, boolean enabled, Instant now) {
        return update("UPDATE holdfast_webhook_endpoint SET enabled = ?, updated_at = ? WHERE id = ?", enabled, now, id)
                == 1;
    }

    boolean deleteEndpoint(String id) {
        return update("DELETE FROM holdfast_webhook_endpoint WHERE id = ?", id) == 1;
    }

    boolean rotateSecret(String id, String newSealed, String previousSealed, Instant previousUntil, Instant now) {
        return update(
                        "UPDATE holdfast_webhook_endpoint SET secret_sealed = ?, previous_secret_sealed = ?, "
                                + "previous_secret_until = ?, updated_at = ? WHERE id = ?",
                        newSealed,
                        previousSealed,
                        previousUntil,
                        now,
                        id)
                == 1;
    }

    // --- deliveries

    /**
     * @param d a new delivery
     * @return true when inserted, false when this endpoint already has a delivery of this event
     */
    boolean insertDeliveryIfAbsent(WebhookDelivery d) {
        // A plain insert in its own transaction: the unique (endpoint, event) constraint settles duplicates and
        // races between nodes alike; a deleted endpoint (foreign key) means there is nothing to deliver.
        try {
            update(
                    "INSERT INTO holdfast_webhook_delivery (" + DELIVERY_COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    d.id(),
                    d.endpointId(),
                    d.eventId(),
                    d.eventSequence(),
                    d.eventType(),
                    d.subject(),
                    d.body(),
                    d.status().name(),
                    d.attempts(),
                    d.nextAttemptAt(),
                    d.retryFrom(),
                    d.lastStatus(),
                    d.lastError(),
                    d.deliveredAt(),
                    d.createdAt());
            return true;
        } catch (EscrowException e) {
            if (e.getCause() instanceof SQLException sql
                    && (UNIQUE_VIOLATION.equals(sql.getSQLState())
                            || FOREIGN_KEY_VIOLATION.equals(sql.getSQLState()))) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Claims pending deliveries that are due and not leased by a live lease: one short transaction that locks the
     * rows it reads ({@code FOR UPDATE SKIP LOCKED}, so concurrent claimers pass over each other's rows instead of
     * waiting), counts the attempt and sets the lease.
     *
     * @param now the time
     * @param limit at most this many
     * @param owner the claiming node
     * @param leaseUntil the lease lapses then
     * @return the claimed deliveries, attempts already counted
     */
    List<WebhookDelivery> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<WebhookDelivery> due = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS
                        + " FROM holdfast_webhook_delivery WHERE status = ? AND next_attempt_at <= ?"
                        + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id"
                        + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED")) {
                    bind(ps, DeliveryStatus.PENDING.name(), now, now, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.add(delivery(rs));
                        }
                    }
                }
                List<WebhookDelivery> claimed = new ArrayList<>(due.size());
                try (PreparedStatement ps = c.prepareStatement("UPDATE holdfast_webhook_delivery"
                        + " SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?")) {
                    for (WebhookDelivery d : due) {
                        bind(ps, owner, leaseUntil, d.id());
                        ps.executeUpdate();
                        claimed.add(new WebhookDelivery(
                                d.id(),
                                d.endpointId(),
                                d.eventId(),
                                d.eventSequence(),
                                d.eventType(),
                                d.subject(),
                                d.body(),
                                d.status(),
                                d.attempts() + 1,
                                d.nextAttemptAt(),
                                d.retryFrom(),
                                d.lastStatus(),
                                d.lastError(),
                                d.deliveredAt(),
                                d.createdAt()));
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Logs an attempt and moves the delivery on, in one transaction. The delivery's state changes only while this
     * node still holds the lease; the attempt is logged either way, because the POST did happen.
     *
     * @param attempt the attempt
     * @param owner the node that claimed it
     * @param status the delivery's new status
     * @param nextAttemptAt the next attempt, when still pending
     * @param deliveredAt when delivered, or {@code null}
     */
    void recordAttempt(
            DeliveryAttempt attempt, String owner, DeliveryStatus status, Instant nextAttemptAt, Instant deliveredAt) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO holdfast_webhook_attempt (delivery_id,"
                                + " attempt, attempted_at, node, http_status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    bind(
                            ps,
                            attempt.deliveryId(),
                            attempt.attempt(),
                            attempt.attemptedAt(),
                            attempt.node(),
                            attempt.httpStatus(),
                            truncate(attempt.error()),
                            attempt.durationMillis());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE holdfast_webhook_delivery SET status = ?,"
                        + " next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?,"
                        + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
                    bind(
                            ps,
                            status.name(),
                            nextAttemptAt,
                            attempt.httpStatus(),
                            truncate(attempt.error()),
                            deliveredAt,
                            attempt.deliveryId(),
                            owner);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState()) || FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                // the same attempt number was logged by a node whose lease had lapsed (keep the first), or the
                // endpoint was deleted with its deliveries meanwhile
                return;
            }
            throw unavailable(e);
        }
    }

    Optional<WebhookDelivery> findDelivery(String endpointId, String deliveryId) {
        return query(
                        "SELECT " + DELIVERY_COLUMNS
                                + " FROM holdfast_webhook_delivery WHERE id = ? AND endpoint_id = ?",
                        WebhookRepository::delivery,
                        deliveryId,
                        endpointId)
                .stream()
                .findFirst();
    }

    List<WebhookDelivery> listDeliveries(String endpointId, long afterSequence, int limit) {
        return query(
                "SELECT " + DELIVERY_COLUMNS + " FROM holdfast_webhook_delivery WHERE endpoint_id = ?"
                        + " AND event_sequence > ? ORDER BY event_sequence, id FETCH FIRST ? ROWS ONLY",
                WebhookRepository::delivery,
                endpointId,
                afterSequence,
                limit);
    }

    List<DeliveryAttempt> attempts(String deliveryId) {
        return query(
                "SELECT delivery_id, attempt, attempted_at, node, http_status, error, duration_ms"
                        + " FROM holdfast_webhook_attempt WHERE delivery_id = ? ORDER BY attempt",
                rs -> new DeliveryAttempt(
                        rs.getString(1),
                        rs.getInt(2),
                        instant(rs, 3),
                        rs.getString(4),
                        (Integer) rs.getObject(5, Integer.class),
                        rs.getString(6),
                        rs.getLong(7)),
                deliveryId);
    }

    /**
     * Re-arms a delivery for an attempt now, with a fresh retry window; whatever its status was.
     *
     * @return true when the delivery exists
     */
    boolean rearm(String endpointId, String deliveryId, Instant now) {
        return update(
                        "UPDATE holdfast_webhook_delivery SET status = ?, next_attempt_at = ?, retry_from = ?,"
                                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND endpoint_id = ?",
                        DeliveryStatus.PENDING.name(),
                        now,
                        now,
                        deliveryId,
                        endpointId)
                == 1;
    }

    // --- plumbing

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int index = i + 1;
            if (a instanceof Instant t) {
                ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (a == null) {
                ps.setNull(index, Types.NULL);
            } else {
                ps.setObject(index, a);
            }
        }
    }

    private static StoredEndpoint endpoint(ResultSet rs) throws SQLException {
        String types = rs.getString(3);
        return new StoredEndpoint(
                new WebhookEndpoint(
                        rs.getString(1),
                        rs.getString(2),
                        types.isEmpty() ? List.of() : Arrays.asList(types.split(",")),
                        rs.getString(4),
                        rs.getBoolean(5),
                        instant(rs, 9),
                        instant(rs, 10),
                        instant(rs, 8)),
                rs.getString(6),
                rs.getString(7));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                DeliveryStatus.valueOf(rs.getString(8)),
                rs.getInt(9),
                instant(rs, 10),
                instant(rs, 11),
                (Integer) rs.getObject(12, Integer.class),
                rs.getString(13),
                instant(rs, 14),
                instant(rs, 15));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private static EscrowException unavailable(SQLException e) {
        // the SQL state and vendor message only: statements never carry secrets in clear, but keep it short
        return new EscrowException(ErrorCode.STORE_UNAVAILABLE, e, "webhook tables: " + e.getSQLState());
    }
}
