package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// faultChildEnv makes the test binary run `daoyue serve` instead of the
// tests: the fault test starts, kills and restarts servers as processes
// of this very binary.
const faultChildEnv = "FAULTTEST_SERVE_CHILD" // not DAOYUE_: serve refuses unknown DAOYUE_ variables

func TestMain(m *testing.M) {
	if os.Getenv(faultChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, []string{"serve"}, os.Environ(), os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "daoyue:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
