package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// IsPostgres reports whether url names a PostgreSQL database (see Open).
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// SQLitePath returns the file of a SQLite url (see Open).
func SQLitePath(url string) (string, error) { return sqlitePath(url) }

// LatestVersion is the newest schema version this build knows for dialect
// ("sqlite" or "postgres"): a database at a higher version was written by a
// newer DaoYue and must not be opened by this one.
func LatestVersion(dialect string) (int64, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+dialect)
	if err != nil {
		return 0, fmt.Errorf("store: no migrations for %q: %w", dialect, err)
	}
	var latest int64
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	if latest == 0 {
		return 0, fmt.Errorf("store: no migrations for %q", dialect)
	}
	return latest, nil
}

// requiredTables are tables every DaoYue schema has; a file without them
// is not a DaoYue database.
var requiredTables = []string{"goose_db_version", "workspaces", "users", "bookings"}

// openSQLiteFile opens an existing SQLite file with a single connection.
// Unlike Open it neither creates nor migrates; with readOnly the
// connection cannot change the file (VACUUM INTO needs it writable, though
// it writes only to its target).
func openSQLiteFile(ctx context.Context, path string, readOnly bool) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	dsn := path + "?_pragma=busy_timeout(10000)"
	if readOnly {
		dsn += "&_pragma=query_only(1)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// BackupSQLite writes a consistent copy of the SQLite database named by url
// into dest with VACUUM INTO, which reads one snapshot of the database (a
// read transaction: writers carry on meanwhile in WAL mode) and writes a
// compact new file without free pages. dest must not exist or be empty;
// the caller creates it with the permissions it wants. It returns the
// copy's schema version.
func BackupSQLite(ctx context.Context, url, dest string) (int64, error) {
	path, err := sqlitePath(url)
	if err != nil {
		return 0, err
	}
	db, err := openSQLiteFile(ctx, path, false)
	if err != nil {
		return 0, fmt.Errorf("store: open %s for backup: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return 0, fmt.Errorf("store: back up %s: %w", path, err)
	}
	v, err := CheckSQLiteBackup(ctx, dest)
	if err != nil {
		return 0, fmt.Errorf("store: the copy of %s does not read back: %w", path, err)
	}
	return v, nil
}

// CheckSQLiteBackup checks that the file at path is an intact DaoYue SQLite
// database whose schema this build can open, and returns its version. Its
// errors do not name the file: the caller knows which file it gave.
func CheckSQLiteBackup(ctx context.Context, path string) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	db, err := openSQLiteFile(ctx, path, true)
	if err != nil {
		return 0, fmt.Errorf("not a SQLite database: %w", err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil {
		return 0, fmt.Errorf("not a SQLite database: %w", err)
	}
	if ok != "ok" {
		return 0, fmt.Errorf("damaged SQLite database: %s", ok)
	}
	for _, table := range requiredTables {
		var n int
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("read the SQLite database: %w", err)
		}
		if n == 0 {
			return 0, fmt.Errorf("not a DaoYue database (no %s table)", table)
		}
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	return v.Int64, CheckVersion(SQLite, v.Int64)
}

// CheckVersion refuses a schema version newer than this build's.
func CheckVersion(dialect string, v int64) error {
	latest, err := LatestVersion(dialect)
	if err != nil {
		return err
	}
	if v > latest {
		return fmt.Errorf("schema version %d is newer than this build's %d: use the DaoYue that made it", v, latest)
	}
	if v < 1 {
		return errors.New("no applied schema version")
	}
	return nil
}

// SQLiteInUse reports whether some connection, in this process or
// another, has the SQLite database at path open. It asks SQLite for an
// exclusive lock, which any open WAL-mode connection prevents.
func SQLiteInUse(ctx context.Context, path string) (bool, error) {
	if _, err := os.Stat(path); err != nil {
		return false, err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, "BEGIN EXCLUSIVE; COMMIT")
	if err == nil {
		return false, nil
	}
	if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
		return true, nil
	}
	return false, fmt.Errorf("store: check whether %s is in use: %w", path, err)
}
