-- A practitioner's calendar version grows with every change to what makes
-- their busy times and dated hours: reservations and date overrides. The
-- slot cache (app/slotcache.go) keeps a computed month while the versions
-- it was computed from are current, so every instance sees every write.
-- Triggers rather than code: no write path can forget to bump it. A
-- booking's transaction already holds the practitioner's row lock
-- (LockPractitioner), so the bump adds no waiting of its own. They fire
-- once per statement, not per row: PostgreSQL writes a new row version per
-- update, so a statement touching many reservations (a cascade) raises
-- each practitioner's version once rather than once per reservation.
-- PostgreSQL. Keep in step with ../sqlite/00025_calendar_version.sql.

-- +goose Up
ALTER TABLE practitioners ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION bump_calendar_version_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1
    WHERE id IN (SELECT practitioner_id FROM new_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_calendar_version_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1
    WHERE id IN (SELECT practitioner_id FROM old_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_calendar_version_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE practitioners SET calendar_version = calendar_version + 1
    WHERE id IN (SELECT practitioner_id FROM old_rows UNION SELECT practitioner_id FROM new_rows);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER reservations_bump_insert AFTER INSERT ON reservations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_new();
CREATE TRIGGER reservations_bump_delete AFTER DELETE ON reservations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_old();
CREATE TRIGGER reservations_bump_update AFTER UPDATE ON reservations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_both();
CREATE TRIGGER date_overrides_bump_insert AFTER INSERT ON date_overrides
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_new();
CREATE TRIGGER date_overrides_bump_delete AFTER DELETE ON date_overrides
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_old();
CREATE TRIGGER date_overrides_bump_update AFTER UPDATE ON date_overrides
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version_both();

-- +goose Down
DROP TRIGGER date_overrides_bump_update ON date_overrides;
DROP TRIGGER date_overrides_bump_delete ON date_overrides;
DROP TRIGGER date_overrides_bump_insert ON date_overrides;
DROP TRIGGER reservations_bump_update ON reservations;
DROP TRIGGER reservations_bump_delete ON reservations;
DROP TRIGGER reservations_bump_insert ON reservations;
DROP FUNCTION bump_calendar_version_both();
DROP FUNCTION bump_calendar_version_old();
DROP FUNCTION bump_calendar_version_new();
ALTER TABLE practitioners DROP COLUMN calendar_version;
