package testenv

import (
	"bytes"
	"regexp"
	"sync"
)

// SyncBuffer collects output written from several goroutines (a logger, a
// server, a child process) while a test reads it. The zero value is ready
// to use.
type SyncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	watches []watch
}

type watch struct {
	re *regexp.Regexp
	c  chan []string
}

// Write appends p and fires the watches that now match.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	s.fire()
	return n, err
}

// String is everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Watch returns a channel that receives, once, re's first match in what
// was written (the whole match and its submatches, as
// FindStringSubmatch), whether it was written already or arrives later.
func (s *SyncBuffer) Watch(re *regexp.Regexp) <-chan []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(chan []string, 1)
	s.watches = append(s.watches, watch{re: re, c: c})
	s.fire()
	return c
}

// fire sends each matching watch its match and forgets it; s.mu is held.
func (s *SyncBuffer) fire() {
	if len(s.watches) == 0 {
		return
	}
	text := s.b.String()
	kept := s.watches[:0]
	for _, w := range s.watches {
		if m := w.re.FindStringSubmatch(text); m != nil {
			w.c <- m
			continue
		}
		kept = append(kept, w)
	}
	s.watches = kept
}
