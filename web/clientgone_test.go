package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/internal/testenv"
)

// stalledStore's reads wait until their request is given up and then fail
// with the cancellation, as the real store's do ("store: begin: context
// canceled").
type stalledStore struct {
	daoyue.Store
	entered chan struct{}
}

func (s stalledStore) View(ctx context.Context, _ func(daoyue.Tx) error) error {
	select {
	case s.entered <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return fmt.Errorf("store: begin: %w", ctx.Err())
}

// A visitor who leaves before the answer (closes the tab, gives up) is no
// server error: nothing is logged as one, and the request is counted as
// 499, apart from the 500s an operator must look at.
func TestClientGoneIsNoError(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, e *pageEnv) {
		logs := &testenv.SyncBuffer{}
		log := slog.New(slog.NewTextHandler(logs, nil))
		st := stalledStore{Store: e.db, entered: make(chan struct{}, 1)}
		e.ts.Config.Handler = New(Config{App: app.New(st, log), Store: e.db, Log: log, BaseURL: e.ts.URL})
		for path, route := range map[string]string{"/w/studio-a": "GET /w/{slug}", "/api/v1/public/workspaces/studio-a": "GET /api/v1/public/workspaces/{slug}"} {
			ctx, cancel := context.WithCancel(context.Background())
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			select {
			case <-st.entered:
			case <-time.After(10 * time.Second):
				t.Fatalf("%s never read the store", path)
			}
			cancel()
			if err := <-done; err == nil {
				t.Fatalf("%s answered after the client gave up", path)
			}
			want := `route="` + route + `" status=499`
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), want); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no %s in the log:\n%s", want, logs.String())
				}
			}
		}
		if strings.Contains(logs.String(), "level=ERROR") {
			t.Errorf("a client that went away was logged as an error:\n%s", logs.String())
		}
	})
}
