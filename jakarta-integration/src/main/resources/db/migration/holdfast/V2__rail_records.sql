-- Rail records (dev.holdfast.spi.RailRecords): the small documents rail adapters keep per transfer id (what they
-- opened or sent on the rail), so a restarted node still knows its in-flight rail transfers. Plain SQL valid on H2 2.x
-- and PostgreSQL 15; owned by dev.holdfast.jakarta.persistence.JdbcRailRecords (JDBC, not JPA).

CREATE TABLE holdfast_rail_record (
    rail_id        VARCHAR(200) NOT NULL,
    record_key     VARCHAR(200) NOT NULL,
    -- the adapter's own encoding (RailDocument text); opaque to the plugin
    document       VARCHAR      NOT NULL,
    -- 1 when inserted, one more at each update: updates name the version they read
    record_version BIGINT       NOT NULL,
    CONSTRAINT holdfast_rail_record_pk PRIMARY KEY (rail_id, record_key)
);

-- Secondary look-ups (funding:<id>, hash:<hash>, unresolved): replaced with the record at each update.
CREATE TABLE holdfast_rail_record_tag (
    rail_id    VARCHAR(200) NOT NULL,
    tag        VARCHAR(200) NOT NULL,
    record_key VARCHAR(200) NOT NULL,
    CONSTRAINT holdfast_rail_record_tag_pk PRIMARY KEY (rail_id, tag, record_key),
    CONSTRAINT holdfast_rail_record_tag_fk FOREIGN KEY (rail_id, record_key)
        REFERENCES holdfast_rail_record (rail_id, record_key) ON DELETE CASCADE
);
CREATE INDEX holdfast_rail_record_tag_key_ix ON holdfast_rail_record_tag (rail_id, record_key);
