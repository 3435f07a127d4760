package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// backupFixture is a studio made through the app in the database at url,
// with one booking whose manage-link secret is sealed under keys.
type backupFixture struct {
	db      *store.DB
	a       *app.App
	keys    string // DAOYUE_SECRET_KEYS
	ws      *daoyue.Workspace
	booked  *app.Booked
	stopped chan struct{}
	written []string // slugs of the workspaces the writer created, in order
	mu      sync.Mutex
}

func seedForBackup(t *testing.T, dbURL string) *backupFixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &backupFixture{db: db, keys: secret.NewSpec("k1")}
	kr, err := secret.Parse(f.keys)
	if err != nil {
		t.Fatal(err)
	}
	f.a = app.New(db, logging.Discard())
	f.a.Keys = kr
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	f.a.Now = func() time.Time { return now }
	st, err := demo.Create(ctx, f.a, "lotus", "蓮花工作室", "owner@lotus.test", "correct-horse-1")
	if err != nil {
		t.Fatal(err)
	}
	f.ws = st.Workspace
	taipei, _ := time.LoadLocation("Asia/Taipei")
	f.booked, err = f.a.Book(ctx, "lotus", app.BookInput{ServiceID: st.InPerson.ID, PractitionerID: st.Lin.ID,
		Start:  time.Date(2026, 3, 4, 10, 0, 0, 0, taipei),
		Client: daoyue.Client{Name: "王小明", Email: "ming@example.com", Phone: "+886 912-345-678"}, Note: "膝蓋舊傷"})
	if err != nil {
		t.Fatal(err)
	}
	if f.booked.Booking.ManageTokenSealed == "" || f.booked.ManageToken == "" {
		t.Fatal("the booking has no sealed manage link; the test would prove nothing about keys")
	}
	return f
}

// write creates workspaces one after another until stop is closed: the
// server's writes going on while the backup runs.
func (f *backupFixture) write(t *testing.T, stop <-chan struct{}) {
	f.stopped = make(chan struct{})
	go func() {
		defer close(f.stopped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			slug := fmt.Sprintf("w%d-%s", i, rndHex(3))
			if err := f.a.CreateWorkspace(context.Background(), &daoyue.Workspace{Slug: slug, Name: "Studio " + slug}); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			f.mu.Lock()
			f.written = append(f.written, slug)
			f.mu.Unlock()
		}
	}()
}

func (f *backupFixture) writtenSoFar() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.written)
}

func rndHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func runCmd(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, env, &out, &out)
	return out.String(), err
}

// roundTrip backs up the fixture's database while it is written to,
// restores the backup into restoreURL and checks what came back; then it
// backs up again once writes have stopped, restores over the first
// restore with --force and compares every row of every table.
func roundTrip(t *testing.T, f *backupFixture, srcURL, restoreURL string, restoreArgs ...string) {
	ctx := context.Background()
	dir := t.TempDir()
	srcEnv := []string{"DAOYUE_DATABASE_URL=" + srcURL, "DAOYUE_DATA_DIR=" + dir, "DAOYUE_SECRET_KEYS=" + f.keys}
	dstEnv := []string{"DAOYUE_DATABASE_URL=" + restoreURL, "DAOYUE_DATA_DIR=" + dir, "DAOYUE_SECRET_KEYS=" + f.keys}

	stop := make(chan struct{})
	f.write(t, stop)
	for len(f.writtenSoFar()) < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	before := f.writtenSoFar()
	file := filepath.Join(dir, "daoyue.backup")
	out, err := runCmd(t, srcEnv, "backup", file)
	after := f.writtenSoFar()
	close(stop)
	<-f.stopped
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if !strings.Contains(out, "wrote "+file) || !strings.Contains(out, "schema version") {
		t.Errorf("backup output: %s", out)
	}
	if len(after) == len(before) {
		t.Log("no write happened during the backup (a fast backup); consistency is still checked")
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("backup folder holds more than the backup: %v", entries)
	}
	if out, err := runCmd(t, srcEnv, "backup", file); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("backup over an existing file: %v\n%s", err, out)
	}

	if out, err := runCmd(t, dstEnv, append([]string{"restore"}, append(restoreArgs, file)...)...); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	restored, err := store.Open(ctx, restoreURL)
	if err != nil {
		t.Fatal(err)
	}
	// Every workspace committed before the backup started is there, and
	// the writer's workspaces that are there are a prefix of its writes:
	// one consistent snapshot.
	var slugs []string
	rows, err := restored.SQL().QueryContext(ctx, "SELECT slug FROM workspaces WHERE slug LIKE 'w%-%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, s)
	}
	rows.Close()
	if len(slugs) < len(before) || len(slugs) > len(after) {
		t.Errorf("backup holds %d of the writer's workspaces; %d were written before it started, %d when it ended", len(slugs), len(before), len(after))
	}
	for _, s := range after[:min(len(slugs), len(after))] {
		if !slices.Contains(slugs, s) {
			t.Errorf("workspace %s is missing while a later one is there: not a snapshot", s)
		}
	}
	checkRestoredBooking(t, f, restored)
	restored.Close()

	// Quiet now: a second backup must hold exactly the source's rows.
	file2 := filepath.Join(dir, "daoyue-2.backup")
	if out, err := runCmd(t, srcEnv, "backup", file2); err != nil {
		t.Fatalf("second backup: %v\n%s", err, out)
	}
	if out, err := runCmd(t, dstEnv, "restore", "--force", file2); err != nil {
		t.Fatalf("restore over the first restore: %v\n%s", err, out)
	}
	restored, err = store.Open(ctx, restoreURL)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	want, got := allRows(t, f.db), allRows(t, restored)
	if len(want) < 10 {
		t.Fatalf("only %d tables read from the source", len(want))
	}
	for table, rows := range want {
		if !reflect.DeepEqual(rows, got[table]) {
			t.Errorf("table %s: source has %d rows, restored %d (or they differ)", table, len(rows), len(got[table]))
		}
	}
	if wsRows := want["workspaces"]; len(wsRows) < len(after) {
		t.Errorf("source lists %d workspaces; the comparison is empty", len(wsRows))
	}
	checkRestoredBooking(t, f, restored)
}

// checkRestoredBooking finds the booking with its client's details, and
// its sealed manage link opens with the studio's key and not with another.
func checkRestoredBooking(t *testing.T, f *backupFixture, restored *store.DB) {
	t.Helper()
	ctx := context.Background()
	var got *daoyue.Booking
	err := restored.View(ctx, func(tx daoyue.Tx) error {
		var err error
		got, err = tx.Booking(ctx, f.ws.ID, f.booked.Booking.ID)
		return err
	})
	if err != nil {
		t.Fatalf("restored booking: %v", err)
	}
	if got.Client != f.booked.Booking.Client || got.Note != "膝蓋舊傷" || !got.Start.Equal(f.booked.Booking.Start) {
		t.Errorf("restored booking %+v differs from %+v", got, f.booked.Booking)
	}
	aad := "bookings/" + got.ID + "/manage_token"
	kr, _ := secret.Parse(f.keys)
	plain, err := kr.Decrypt(got.ManageTokenSealed, aad)
	if err != nil || string(plain) != f.booked.ManageToken {
		t.Errorf("the restored manage link does not open with DAOYUE_SECRET_KEYS: %v", err)
	}
	other, _ := secret.Parse(secret.NewSpec("k1")) // same id, another key
	if _, err := other.Decrypt(got.ManageTokenSealed, aad); err == nil {
		t.Error("the restored manage link opens with another key")
	}
	if got.ManageTokenHash != daoyue.HashToken(f.booked.ManageToken) {
		t.Error("the manage link's hash did not survive: the client's link would not find the booking")
	}
}

// allRows reads every table of DaoYue's schema as sorted text rows.
func allRows(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var tables []string
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.SQL().QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

func TestBackupRoundTripSQLite(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "daoyue.db")
	f := seedForBackup(t, src)
	roundTrip(t, f, src, filepath.Join(t.TempDir(), "restored", "daoyue.db"))
}

func TestBackupRoundTripPostgres(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skip(storetest.PostgresEnv + " is not set")
	}
	src, dst := freshDatabase(t, base), freshDatabase(t, base)
	f := seedForBackup(t, src)
	// Restoring into PostgreSQL always replaces tables: --force, even into
	// an empty database.
	dir := t.TempDir()
	file := filepath.Join(dir, "x.backup")
	if out, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + src, "DAOYUE_DATA_DIR=" + dir}, "backup", file); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + dst, "DAOYUE_DATA_DIR=" + dir}, "restore", file); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore without --force: %v", err)
	}
	roundTrip(t, f, src, dst, "--force")

	// A database at a newer schema than the backup's keeps tables that
	// --clean would not drop: refused.
	ddb, err := sql.Open("pgx", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer ddb.Close()
	if _, err := ddb.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + dst, "DAOYUE_DATA_DIR=" + dir}, "restore", "--force", file); err == nil || !strings.Contains(err.Error(), "schema version 9999") {
		t.Fatalf("restore over a newer schema: %v", err)
	}
	// A SQLite backup is no PostgreSQL archive.
	sqliteFile := filepath.Join(dir, "sqlite.backup")
	if out, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + filepath.Join(dir, "s.db"), "DAOYUE_DATA_DIR=" + dir}, "migrate"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + filepath.Join(dir, "s.db"), "DAOYUE_DATA_DIR=" + dir}, "backup", sqliteFile); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := runCmd(t, []string{"DAOYUE_DATABASE_URL=" + src, "DAOYUE_DATA_DIR=" + dir}, "restore", "--force", sqliteFile); err == nil || !strings.Contains(err.Error(), "not a pg_dump") {
		t.Fatalf("restore of a SQLite backup into PostgreSQL: %v", err)
	}
}

// freshDatabase creates a database of its own for the test (pg_dump works
// on whole databases) and returns its url.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "daoyue_bk_" + rndHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Restore refuses what is not a DaoYue backup, a backup from a newer
// DaoYue, replacing a database without --force, and a database in use.
func TestBackupRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "daoyue.db")
	f := seedForBackup(t, src)
	env := []string{"DAOYUE_DATABASE_URL=" + src, "DAOYUE_DATA_DIR=" + dir}
	good := filepath.Join(dir, "good.backup")
	if out, err := runCmd(t, env, "backup", good); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}

	target := filepath.Join(dir, "restored.db")
	tenv := []string{"DAOYUE_DATABASE_URL=" + target, "DAOYUE_DATA_DIR=" + dir}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database at all, just some words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.sqlite")
	odb, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := odb.Exec("CREATE TABLE notes (body TEXT)"); err != nil {
		t.Fatal(err)
	}
	odb.Close()
	newer := filepath.Join(dir, "newer.backup")
	if err := copyInto(mustCreate(t, newer), good); err != nil {
		t.Fatal(err)
	}
	ndb, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ndb.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)"); err != nil {
		t.Fatal(err)
	}
	ndb.Close()
	for _, c := range []struct{ file, want string }{
		{text, "not a SQLite database"},
		{other, "not a DaoYue database"},
		{newer, "newer than this build"},
		{filepath.Join(dir, "missing.backup"), "no such file"},
	} {
		out, err := runCmd(t, tenv, "restore", c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("restore %s: got %v, want %q\n%s", filepath.Base(c.file), err, c.want, out)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("a refused restore of %s created the database", filepath.Base(c.file))
		}
	}

	// The database in use by the fixture's store: refused even with
	// --force; without --force, refused for existing.
	if _, err := runCmd(t, env, "restore", good); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database without --force: %v", err)
	}
	if _, err := runCmd(t, env, "restore", "--force", good); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over a database in use: %v", err)
	}
	// Once closed, --force replaces it; the writes made after the backup
	// are gone.
	if err := f.a.CreateWorkspace(ctx, &daoyue.Workspace{Slug: "after-backup", Name: "After"}); err != nil {
		t.Fatal(err)
	}
	f.db.Close()
	if out, err := runCmd(t, env, "restore", "--force", good); err != nil {
		t.Fatalf("restore --force: %v\n%s", err, out)
	}
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceBySlug(ctx, "after-backup")
		return err
	})
	if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		t.Errorf("the workspace made after the backup: %v, want not found", err)
	}
	checkRestoredBooking(t, f, db)
	if info, err := os.Stat(src); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("restored database file: %v %v", info, err)
	}
}

func mustCreate(t *testing.T, path string) string {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
