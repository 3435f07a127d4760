-- A studio's catalog version grows with every change to what a booking
-- reads of its services and practitioners: a service, a practitioner's own
-- fields, which practitioners give a service. A booking reads the studio's
-- row anyway; with the version it reuses the services and practitioners it
-- read before (app/catalog.go) instead of reading them again on every
-- submission. Triggers, as for the calendar version (00025): no write path
-- can forget it. A practitioner's calendar-version bump, which every
-- booking makes, is not a catalog change (the WHEN clause), or every
-- booking would write the studio's row.
-- PostgreSQL. Keep in step with ../sqlite/00027_catalog_version.sql.

-- +goose Up
ALTER TABLE workspaces ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION bump_catalog_version_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1
    WHERE id IN (SELECT workspace_id FROM new_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_catalog_version_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1
    WHERE id IN (SELECT workspace_id FROM old_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_catalog_version_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id, NEW.workspace_id);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER services_catalog_insert AFTER INSERT ON services
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_new();
CREATE TRIGGER services_catalog_update AFTER UPDATE ON services
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_new();
CREATE TRIGGER services_catalog_delete AFTER DELETE ON services
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_old();
CREATE TRIGGER service_practitioners_catalog_insert AFTER INSERT ON service_practitioners
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_new();
CREATE TRIGGER service_practitioners_catalog_update AFTER UPDATE ON service_practitioners
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_new();
CREATE TRIGGER service_practitioners_catalog_delete AFTER DELETE ON service_practitioners
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_old();
CREATE TRIGGER practitioners_catalog_insert AFTER INSERT ON practitioners
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_new();
CREATE TRIGGER practitioners_catalog_delete AFTER DELETE ON practitioners
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version_old();
-- Per row, for its WHEN: a statement-level trigger cannot look at the rows.
CREATE TRIGGER practitioners_catalog_update AFTER UPDATE ON practitioners
    FOR EACH ROW WHEN (OLD.calendar_version = NEW.calendar_version) EXECUTE FUNCTION bump_catalog_version_row();

-- +goose Down
DROP TRIGGER practitioners_catalog_update ON practitioners;
DROP TRIGGER practitioners_catalog_delete ON practitioners;
DROP TRIGGER practitioners_catalog_insert ON practitioners;
DROP TRIGGER service_practitioners_catalog_delete ON service_practitioners;
DROP TRIGGER service_practitioners_catalog_update ON service_practitioners;
DROP TRIGGER service_practitioners_catalog_insert ON service_practitioners;
DROP TRIGGER services_catalog_delete ON services;
DROP TRIGGER services_catalog_update ON services;
DROP TRIGGER services_catalog_insert ON services;
DROP FUNCTION bump_catalog_version_row();
DROP FUNCTION bump_catalog_version_old();
DROP FUNCTION bump_catalog_version_new();
ALTER TABLE workspaces DROP COLUMN catalog_version;
