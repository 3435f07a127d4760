package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
)

// The documented commands, printed when pg_dump or pg_restore is missing.
const (
	pgDumpCommand    = `pg_dump --format=custom --file=FILE "$DAOYUE_DATABASE_URL"`
	pgRestoreCommand = `pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DAOYUE_DATABASE_URL" FILE`
)

// cmdBackup writes a copy of the configured database into a new file:
// SQLite's VACUUM INTO while the server runs, or pg_dump's custom format.
func cmdBackup(ctx context.Context, args, environ []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace FILE if it exists")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: daoyue backup [--force] FILE")
	}
	dest := fs.Arg(0)
	cfg, err := LoadConfig(environ)
	if err != nil {
		return err
	}
	if !*force {
		if _, err := os.Stat(dest); err == nil {
			return fmt.Errorf("backup: %s exists; pass --force to replace it", dest)
		}
	}
	// The copy is made in a new file next to dest, readable by its owner
	// only, and renamed into place when complete: an interrupted backup
	// never leaves a truncated FILE behind.
	tmp, err := createTemp(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer removeSQLiteFiles(tmp)

	var (
		version int64
		dialect string
	)
	if store.IsPostgres(cfg.DatabaseURL) {
		dialect = store.Postgres
		if err := pgDump(ctx, cfg.DatabaseURL, tmp); err != nil {
			return err
		}
		if version, err = checkPgBackup(ctx, tmp); err != nil {
			return fmt.Errorf("backup: the dump does not read back: %w", err)
		}
	} else {
		dialect = store.SQLite
		path, err := store.SQLitePath(cfg.DatabaseURL)
		if err != nil {
			return err
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("backup: no database at %s: %w", path, err)
		}
		if version, err = store.BackupSQLite(ctx, cfg.DatabaseURL, tmp); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	info, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %s backup, %d bytes, schema version %d\n", dest, dialect, info.Size(), version)
	key := "DAOYUE_SECRET_KEYS"
	if cfg.SecretKeys == "" {
		key = "the key in " + filepath.Join(cfg.DataDir, secret.DevKeyFile) + " (development: DAOYUE_SECRET_KEYS is unset)"
	}
	fmt.Fprintf(stdout, "Zoom tokens, manage links and invitations in it open only with %s: keep that key, stored apart from the backup.\n", key)
	fmt.Fprintln(stdout, "Client names, emails, phone numbers and notes are in clear: protect the file like the database.")
	return nil
}

// cmdRestore replaces the configured database with a backup.
func cmdRestore(ctx context.Context, args, environ []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace the existing database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: daoyue restore [--force] FILE")
	}
	src := fs.Arg(0)
	cfg, err := LoadConfig(environ)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if store.IsPostgres(cfg.DatabaseURL) {
		return restorePostgres(ctx, cfg.DatabaseURL, src, *force, stdout)
	}
	return restoreSQLite(ctx, cfg.DatabaseURL, src, *force, stdout)
}

func restoreSQLite(ctx context.Context, dbURL, src string, force bool, stdout io.Writer) error {
	target, err := store.SQLitePath(dbURL)
	if err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		if !force {
			return fmt.Errorf("restore: %s exists; pass --force to replace it (stop the server first)", target)
		}
		inUse, err := store.SQLiteInUse(ctx, target)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if inUse {
			return fmt.Errorf("restore: %s is in use: stop the server (and any other daoyue command) first", target)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// Copy next to the target, check the copy (not the original, which
	// may sit on read-only media), then rename it into place.
	tmp, err := createTemp(target)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer removeSQLiteFiles(tmp)
	if err := copyInto(tmp, src); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	version, err := store.CheckSQLiteBackup(ctx, tmp)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", src, err)
	}
	for _, p := range []string{tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		_ = os.Remove(p) // left by the check, if any
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// A -wal left by the replaced database would be replayed into the
	// restored one: remove it and its index before the rename.
	for _, stale := range []string{target + "-wal", target + "-shm", target + "-journal"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s (schema version %d)\n", src, target, version)
	printVersionNote(stdout, store.SQLite, version)
	return nil
}

func restorePostgres(ctx context.Context, dbURL, src string, force bool, stdout io.Writer) error {
	if !force {
		return errors.New("restore: restoring into PostgreSQL replaces DaoYue's tables in DAOYUE_DATABASE_URL; stop every instance, then pass --force")
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return fmt.Errorf("restore: pg_restore is not on PATH; install the PostgreSQL client tools (the server's major version or newer), or run:\n  %s", pgRestoreCommand)
	}
	version, err := checkPgBackup(ctx, src)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", src, err)
	}
	conn, env, err := libpqConn(dbURL)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// --clean drops only what the archive holds: tables a newer schema
	// added would stay and break the next migration. Refuse that.
	current, err := pgCurrentVersion(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if current > version {
		return fmt.Errorf("restore: the database is at schema version %d, the backup at %d: restoring would leave the newer tables behind; restore into an empty database (createdb) and point DAOYUE_DATABASE_URL at it", current, version)
	}
	cmd := exec.CommandContext(ctx, bin, "--clean", "--if-exists", "--no-owner", "--no-privileges",
		"--single-transaction", "--exit-on-error", "--dbname="+conn, src)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("restore: pg_restore: %w\n%s", err, bytes.TrimSpace(out))
	}
	fmt.Fprintf(stdout, "restored %s into the PostgreSQL database (schema version %d)\n", src, version)
	printVersionNote(stdout, store.Postgres, version)
	return nil
}

// pgCurrentVersion is the schema version of the database at dbURL, 0 for
// a database without DaoYue's tables.
func pgCurrentVersion(ctx context.Context, dbURL string) (int64, error) {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT to_regclass('goose_db_version') IS NOT NULL").Scan(&exists); err != nil {
		return 0, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the database's schema version: %w", err)
	}
	return v.Int64, nil
}

func printVersionNote(stdout io.Writer, dialect string, version int64) {
	if latest, err := store.LatestVersion(dialect); err == nil && version < latest {
		fmt.Fprintf(stdout, "this build's schema is at version %d: the next start (or `daoyue migrate`) upgrades the restored database\n", latest)
	}
}

// pgDump runs pg_dump in its custom format into dest (an existing, empty
// file, so it keeps its 0600 mode).
func pgDump(ctx context.Context, dbURL, dest string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("backup: pg_dump is not on PATH; install the PostgreSQL client tools (the server's major version or newer), or run:\n  %s", pgDumpCommand)
	}
	conn, env, err := libpqConn(dbURL)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--file="+dest, "--dbname="+conn)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("backup: pg_dump: %w\n%s", err, bytes.TrimSpace(out))
	}
	return nil
}

// libpqParams are the url parameters pg_dump and pg_restore understand;
// others (pgx's own) are left out.
var libpqParams = map[string]bool{
	"sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslpassword": true, "sslcrl": true,
	"sslsni": true, "connect_timeout": true, "application_name": true, "target_session_attrs": true,
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "options": true,
	"service": true, "passfile": true, "channel_binding": true, "gssencmode": true, "krbsrvname": true,
	"requirepeer": true, "keepalives": true, "keepalives_idle": true, "keepalives_interval": true,
	"keepalives_count": true, "tcp_user_timeout": true,
}

// libpqConn turns DAOYUE_DATABASE_URL into a connection string for the
// PostgreSQL tools, with the password moved into PGPASSWORD so that it does
// not show in the process list.
func libpqConn(dbURL string) (string, []string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", nil, fmt.Errorf("DAOYUE_DATABASE_URL: %w", err)
	}
	var env []string
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	if q.Has("search_path") {
		return "", nil, errors.New("DAOYUE_DATABASE_URL sets search_path: pg_dump and pg_restore work on whole databases; give DaoYue a database of its own, or run pg_dump --schema yourself")
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, nil
}

// checkPgBackup checks that file is a pg_dump archive of a DaoYue database
// this build can open, and returns its schema version, read from the
// archived goose_db_version rows.
func checkPgBackup(ctx context.Context, file string) (int64, error) {
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return 0, errors.New("pg_restore is not on PATH: cannot read the archive")
	}
	toc, err := exec.CommandContext(ctx, bin, "--list", file).Output()
	if err != nil {
		return 0, fmt.Errorf("not a pg_dump custom-format archive: %w", err)
	}
	for _, table := range []string{"goose_db_version", "workspaces", "users", "bookings"} {
		if !tocHasTable(string(toc), table) {
			return 0, fmt.Errorf("not a DaoYue database (no %s table)", table)
		}
	}
	data, err := exec.CommandContext(ctx, bin, "--data-only", "--table=goose_db_version", "--file=-", file).Output()
	if err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	v, err := gooseVersionFromCopy(data)
	if err != nil {
		return 0, err
	}
	return v, store.CheckVersion(store.Postgres, v)
}

// tocHasTable finds "TABLE schema name owner" in pg_restore --list output.
func tocHasTable(toc, table string) bool {
	for _, line := range strings.Split(toc, "\n") {
		if strings.HasPrefix(line, ";") {
			continue
		}
		f := strings.Fields(line)
		for i := 0; i+2 < len(f); i++ {
			if f[i] == "TABLE" && (i == 0 || f[i-1] != "DATA") && f[i+2] == table {
				return true
			}
		}
	}
	return false
}

// gooseVersionFromCopy reads the highest applied version_id from the COPY
// block pg_restore prints for goose_db_version.
func gooseVersionFromCopy(sqlText []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(sqlText))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var cols []string
	in := false
	var latest int64 = -1
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !in && strings.HasPrefix(line, "COPY ") && strings.Contains(line, "goose_db_version"):
			open, close := strings.Index(line, "("), strings.Index(line, ")")
			if open < 0 || close < open {
				return 0, errors.New("unexpected COPY line for goose_db_version")
			}
			for _, c := range strings.Split(line[open+1:close], ",") {
				cols = append(cols, strings.TrimSpace(c))
			}
			in = true
		case in && line == `\.`:
			in = false
		case in:
			f := strings.Split(line, "\t")
			if len(f) != len(cols) {
				return 0, errors.New("unexpected goose_db_version row")
			}
			var v int64
			applied := true
			for i, c := range cols {
				switch c {
				case "version_id":
					n, err := strconv.ParseInt(f[i], 10, 64)
					if err != nil {
						return 0, fmt.Errorf("goose_db_version: %w", err)
					}
					v = n
				case "is_applied":
					applied = f[i] == "t"
				}
			}
			if applied && v > latest {
				latest = v
			}
		}
	}
	if latest < 0 {
		return 0, errors.New("no schema version in the archive")
	}
	return latest, sc.Err()
}

// createTemp creates an empty file readable by its owner only in the
// folder of path, to be renamed onto path.
func createTemp(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	return name, f.Close()
}

// copyInto copies src into the existing file dst.
func copyInto(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeSQLiteFiles removes a file with SQLite's companions, ignoring any
// that do not exist (a renamed temp file is gone already).
func removeSQLiteFiles(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		_ = os.Remove(p)
	}
}
