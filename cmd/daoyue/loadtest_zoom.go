package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// The load test with Zoom: the seeded practitioners connected to a Zoom
// simulator in its own process (`daoyue zoomsim --users N`, the server
// started with the DAOYUE_ZOOM_* settings it prints), so every confirmed
// online booking asks for a meeting while the load runs, and the check
// compares the simulator's meetings with the bookings.

// seededStudio is a studio seedStudios made: what connecting its
// practitioners to Zoom needs.
type seededStudio struct {
	number          int // lt{number}
	owner, password string
	practitioners   []string
}

func (s seededStudio) slug() string { return fmt.Sprintf("lt%d", s.number) }

// simState reads the simulator's accounts and live meetings.
func simState(ctx context.Context, c *http.Client, simURL string) (*zoomsim.StateView, error) {
	var v zoomsim.StateView
	if err := getJSON(ctx, c, strings.TrimRight(simURL, "/")+"/sim/state", &v); err != nil {
		return nil, fmt.Errorf("the Zoom simulator's state: %w", err)
	}
	return &v, nil
}

// connectZoom connects practitioner i of studio lt{n} to the simulator's
// account (n-1)*8+i, the way a studio does it, through the server's API as
// the studio's owner: ask for the authorization link, consent in Zoom,
// Zoom sends the browser back to the callback; then Zoom becomes the
// practitioner's default meeting tool.
func connectZoom(ctx context.Context, c *http.Client, base, simURL string, studios []seededStudio, w io.Writer) error {
	st, err := simState(ctx, c, simURL)
	if err != nil {
		return err
	}
	t0 := time.Now()
	noRedirect := &http.Client{Timeout: c.Timeout, Transport: c.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, s := range studios {
		if need := (s.number-1)*8 + len(s.practitioners); need > len(st.Users) {
			return fmt.Errorf("the Zoom simulator has %d accounts; studio %s needs %d (start it with --users %d or more)", len(st.Users), s.slug(), need, need)
		}
		var tok struct {
			Token string `json:"token"`
		}
		if err := apiCall(ctx, c, "", http.MethodPost, base+"/api/v1/auth/token", map[string]string{"email": s.owner, "password": s.password}, &tok); err != nil {
			return fmt.Errorf("sign in as %s's owner: %w", s.slug(), err)
		}
		for i, pid := range s.practitioners {
			pracURL := base + "/api/v1/workspaces/" + s.slug() + "/practitioners/" + pid
			var auth struct {
				URL string `json:"authorize_url"`
			}
			if err := apiCall(ctx, c, tok.Token, http.MethodPost, pracURL+"/zoom/connect", nil, &auth); err != nil {
				return fmt.Errorf("connect Zoom for %s: %w", s.slug(), err)
			}
			back, err := zoomsim.Consent(ctx, auth.URL, st.Users[(s.number-1)*8+i].ID, true)
			if err != nil {
				return fmt.Errorf("consent in the Zoom simulator: %w", err)
			}
			// The callback goes where this tool reaches the server, whatever
			// its DAOYUE_BASE_URL says.
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+back.Path+"?"+back.RawQuery, nil)
			if err != nil {
				return err
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				return fmt.Errorf("the Zoom callback: %w", err)
			}
			resp.Body.Close()
			var p struct {
				Tools struct {
					Zoom struct {
						Status    string `json:"status"`
						IsDefault bool   `json:"is_default"`
					} `json:"zoom"`
				} `json:"meeting_tools"`
			}
			if err := apiCall(ctx, c, tok.Token, http.MethodPost, pracURL+"/zoom/default", nil, &p); err != nil {
				return fmt.Errorf("make Zoom the default for %s (the callback answered %d): %w", s.slug(), resp.StatusCode, err)
			}
			if p.Tools.Zoom.Status != "connected" || !p.Tools.Zoom.IsDefault {
				return fmt.Errorf("%s's practitioner %s: Zoom is %q, default %v after connecting", s.slug(), pid, p.Tools.Zoom.Status, p.Tools.Zoom.IsDefault)
			}
			n++
		}
	}
	fmt.Fprintf(w, "connected %d practitioners to the Zoom simulator's accounts, in %s\n", n, time.Since(t0).Round(time.Millisecond))
	return nil
}

// apiCall sends a JSON API request (body nil: none) and decodes a 200.
func apiCall(ctx context.Context, c *http.Client, token, method, u string, body, into any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s answered %d: %s", method, u, resp.StatusCode, bytes.TrimSpace(b))
	}
	return json.Unmarshal(b, into)
}

// waitMeetingsSettled waits until no booking's meeting is behind its
// booking (the queue has worked every sync asked for), at most limit, and
// says how long that took.
func waitMeetingsSettled(ctx context.Context, db *store.DB, limit time.Duration, w io.Writer) error {
	t0 := time.Now()
	var behind int64
	for {
		if err := db.ReadSQL().QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE meeting_version > meeting_synced_version`).Scan(&behind); err != nil {
			return fmt.Errorf("count the meetings still to sync: %w", err)
		}
		if behind == 0 {
			fmt.Fprintf(w, "meetings: every sync worked %s after the load\n", time.Since(t0).Round(10*time.Millisecond))
			return nil
		}
		if time.Since(t0) > limit {
			return fmt.Errorf("meetings: %d bookings' meetings still to sync after %s", behind, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkMeetings compares the bookings of the practitioners whose default
// meeting tool is the simulator's Zoom with its live meetings: every
// confirmed online booking still to come has its meeting there, at its
// time, for its length, hosted by its practitioner's account; no other
// booking keeps one; and every meeting of those accounts belongs to
// exactly one booking (none created twice), or is named on its booking as
// a create whose answer was lost.
func checkMeetings(ctx context.Context, db *store.DB, c *http.Client, simURL string, w io.Writer) error {
	st, err := simState(ctx, c, simURL)
	if err != nil {
		return err
	}
	// The accounts connected in this database: another database's
	// meetings in a shared simulator are not this one's to judge.
	hosts := map[string]bool{}       // Zoom user id → connected here
	accountOf := map[string]string{} // practitioner id → Zoom user id
	err = eachRow(ctx, db, `SELECT practitioner_id, zoom_user_id FROM zoom_connections`, func(scan func(...any) error) error {
		var p, u string
		if err := scan(&p, &u); err != nil {
			return err
		}
		hosts[u], accountOf[p] = true, u
		return nil
	})
	if err != nil {
		return fmt.Errorf("check meetings: %w", err)
	}
	// A create whose answer never came (a crash, a timeout) may have left a
	// meeting in Zoom; DaoYue names it on the booking for the studio
	// (daoyue.MeetingAttempt) rather than guess. Those are counted apart.
	type attempt struct {
		host, topic string
		start       int64
	}
	named := map[attempt]int{}
	err = eachRow(ctx, db, `SELECT maybe_extra FROM meeting_syncs WHERE maybe_extra <> ''`, func(scan func(...any) error) error {
		var raw string
		if err := scan(&raw); err != nil {
			return err
		}
		var as []daoyue.MeetingAttempt
		if err := json.Unmarshal([]byte(raw), &as); err != nil {
			return err
		}
		for _, a := range as {
			named[attempt{accountOf[a.HostID], a.Topic, a.Start.Unix()}]++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check meetings: %w", err)
	}
	live := map[int64]zoomsim.MeetingView{}
	for _, m := range st.Meetings {
		live[m.ID] = m
	}
	held := map[int64]int{}
	now := time.Now().Unix()
	var wanted, found, missing, wrong, kept int
	var problems []string
	err = eachRow(ctx, db, `SELECT b.id, b.status, b.online, b.start_at, b.end_at, b.meeting_status, b.meeting_zoom_id, z.zoom_user_id
		FROM bookings b JOIN zoom_connections z ON z.practitioner_id = b.host_id AND z.is_default`, func(scan func(...any) error) error {
		var id, status, mstatus, zuser string
		var online bool
		var start, end, zid int64
		if err := scan(&id, &status, &online, &start, &end, &mstatus, &zid, &zuser); err != nil {
			return err
		}
		m, ok := live[zid]
		if ok {
			held[zid]++
		}
		switch {
		case end <= now: // over: Zoom keeps it or not, nothing to say
		case status == "confirmed" && online:
			wanted++
			switch {
			case !ok || mstatus != "created":
				missing++
				problems = append(problems, fmt.Sprintf("booking %s: no meeting in Zoom (meeting %d, %s)", id, zid, mstatus))
			case m.HostID != zuser || m.Start.Unix() != start || int64(m.Duration) != (end-start)/60:
				wrong++
				problems = append(problems, fmt.Sprintf("booking %s: meeting %d hosted by %s at %s for %d min", id, zid, m.HostID, m.Start, m.Duration))
			default:
				found++
			}
		case ok:
			kept++
			problems = append(problems, fmt.Sprintf("booking %s (%s) keeps meeting %d", id, status, zid))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check meetings: %w", err)
	}
	var orphans, extras, shared int
	for _, m := range st.Meetings {
		k := attempt{m.HostID, m.Topic, m.Start.Unix()}
		switch {
		case !hosts[m.HostID]:
		case held[m.ID] == 0 && named[k] > 0:
			named[k]--
			extras++
		case held[m.ID] == 0:
			orphans++
			problems = append(problems, fmt.Sprintf("meeting %d (%s at %s) in Zoom, held by no booking", m.ID, m.Topic, m.Start))
		case held[m.ID] > 1:
			shared++
			problems = append(problems, fmt.Sprintf("meeting %d held by %d bookings", m.ID, held[m.ID]))
		}
	}
	fmt.Fprintf(w, "meetings: %d confirmed online bookings to come of %d practitioners connected to Zoom, %d with their meeting in the simulator; %d without, %d at the wrong time or host, %d kept by other bookings, %d meetings held by no booking and named on none, %d by several; %d extra meetings named on their booking (a create whose answer was lost)\n",
		wanted, len(hosts), found, missing, wrong, kept, orphans, shared, extras)
	if len(problems) > 0 {
		for i, p := range problems {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more\n", len(problems)-i)
				break
			}
			fmt.Fprintln(w, "  "+p)
		}
		return fmt.Errorf("meetings check failed")
	}
	return nil
}

// loopbackURL parses a URL and refuses one that is not of this machine:
// the load test only targets loopback, by design.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a URL", raw)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("loadtest only targets this machine (localhost, 127.0.0.0/8, ::1)")
	}
	return u, nil
}

// eachRow runs a read query and calls f with each row's Scan.
func eachRow(ctx context.Context, db *store.DB, query string, f func(scan func(...any) error) error) error {
	rows, err := db.ReadSQL().QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
