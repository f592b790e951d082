package dev.holdfast.jakarta.cdi;

import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.HoldfastStore;
import javax.sql.DataSource;

/** Builds the JPA stores on a DataSource. Plain Java. */
final class HoldfastStores {
    private HoldfastStores() {}

    static HoldfastStore jpaStore(DataSource dataSource, boolean migrate) {
        throw new IllegalStateException(HoldfastConfig.STORE
                + "=jpa needs the JPA store (dev.holdfast.jakarta.persistence), which this build does not have yet;"
                + " set holdfast.store=memory");
    }

    static EvidenceStore jpaEvidenceStore(DataSource dataSource) {
        throw new IllegalStateException(HoldfastConfig.STORE + "=jpa: the JPA evidence store is not in this build");
    }
}
