-- Outbound webhooks: endpoints, one delivery per endpoint and event, and the log of every attempt.
-- Plain SQL valid on H2 2.x and PostgreSQL 15; owned by dev.holdfast.jakarta.webhooks (JDBC, not JPA).

CREATE TABLE holdfast_webhook_endpoint (
    id                     VARCHAR(64)              NOT NULL PRIMARY KEY,
    url                    VARCHAR(2048)            NOT NULL,
    -- comma-separated event types; empty means every type
    event_types            VARCHAR(4000)            NOT NULL,
    description            VARCHAR(500)             NOT NULL,
    enabled                BOOLEAN                  NOT NULL,
    -- AES-256-GCM sealed (SecretCipher), never the plain secret
    secret_sealed          VARCHAR(512)             NOT NULL,
    previous_secret_sealed VARCHAR(512),
    previous_secret_until  TIMESTAMP WITH TIME ZONE,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE holdfast_webhook_delivery (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    endpoint_id     VARCHAR(64)              NOT NULL REFERENCES holdfast_webhook_endpoint (id) ON DELETE CASCADE,
    event_id        VARCHAR(200)             NOT NULL,
    event_sequence  BIGINT                   NOT NULL,
    event_type      VARCHAR(200)             NOT NULL,
    subject         VARCHAR(200)             NOT NULL,
    -- the exact bytes POSTed (UTF-8 JSON), fixed at fan-out so every retry sends the same body
    body            VARCHAR(1000000)         NOT NULL,
    -- PENDING, DELIVERED or FAILED
    status          VARCHAR(16)              NOT NULL,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- start of the current retry window (creation, or the last manual redelivery)
    retry_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner     VARCHAR(200),
    lease_until     TIMESTAMP WITH TIME ZONE,
    last_status     INTEGER,
    last_error      VARCHAR(1000),
    delivered_at    TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT holdfast_webhook_delivery_once UNIQUE (endpoint_id, event_id)
);

CREATE INDEX holdfast_webhook_delivery_due ON holdfast_webhook_delivery (status, next_attempt_at);
CREATE INDEX holdfast_webhook_delivery_endpoint ON holdfast_webhook_delivery (endpoint_id, created_at);

CREATE TABLE holdfast_webhook_attempt (
    delivery_id  VARCHAR(64)              NOT NULL REFERENCES holdfast_webhook_delivery (id) ON DELETE CASCADE,
    attempt      INTEGER                  NOT NULL,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    node         VARCHAR(200)             NOT NULL,
    http_status  INTEGER,
    error        VARCHAR(1000),
    duration_ms  BIGINT                   NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
