package dev.holdfast.core.memory;

import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.tck.store.StoreContractTest;

/** The in-memory store against the store contract. */
class InMemoryStoreContractTest extends StoreContractTest {
    @Override
    protected HoldfastStore newStore() {
        return new InMemoryStore();
    }
}
