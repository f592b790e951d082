package dev.holdfast.spi;

import java.util.Optional;

/**
 * Keeps the bytes of dispute evidence; the engine keeps only their metadata and SHA-256 (in the event and so in the
 * hash-chained audit log). A host puts the bytes first, then submits the returned reference with the evidence; the
 * engine reads the bytes back and checks size and hash before recording them.
 *
 * <p>Contract: {@link #put} computes the SHA-256 itself and never trusts a caller's; stored bytes are never changed
 * (a store that allows overwriting makes the recorded hash the only proof, which is what it is for). Implementations
 * are thread-safe.
 *
 * @since 0.2
 */
public interface EvidenceStore {

    /**
     * Stores bytes.
     *
     * @param content the bytes
     * @param mediaType their media type
     * @return the reference, size and SHA-256 the store computed
     */
    StoredEvidence put(byte[] content, String mediaType);

    /**
     * @param reference what {@link #put} returned
     * @return a copy of the bytes, if stored
     */
    Optional<byte[]> get(String reference);

    /**
     * What {@link EvidenceStore#put} stored. Immutable and thread-safe.
     *
     * @param reference where the bytes are
     * @param mediaType their media type
     * @param size their length
     * @param sha256 lowercase hex SHA-256 computed by the store
     */
    record StoredEvidence(String reference, String mediaType, long size, String sha256) {}
}
