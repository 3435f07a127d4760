-- Payment accounts (issue 11): each studio's own merchant at a payment
-- provider (ECPay: MerchantID, HashKey, HashIV). The keys are sealed with
-- the app keyring, bound to the row. PostgreSQL.
-- Keep in step with ../sqlite/00017_payment_accounts.sql.

-- +goose Up
CREATE TABLE payment_accounts (
    workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    provider        TEXT NOT NULL,
    merchant_id     TEXT NOT NULL DEFAULT '',
    hash_key_sealed TEXT NOT NULL DEFAULT '',
    hash_iv_sealed  TEXT NOT NULL DEFAULT '',
    enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);

-- +goose Down
DROP TABLE payment_accounts;
