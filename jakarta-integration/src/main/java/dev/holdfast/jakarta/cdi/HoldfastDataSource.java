package dev.holdfast.jakarta.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Looks the DataSource up by {@code holdfast.datasource} (a JNDI name such as {@code jdbc/holdfast}, or a {@code
 * java:} name), once. A host that has its DataSource as a CDI bean replaces this bean with an {@code @Alternative}.
 */
@ApplicationScoped
public class HoldfastDataSource {
    @Inject
    HoldfastConfig config;

    private volatile DataSource dataSource;

    /**
     * @return the DataSource
     * @throws IllegalStateException naming the JNDI name when it is not bound
     */
    public DataSource get() {
        DataSource ds = dataSource;
        if (ds == null) {
            try {
                ds = InitialContext.doLookup(config.dataSource());
            } catch (NamingException e) {
                throw new IllegalStateException(
                        HoldfastConfig.DATASOURCE + ": no DataSource bound at '" + config.dataSource() + "'", e);
            }
            dataSource = ds;
        }
        return ds;
    }
}
