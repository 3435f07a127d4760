-- DaoYue schema, SQLite. Times are BIGINT unix seconds (UTC); booleans 0/1.
-- Keep in step with ../postgres/00001_init.sql.

-- +goose Up
CREATE TABLE workspaces (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    intro      TEXT NOT NULL DEFAULT '',
    time_zone  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE TABLE members (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE practitioners (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    email              TEXT NOT NULL DEFAULT '',
    bio                TEXT NOT NULL DEFAULT '',
    active             BOOLEAN NOT NULL DEFAULT 1,
    default_on_connect BOOLEAN NOT NULL DEFAULT 0,
    weekly             TEXT NOT NULL DEFAULT '[]',
    created_at         BIGINT NOT NULL,
    UNIQUE (workspace_id, id)
);

CREATE TABLE date_overrides (
    workspace_id    TEXT NOT NULL,
    practitioner_id TEXT NOT NULL,
    date            TEXT NOT NULL,
    ranges          TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (practitioner_id, date),
    FOREIGN KEY (workspace_id, practitioner_id) REFERENCES practitioners (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE services (
    id                   TEXT PRIMARY KEY,
    workspace_id         TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    duration_min         INTEGER NOT NULL,
    buffer_before        INTEGER NOT NULL DEFAULT 0,
    buffer_after         INTEGER NOT NULL DEFAULT 0,
    slot_step            INTEGER NOT NULL DEFAULT 0,
    min_notice_min       INTEGER NOT NULL DEFAULT 0,
    horizon_days         INTEGER NOT NULL DEFAULT 0,
    online               BOOLEAN NOT NULL DEFAULT 0,
    online_instructions  TEXT NOT NULL DEFAULT '',
    location             TEXT NOT NULL DEFAULT '',
    price_amount         BIGINT NOT NULL DEFAULT 0,
    price_currency       TEXT NOT NULL DEFAULT '',
    confirmation         TEXT NOT NULL,
    payment              TEXT NOT NULL,
    payment_deadline_min INTEGER NOT NULL DEFAULT 0,
    meeting_host         TEXT NOT NULL,
    designated_host_id   TEXT NOT NULL DEFAULT '',
    active               BOOLEAN NOT NULL DEFAULT 1,
    created_at           BIGINT NOT NULL,
    UNIQUE (workspace_id, id)
);

CREATE TABLE service_practitioners (
    workspace_id    TEXT NOT NULL,
    service_id      TEXT NOT NULL,
    practitioner_id TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (service_id, practitioner_id),
    FOREIGN KEY (workspace_id, service_id) REFERENCES services (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, practitioner_id) REFERENCES practitioners (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX service_practitioners_practitioner ON service_practitioners (practitioner_id);

CREATE TABLE bookings (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service_id        TEXT NOT NULL,
    practitioner_id   TEXT NOT NULL,
    host_id           TEXT NOT NULL DEFAULT '',
    start_at          BIGINT NOT NULL,
    end_at            BIGINT NOT NULL,
    buffer_before     INTEGER NOT NULL DEFAULT 0,
    buffer_after      INTEGER NOT NULL DEFAULT 0,
    online            BOOLEAN NOT NULL DEFAULT 0,
    status            TEXT NOT NULL,
    client_name       TEXT NOT NULL DEFAULT '',
    client_email      TEXT NOT NULL DEFAULT '',
    client_phone      TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL DEFAULT '',
    manage_token_hash TEXT UNIQUE, -- NULL when none
    price_amount      BIGINT NOT NULL DEFAULT 0,
    price_currency    TEXT NOT NULL DEFAULT '',
    payment_status    TEXT NOT NULL DEFAULT '',
    payment_method    TEXT NOT NULL DEFAULT '',
    payment_note      TEXT NOT NULL DEFAULT '',
    paid_at           BIGINT,
    payment_due_at    BIGINT,
    cancel_reason     TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, service_id) REFERENCES services (workspace_id, id),
    FOREIGN KEY (workspace_id, practitioner_id) REFERENCES practitioners (workspace_id, id)
);
CREATE INDEX bookings_workspace_start ON bookings (workspace_id, start_at);
CREATE INDEX bookings_workspace_status ON bookings (workspace_id, status);
CREATE INDEX bookings_status_due ON bookings (status, payment_due_at);

-- A block of a practitioner's time held by a booking (request_id '') or by
-- one of its open reschedule requests. Blocks are at most 48 hours long so
-- that Busy can bound its index scan on both sides.
CREATE TABLE reservations (
    workspace_id    TEXT NOT NULL,
    practitioner_id TEXT NOT NULL,
    booking_id      TEXT NOT NULL,
    request_id      TEXT NOT NULL DEFAULT '',
    block_start     BIGINT NOT NULL,
    block_end       BIGINT NOT NULL,
    PRIMARY KEY (booking_id, request_id),
    CHECK (block_end > block_start AND block_end - block_start <= 172800),
    FOREIGN KEY (workspace_id, practitioner_id) REFERENCES practitioners (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, booking_id) REFERENCES bookings (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX reservations_practitioner_start ON reservations (practitioner_id, block_start);

CREATE TABLE requests (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    booking_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    new_start    BIGINT,
    new_end      BIGINT,
    reason       TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT,
    decided_by   TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (workspace_id, booking_id) REFERENCES bookings (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX requests_booking ON requests (booking_id, status);

CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    workspace_id  TEXT NOT NULL,
    at            BIGINT NOT NULL,
    actor_kind    TEXT NOT NULL,
    actor_user_id TEXT NOT NULL DEFAULT '',
    actor_label   TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL DEFAULT '',
    object_id     TEXT NOT NULL DEFAULT '',
    details       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_workspace ON audit (workspace_id, seq);
CREATE INDEX audit_object ON audit (workspace_id, object_id, seq);

CREATE TABLE auth_tokens (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);
CREATE INDEX auth_tokens_expires ON auth_tokens (expires_at);

-- +goose Down
DROP TABLE auth_tokens;
DROP TABLE audit;
DROP TABLE requests;
DROP TABLE reservations;
DROP TABLE bookings;
DROP TABLE service_practitioners;
DROP TABLE services;
DROP TABLE date_overrides;
DROP TABLE practitioners;
DROP TABLE members;
DROP TABLE users;
DROP TABLE workspaces;
