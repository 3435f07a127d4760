package main

import (
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// stderrIsTerminal: progress is drawn only for a person watching, never
// into a log or a pipe.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newBar(max int64, label string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(max, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(label),
		progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
}

// timedBar shows how much of a timed phase has passed, until stop is called.
func timedBar(label string, dur time.Duration) (stop func()) {
	if !stderrIsTerminal() {
		return func() {}
	}
	bar := newBar(int64(dur/time.Second), label+" (seconds)")
	done, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = bar.Set64(min(int64(time.Since(start)/time.Second), int64(dur/time.Second)))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		_ = bar.Finish()
	}
}

// countBar counts done of max items (nil when nobody watches; its methods
// are then no-ops).
func countBar(max int64, label string) *progressbar.ProgressBar {
	if !stderrIsTerminal() {
		return nil
	}
	return newBar(max, label)
}
