package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.EvidenceStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence bytes and their metadata in the database (table {@code holdfast_evidence}), addressed by their SHA-256:
 * the reference is {@code jpa:<sha256>}, storing the same bytes twice keeps one row, and a stored row is never
 * changed. Thread-safe.
 *
 * @since 0.5
 */
public final class JpaEvidenceStore implements EvidenceStore {
    private static final String PREFIX = "jpa:";
    private final EntityManagerFactory entityManagerFactory;
    private final Clock clock;

    /** @param entityManagerFactory of the persistence unit {@code holdfast}; the caller closes it */
    public JpaEvidenceStore(EntityManagerFactory entityManagerFactory) {
        this(entityManagerFactory, Clock.systemUTC());
    }

    /**
     * @param entityManagerFactory of the persistence unit {@code holdfast}
     * @param clock stamps when bytes were first stored
     */
    public JpaEvidenceStore(EntityManagerFactory entityManagerFactory, Clock clock) {
        this.entityManagerFactory = Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StoredEvidence put(byte[] content, String mediaType) {
        Objects.requireNonNull(content, "content");
        String sha = sha256(content);
        String reference = PREFIX + sha;
        EntityManager em = entityManagerFactory.createEntityManager();
        try {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                if (em.find(EvidenceRow.class, reference) == null) {
                    EvidenceRow row = new EvidenceRow();
                    row.reference = reference;
                    row.mediaType = mediaType;
                    row.sizeBytes = content.length;
                    row.sha256 = sha;
                    row.content = content.clone();
                    row.createdAt = Micros.of(clock.instant());
                    em.persist(row);
                }
                tx.commit();
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    tx.rollback();
                }
                // the same bytes stored by a racing put: they are there, which is all put promises
                if (Conflicts.translate(e) == null || get(reference).isEmpty()) {
                    throw e;
                }
            }
        } finally {
            em.close();
        }
        return new StoredEvidence(reference, mediaType, content.length, sha);
    }

    @Override
    public Optional<byte[]> get(String reference) {
        if (reference == null || !reference.startsWith(PREFIX)) {
            return Optional.empty();
        }
        EntityManager em = entityManagerFactory.createEntityManager();
        try {
            EvidenceRow row = em.find(EvidenceRow.class, reference);
            return row == null ? Optional.empty() : Optional.of(row.content.clone());
        } finally {
            em.close();
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
