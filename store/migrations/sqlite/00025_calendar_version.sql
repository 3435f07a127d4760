-- A practitioner's calendar version grows with every change to what makes
-- their busy times and dated hours: reservations and date overrides. The
-- slot cache (app/slotcache.go) keeps a computed month while the versions
-- it was computed from are current, so every instance sees every write.
-- Triggers rather than code: no write path can forget to bump it.
-- SQLite. Keep in step with ../postgres/00025_calendar_version.sql.

-- +goose Up
ALTER TABLE practitioners ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER reservations_bump_insert AFTER INSERT ON reservations BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = NEW.practitioner_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reservations_bump_update AFTER UPDATE ON reservations BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id IN (OLD.practitioner_id, NEW.practitioner_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reservations_bump_delete AFTER DELETE ON reservations BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = OLD.practitioner_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER date_overrides_bump_insert AFTER INSERT ON date_overrides BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = NEW.practitioner_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER date_overrides_bump_update AFTER UPDATE ON date_overrides BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id IN (OLD.practitioner_id, NEW.practitioner_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER date_overrides_bump_delete AFTER DELETE ON date_overrides BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = OLD.practitioner_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER date_overrides_bump_delete;
DROP TRIGGER date_overrides_bump_update;
DROP TRIGGER date_overrides_bump_insert;
DROP TRIGGER reservations_bump_delete;
DROP TRIGGER reservations_bump_update;
DROP TRIGGER reservations_bump_insert;
ALTER TABLE practitioners DROP COLUMN calendar_version;
