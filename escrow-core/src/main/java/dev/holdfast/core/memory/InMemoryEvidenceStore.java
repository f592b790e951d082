package dev.holdfast.core.memory;

import dev.holdfast.spi.EvidenceStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evidence bytes in memory, addressed by their SHA-256 (so storing the same bytes twice keeps one copy, and nothing
 * stored can be overwritten). For tests, demos and a host's test mode. Thread-safe.
 *
 * @since 0.2
 */
public final class InMemoryEvidenceStore implements EvidenceStore {
    private final ConcurrentHashMap<String, byte[]> bytes = new ConcurrentHashMap<>();

    @Override
    public StoredEvidence put(byte[] content, String mediaType) {
        String sha = sha256(content);
        String reference = "mem:" + sha;
        bytes.putIfAbsent(reference, content.clone());
        return new StoredEvidence(reference, mediaType, content.length, sha);
    }

    @Override
    public Optional<byte[]> get(String reference) {
        byte[] b = bytes.get(reference);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    /**
     * @param content bytes
     * @return lowercase hex SHA-256
     */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
