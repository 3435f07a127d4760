-- A studio's catalog version grows with every change to what a booking
-- reads of its services and practitioners: a service, a practitioner's own
-- fields, which practitioners give a service. A booking reads the studio's
-- row anyway; with the version it reuses the services and practitioners it
-- read before (app/catalog.go) instead of reading them again on every
-- submission. Triggers, as for the calendar version (00025): no write path
-- can forget it. A practitioner's calendar-version bump, which every
-- booking makes, is not a catalog change (the WHEN clause), or every
-- booking would write the studio's row.
-- SQLite. Keep in step with ../postgres/00027_catalog_version.sql.

-- +goose Up
ALTER TABLE workspaces ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER services_catalog_insert AFTER INSERT ON services BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER services_catalog_update AFTER UPDATE ON services BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER services_catalog_delete AFTER DELETE ON services BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER service_practitioners_catalog_insert AFTER INSERT ON service_practitioners BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER service_practitioners_catalog_update AFTER UPDATE ON service_practitioners BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER service_practitioners_catalog_delete AFTER DELETE ON service_practitioners BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER practitioners_catalog_insert AFTER INSERT ON practitioners BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER practitioners_catalog_update AFTER UPDATE ON practitioners WHEN OLD.calendar_version = NEW.calendar_version BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER practitioners_catalog_delete AFTER DELETE ON practitioners BEGIN
    UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id IN (OLD.workspace_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER practitioners_catalog_delete;
DROP TRIGGER practitioners_catalog_update;
DROP TRIGGER practitioners_catalog_insert;
DROP TRIGGER service_practitioners_catalog_delete;
DROP TRIGGER service_practitioners_catalog_update;
DROP TRIGGER service_practitioners_catalog_insert;
DROP TRIGGER services_catalog_delete;
DROP TRIGGER services_catalog_update;
DROP TRIGGER services_catalog_insert;
ALTER TABLE workspaces DROP COLUMN catalog_version;
