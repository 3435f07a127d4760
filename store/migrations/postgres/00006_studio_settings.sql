-- Studio settings: the contact (Reply-To of client emails, shown on the
-- public page), payment instructions for manual payment, and the logo.
-- PostgreSQL. Keep in step with ../sqlite/00006_studio_settings.sql.

-- +goose Up
ALTER TABLE workspaces ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN payment_instructions TEXT NOT NULL DEFAULT '';
-- A short hash of the logo's bytes ('' for none): the logo's URL carries it.
ALTER TABLE workspaces ADD COLUMN logo_version TEXT NOT NULL DEFAULT '';

-- The image apart from the workspace row, so the row every request reads
-- stays small. At most 200 KB (checked by the app).
CREATE TABLE workspace_logos (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- The address a client's answer goes to, as it was when the message was
-- composed ('' for none).
ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN reply_to;
DROP TABLE workspace_logos;
ALTER TABLE workspaces DROP COLUMN logo_version;
ALTER TABLE workspaces DROP COLUMN payment_instructions;
ALTER TABLE workspaces DROP COLUMN contact_phone;
ALTER TABLE workspaces DROP COLUMN contact_email;
