-- Studio sign-ups waiting for their email to be verified: nothing else
-- exists until the link is used. Only the hash of the link's secret is
-- stored; the password is a bcrypt hash.
-- PostgreSQL. Keep in step with ../sqlite/00008_signups.sql.

-- +goose Up
CREATE TABLE signups (
    hash          TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL,
    studio_name   TEXT NOT NULL,
    slug          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    language      TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX signups_expires ON signups (expires_at);

-- +goose Down
DROP TABLE signups;
