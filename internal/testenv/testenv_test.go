package testenv_test

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store/storetest"
)

func TestSyncBuffer(t *testing.T) {
	t.Parallel()
	var b testenv.SyncBuffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Fprintf(&b, "line %d\n", i)
		}()
	}
	wg.Wait()
	if n := len(regexp.MustCompile(`(?m)^line \d$`).FindAllString(b.String(), -1)); n != 8 {
		t.Fatalf("%d whole lines, want 8:\n%s", n, b.String())
	}

	// A watch fires on what is there already, and on what comes later.
	already := b.Watch(regexp.MustCompile(`line (7)`))
	later := b.Watch(regexp.MustCompile(`(?m)^Open: (\S+)$`))
	select {
	case m := <-already:
		if m[1] != "7" {
			t.Errorf("match %q", m)
		}
	default:
		t.Error("a watch on text already written did not fire")
	}
	select {
	case m := <-later:
		t.Fatalf("fired before the text was written: %q", m)
	default:
	}
	fmt.Fprint(&b, "Open: http://127.0.0.1:1234\n")
	select {
	case m := <-later:
		if m[1] != "http://127.0.0.1:1234" {
			t.Errorf("match %q", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watch did not fire")
	}
}

func TestEnv(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)
	e := testenv.New(t, storetest.NewSQLite(t), testenv.Options{Start: t0, Zoom: true})
	if !e.App.Now().Equal(t0) {
		t.Errorf("app time %v, want the clock's %v", e.App.Now(), t0)
	}
	e.Clock.Advance(time.Hour)
	if !e.App.Now().Equal(t0.Add(time.Hour)) {
		t.Errorf("the app does not follow the clock: %v", e.App.Now())
	}
	if e.App.Zoom == nil || e.Sim == nil || e.ZoomLin.ID == "" || e.ZoomChen.ID == "" {
		t.Fatal("Zoom: true gave no simulator or no Zoom client")
	}
	st := e.Studio("studio", "測試工作室", "owner@studio.test", "correct-horse-1")
	a := daoyue.ActorFrom(e.As("owner@studio.test"))
	if a.Kind != daoyue.ActorMember || a.Label != "owner@studio.test" || st.Workspace.Slug != "studio" {
		t.Errorf("studio %q, actor %+v", st.Workspace.Slug, a)
	}
	e.App.Log.Info("hello from the app")
	if !regexp.MustCompile(`"msg":"hello from the app"`).MatchString(e.Logs.String()) {
		t.Errorf("the app's log did not reach Logs: %s", e.Logs.String())
	}

	plain := testenv.New(t, storetest.NewSQLite(t), testenv.Options{Start: t0})
	if plain.App.Zoom != nil || plain.Sim != nil {
		t.Error("without Zoom: true the app has Zoom")
	}
}
