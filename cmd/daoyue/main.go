// Command daoyue runs the DaoYue booking service and its administration
// commands. `daoyue` alone (or `daoyue serve`) starts the server.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // Asia/Taipei on any machine, with or without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	softMemoryLimit(os.LookupEnv)
	if err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr); err != nil {
		var ce ConfigError
		if errors.As(err, &ce) {
			fmt.Fprintln(os.Stderr, "daoyue:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "daoyue:", err)
		os.Exit(1)
	}
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT says
// otherwise. Without one the heap may grow to twice what is live before a
// collection (GOGC=100): under the load test's submissions and contention,
// with the slot caches full, the process peaked at 152-154 MB; with this
// limit at 139 MB, at no measurable cost in throughput (docs/performance.md,
// part 5). The caches are bounded, so the live heap stays well under it; an
// operator whose instance needs more sets GOMEMLIMIT (README).
const defaultMemoryLimit = 100 << 20

// softMemoryLimit sets defaultMemoryLimit unless GOMEMLIMIT is set.
func softMemoryLimit(lookup func(string) (string, bool)) {
	if _, set := lookup("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

const usage = `daoyue — online booking for small studios, with Zoom meetings made for you.

Usage:
  daoyue [serve]                      start the web server and background work
  daoyue migrate                      apply database migrations and exit
  daoyue workspace create --slug S --name N [--time-zone Asia/Taipei]
  daoyue user create --workspace S --email E --password P [--name N] [--role owner|admin|staff]
  daoyue sandbox reset zoom-review    create or reset the Zoom Marketplace review sandbox
  daoyue backup [--force] FILE        copy the database into FILE while the server runs
                                      (SQLite: VACUUM INTO; PostgreSQL: pg_dump --format=custom)
  daoyue restore [--force] FILE       replace the database with a backup (stop the server first)
  daoyue keys reencrypt               re-encrypt Zoom tokens and manage links under the first DAOYUE_SECRET_KEYS key
  daoyue zoomsim [--addr 127.0.0.1:9090]  run the Zoom simulator alone
  daoyue loadtest [--url http://127.0.0.1:8080] [--rate 100 | --concurrency 16] [--duration 10s]
          [--only page,slots,workspace] [--floor] [--database-url URL [--check]]
                                      read load on a running server's public booking page, with
                                      the floors of the same run (bare net/http, durable inserts)
                                      and a consistency check of the bookings

Configuration is read from DAOYUE_* environment variables (see README.md).
`

// run dispatches a subcommand; it is main without os.Exit, for tests.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		cfg, err := LoadConfig(environ)
		if err != nil {
			return err
		}
		m := &Main{Config: cfg, Stdout: stdout, Stderr: stderr}
		return m.Run(ctx)
	case "migrate":
		return cmdMigrate(ctx, environ, stdout)
	case "workspace":
		return cmdWorkspace(ctx, args, environ, stdout)
	case "user":
		return cmdUser(ctx, args, environ, stdout)
	case "sandbox":
		return cmdSandbox(ctx, args, environ, stdout)
	case "backup":
		return cmdBackup(ctx, args, environ, stdout)
	case "restore":
		return cmdRestore(ctx, args, environ, stdout)
	case "keys":
		return cmdKeys(ctx, args, environ, stdout)
	case "zoomsim":
		return cmdZoomsim(ctx, args, environ, stdout)
	case "loadtest":
		return cmdLoadtest(ctx, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
