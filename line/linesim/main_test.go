package linesim_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/daoyue/daoyue/line/linesim"
)

func TestMainServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- linesim.Main(ctx, "127.0.0.1:0", linesim.Options{}, &out) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "LINE simulator listening on http://127.0.0.1:") || !strings.Contains(s, "id=2000000001") {
		t.Fatalf("%q", s)
	}
}
