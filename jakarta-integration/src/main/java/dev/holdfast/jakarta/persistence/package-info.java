/**
 * The engine's durable store on JPA: {@link dev.holdfast.jakarta.persistence.JpaHoldfastStore} and {@link
 * dev.holdfast.jakarta.persistence.JpaEvidenceStore} on the persistence unit {@code holdfast} made by {@link
 * dev.holdfast.jakarta.persistence.HoldfastPersistence}, with the schema from {@link
 * dev.holdfast.jakarta.persistence.HoldfastMigrations} (Flyway, PostgreSQL 15 and H2 2.5).
 *
 * <p>Ports and adapters: this package implements {@code dev.holdfast.spi.HoldfastStore} and {@code EvidenceStore};
 * the entities ({@code *Row}) are package-private mapping details, never part of the API. Several app nodes may
 * share one database; see {@link dev.holdfast.jakarta.persistence.JpaHoldfastStore} for how races end.
 *
 * @since 0.5
 */
package dev.holdfast.jakarta.persistence;
