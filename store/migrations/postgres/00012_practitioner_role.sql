-- The practitioner role: a member (and an invitation) linked to one
-- practitioner. PostgreSQL. Keep in step with ../sqlite/00012_practitioner_role.sql.

-- +goose Up
ALTER TABLE members ADD COLUMN practitioner_id TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN practitioner_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE invitations DROP COLUMN practitioner_id;
ALTER TABLE members DROP COLUMN practitioner_id;
