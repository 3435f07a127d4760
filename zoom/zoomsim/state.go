package zoomsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// The simulator's lasting state (users' grants and tokens, meetings, daily
// counts) can be kept in a file, Options.StateFile, so that a development
// server restarted with `go run` finds its practitioners still connected and
// their meetings still there. Consent requests and authorization codes live
// minutes and are not kept. The file is rewritten after every request that
// may change the state (any method but GET and HEAD), through a temporary
// file renamed over the old one, so a crash leaves either the old state or
// the new, never half of one.

type savedState struct {
	Version  int            `json:"version"`
	Grants   []savedGrant   `json:"grants"`
	Meetings []savedMeeting `json:"meetings"`
	Daily    map[string]int `json:"daily,omitempty"`
}

type savedGrant struct {
	UserID  string       `json:"user_id"`
	Scopes  []string     `json:"scopes"`
	Revoked bool         `json:"revoked,omitempty"`
	Access  []savedToken `json:"access,omitempty"`
	Refresh []savedToken `json:"refresh,omitempty"`
}

type savedToken struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used,omitempty"`
}

type savedMeeting struct {
	Meeting
	EncPwd  string `json:"enc_pwd"`
	StartZK string `json:"start_zak"`
	Deleted bool   `json:"deleted,omitempty"`
}

// snapshotLocked copies the lasting state; s.mu is held.
func (s *Sim) snapshotLocked() savedState {
	st := savedState{Version: 1, Daily: map[string]int{}}
	idx := map[*grant]int{}
	for _, g := range s.grants {
		idx[g] = len(st.Grants)
		st.Grants = append(st.Grants, savedGrant{UserID: g.userID, Scopes: slices.Clone(g.scopes), Revoked: g.revoked})
	}
	now := s.now()
	for tok, t := range s.access {
		if i, ok := idx[t.g]; ok && now.Before(t.expires) {
			st.Grants[i].Access = append(st.Grants[i].Access, savedToken{Token: tok, Expires: t.expires})
		}
	}
	for tok, t := range s.refresh {
		if i, ok := idx[t.g]; ok && now.Before(t.expires) {
			st.Grants[i].Refresh = append(st.Grants[i].Refresh, savedToken{Token: tok, Expires: t.expires, Used: t.used})
		}
	}
	for i := range st.Grants {
		slices.SortFunc(st.Grants[i].Access, func(a, b savedToken) int { return a.Expires.Compare(b.Expires) })
		slices.SortFunc(st.Grants[i].Refresh, func(a, b savedToken) int { return a.Expires.Compare(b.Expires) })
	}
	for _, m := range s.meetings {
		st.Meetings = append(st.Meetings, savedMeeting{Meeting: *m, EncPwd: m.encPwd, StartZK: m.startZK, Deleted: m.deleted})
	}
	slices.SortFunc(st.Meetings, func(a, b savedMeeting) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	today := dailyKey("", now)
	for k, n := range s.daily {
		if len(k) >= len(today) && k[len(k)-len(today):] == today {
			st.Daily[k] = n
		}
	}
	return st
}

// restoreLocked replaces the lasting state; s.mu is held.
func (s *Sim) restoreLocked(st savedState) {
	s.grants, s.access, s.refresh = nil, map[string]*accessToken{}, map[string]*refreshToken{}
	for _, sg := range st.Grants {
		g := &grant{userID: sg.UserID, scopes: slices.Clone(sg.Scopes), revoked: sg.Revoked}
		s.grants = append(s.grants, g)
		for _, t := range sg.Access {
			s.access[t.Token] = &accessToken{g: g, expires: t.Expires}
		}
		for _, t := range sg.Refresh {
			s.refresh[t.Token] = &refreshToken{g: g, expires: t.Expires, used: t.Used}
		}
	}
	s.meetings = map[int64]*Meeting{}
	for _, sm := range st.Meetings {
		m := sm.Meeting
		m.encPwd, m.startZK, m.deleted = sm.EncPwd, sm.StartZK, sm.Deleted
		s.meetings[m.ID] = &m
	}
	s.daily = map[string]int{}
	for k, n := range st.Daily {
		s.daily[k] = n
	}
}

// loadState reads Options.StateFile; a missing file is an empty state.
func (s *Sim) loadState() error {
	b, err := os.ReadFile(s.opts.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("zoomsim: read state: %w", err)
	}
	var st savedState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("zoomsim: state file %s: %w", s.opts.StateFile, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restoreLocked(st)
	return nil
}

// SaveState writes the lasting state to Options.StateFile (a no-op without
// one): a temporary file in the same folder, synced, then renamed over the
// old file.
func (s *Sim) SaveState() error {
	path := s.opts.StateFile
	if path == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	st := s.snapshotLocked()
	s.mu.Unlock()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if string(b) == s.saved {
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	s.saved = string(b)
	return nil
}
