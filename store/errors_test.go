package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/jackc/pgx/v5/pgconn"
)

// A PostgreSQL that is down, restarting or cut off answers EUNAVAILABLE
// (503 on the web), not an internal error; constraint errors and a caller's
// own cancellation keep their meaning.
func TestMapPostgresErrConnectionLost(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	unavailable := []error{
		refused,
		fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF),
		fmt.Errorf("wrapped: %w", pgconn.ErrConnClosed),
		&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"},
		&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"},
		&pgconn.PgError{Code: "08006", Message: "connection failure"},
	}
	for _, err := range unavailable {
		if got := mapPostgresErr(err); !daoyue.IsCode(got, daoyue.EUNAVAILABLE) {
			t.Errorf("%v: got %v, want %s", err, got, daoyue.EUNAVAILABLE)
		}
	}
	db := &DB{dialect: Postgres, mapErr: mapPostgresErr}
	if got := db.wrap("commit", refused); !daoyue.IsCode(got, daoyue.EUNAVAILABLE) || !errors.Is(got, syscall.ECONNREFUSED) {
		t.Errorf("wrap: got %v", got)
	}
	for _, err := range []error{
		context.Canceled,
		fmt.Errorf("timeout: %w", context.DeadlineExceeded),
		errors.New("syntax error"),
	} {
		if got := mapPostgresErr(err); got != nil {
			t.Errorf("%v: got %v, want no mapping", err, got)
		}
	}
	if got := mapPostgresErr(&pgconn.PgError{Code: "23505"}); !daoyue.IsCode(got, daoyue.ECONFLICT) {
		t.Errorf("unique violation: got %v", got)
	}
}
