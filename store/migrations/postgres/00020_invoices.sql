-- Invoices (issue 11): a booking's ECPay B2C e-invoice (電子發票): the
-- client's choice made at booking, then what ECPay answered; the invoice
-- job issues and voids them with retries. PostgreSQL.
-- Keep in step with ../sqlite/00020_invoices.sql.

-- +goose Up
CREATE TABLE invoices (
    workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    booking_id      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    carrier         TEXT NOT NULL DEFAULT '',
    love_code       TEXT NOT NULL DEFAULT '',
    business_id     TEXT NOT NULL DEFAULT '',
    company_name    TEXT NOT NULL DEFAULT '',
    company_addr    TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    relate_number   TEXT NOT NULL DEFAULT '',
    amount          BIGINT NOT NULL DEFAULT 0,
    number          TEXT NOT NULL DEFAULT '',
    random_number   TEXT NOT NULL DEFAULT '',
    issued_at       BIGINT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    error           TEXT NOT NULL DEFAULT '',
    error_kind      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, booking_id)
);
CREATE INDEX invoices_due ON invoices (state, next_attempt_at);

-- +goose Down
DROP INDEX invoices_due;
DROP TABLE invoices;
