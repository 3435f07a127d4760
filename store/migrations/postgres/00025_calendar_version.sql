-- A practitioner's calendar version grows with every change to what makes
-- their busy times and dated hours: reservations and date overrides. The
-- slot cache (app/slotcache.go) keeps a computed month while the versions
-- it was computed from are current, so every instance sees every write.
-- Triggers rather than code: no write path can forget to bump it. A
-- booking's transaction already holds the practitioner's row lock
-- (LockPractitioner), so the bump adds no waiting of its own.
-- PostgreSQL. Keep in step with ../sqlite/00025_calendar_version.sql.

-- +goose Up
ALTER TABLE practitioners ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION bump_calendar_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = OLD.practitioner_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.practitioner_id <> OLD.practitioner_id) THEN
        UPDATE practitioners SET calendar_version = calendar_version + 1 WHERE id = NEW.practitioner_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER reservations_bump AFTER INSERT OR UPDATE OR DELETE ON reservations
    FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
CREATE TRIGGER date_overrides_bump AFTER INSERT OR UPDATE OR DELETE ON date_overrides
    FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();

-- +goose Down
DROP TRIGGER date_overrides_bump ON date_overrides;
DROP TRIGGER reservations_bump ON reservations;
DROP FUNCTION bump_calendar_version();
ALTER TABLE practitioners DROP COLUMN calendar_version;
