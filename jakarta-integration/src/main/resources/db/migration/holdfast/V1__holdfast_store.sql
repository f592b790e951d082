-- Holdfast durable store, version 1. Runs unchanged on H2 2.5 and PostgreSQL 15.
-- Times are BIGINT microseconds since the epoch (PostgreSQL keeps microseconds; a number compares the same on every
-- database and JDBC driver, with no time zone in between). Amounts are BIGINT minor units. VARCHAR without a length
-- is unbounded on PostgreSQL and 1 000 000 characters on H2.

-- One row of counters, locked (SELECT ... FOR UPDATE) by every unit of work that appends to a global log. Holding
-- it until commit makes the order of the outbox, audit, journal and escrow positions the commit order, without gaps.
CREATE TABLE holdfast_head (
    id INTEGER NOT NULL PRIMARY KEY,
    escrow_count BIGINT NOT NULL,
    journal_count BIGINT NOT NULL,
    audit_sequence BIGINT NOT NULL,
    audit_hash VARCHAR(64) NOT NULL,
    outbox_sequence BIGINT NOT NULL
);
INSERT INTO holdfast_head (id, escrow_count, journal_count, audit_sequence, audit_hash, outbox_sequence)
VALUES (1, 0, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- One row per escrow stream: its version (locked to append) and its position in creation order.
CREATE TABLE holdfast_escrow (
    escrow_id VARCHAR(200) NOT NULL PRIMARY KEY,
    creation_order BIGINT NOT NULL,
    buyer_id VARCHAR(200),
    seller_id VARCHAR(200),
    stream_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT holdfast_escrow_order_uk UNIQUE (creation_order)
);
CREATE INDEX holdfast_escrow_buyer_ix ON holdfast_escrow (buyer_id, creation_order);
CREATE INDEX holdfast_escrow_seller_ix ON holdfast_escrow (seller_id, creation_order);

CREATE TABLE holdfast_event (
    escrow_id VARCHAR(200) NOT NULL,
    stream_version BIGINT NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    at_micros BIGINT NOT NULL,
    payload VARCHAR NOT NULL,
    CONSTRAINT holdfast_event_pk PRIMARY KEY (escrow_id, stream_version)
);

CREATE TABLE holdfast_journal_entry (
    entry_id VARCHAR(400) NOT NULL PRIMARY KEY,
    journal_order BIGINT NOT NULL,
    at_micros BIGINT NOT NULL,
    subject VARCHAR(400) NOT NULL,
    description VARCHAR,
    reverses VARCHAR(400),
    CONSTRAINT holdfast_journal_order_uk UNIQUE (journal_order)
);
CREATE INDEX holdfast_journal_subject_ix ON holdfast_journal_entry (subject, journal_order);

CREATE TABLE holdfast_posting (
    entry_id VARCHAR(400) NOT NULL,
    line_no INTEGER NOT NULL,
    journal_order BIGINT NOT NULL,
    subject VARCHAR(400) NOT NULL,
    account_type VARCHAR(40) NOT NULL,
    account_owner VARCHAR(400) NOT NULL,
    asset_code VARCHAR(40) NOT NULL,
    asset_scale INTEGER NOT NULL,
    amount_minor BIGINT NOT NULL,
    CONSTRAINT holdfast_posting_pk PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX holdfast_posting_subject_ix ON holdfast_posting (subject, journal_order);

-- Balances kept with every posting, so a balance is one row read and a decision on it can be checked at commit.
CREATE TABLE holdfast_ledger_account (
    account_key VARCHAR(600) NOT NULL PRIMARY KEY,
    account_type VARCHAR(40) NOT NULL,
    account_owner VARCHAR(400) NOT NULL,
    asset_code VARCHAR(40) NOT NULL,
    asset_scale INTEGER NOT NULL,
    balance_minor BIGINT NOT NULL,
    row_version BIGINT NOT NULL
);

CREATE TABLE holdfast_idempotency (
    idempotency_key VARCHAR(200) NOT NULL PRIMARY KEY,
    request_hash VARCHAR(128) NOT NULL,
    completed BOOLEAN NOT NULL,
    result_subject VARCHAR(400),
    result_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE holdfast_timer (
    timer_id VARCHAR(600) NOT NULL PRIMARY KEY,
    escrow_id VARCHAR(200) NOT NULL,
    milestone_id VARCHAR(200),
    timer_kind VARCHAR(40) NOT NULL,
    due_at BIGINT NOT NULL,
    lease_owner VARCHAR(200),
    lease_until BIGINT
);
CREATE INDEX holdfast_timer_due_ix ON holdfast_timer (due_at);
CREATE INDEX holdfast_timer_escrow_ix ON holdfast_timer (escrow_id);

-- EclipseLink reads a value as the end of a block of 50, so the first value is 50, not 1.
CREATE SEQUENCE holdfast_rail_operation_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE holdfast_rail_operation (
    id BIGINT NOT NULL PRIMARY KEY,
    transfer_id VARCHAR(400) NOT NULL,
    rail_id VARCHAR(200) NOT NULL,
    operation_kind VARCHAR(40) NOT NULL,
    status VARCHAR(20) NOT NULL,
    escrow_id VARCHAR(200),
    milestone_id VARCHAR(200),
    party_id VARCHAR(200),
    amount_minor BIGINT,
    amount_asset VARCHAR(40),
    amount_scale INTEGER,
    fee_minor BIGINT,
    fee_asset VARCHAR(40),
    fee_scale INTEGER,
    funding_transfer_id VARCHAR(400),
    destination VARCHAR,
    rail_reference VARCHAR,
    attempts INTEGER NOT NULL,
    next_check_at BIGINT,
    lease_owner VARCHAR(200),
    lease_until BIGINT,
    last_error VARCHAR,
    created_at BIGINT,
    open_check BOOLEAN NOT NULL,
    CONSTRAINT holdfast_rail_operation_uk UNIQUE (transfer_id)
);
CREATE INDEX holdfast_rail_operation_escrow_ix ON holdfast_rail_operation (escrow_id);
CREATE INDEX holdfast_rail_operation_due_ix ON holdfast_rail_operation (open_check, next_check_at);

-- The audit time is kept to the nanosecond: it is part of the hashed text, so a rounded time would break the chain.
CREATE TABLE holdfast_audit (
    audit_sequence BIGINT NOT NULL PRIMARY KEY,
    at_second BIGINT NOT NULL,
    at_nano INTEGER NOT NULL,
    subject VARCHAR(400) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    payload VARCHAR NOT NULL,
    previous_hash VARCHAR(64) NOT NULL,
    entry_hash VARCHAR(64) NOT NULL
);

CREATE TABLE holdfast_outbox (
    outbox_sequence BIGINT NOT NULL PRIMARY KEY,
    event_id VARCHAR(400) NOT NULL,
    subject VARCHAR(400) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    payload VARCHAR NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    delivered BOOLEAN NOT NULL
);
CREATE INDEX holdfast_outbox_subject_ix ON holdfast_outbox (subject, outbox_sequence);

-- Per subject: its oldest undelivered message (the only one a claim may hand out) and the subject's lease.
CREATE TABLE holdfast_outbox_subject (
    subject VARCHAR(400) NOT NULL PRIMARY KEY,
    head_sequence BIGINT,
    head_due_at BIGINT,
    last_sequence BIGINT NOT NULL,
    lease_owner VARCHAR(200),
    lease_until BIGINT
);
CREATE INDEX holdfast_outbox_subject_due_ix ON holdfast_outbox_subject (head_due_at);

CREATE TABLE holdfast_evidence (
    reference VARCHAR(100) NOT NULL PRIMARY KEY,
    media_type VARCHAR(255),
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    content BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
