package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeEntry(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuild(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	// Fixed on two release branches; the later fix is what the index says.
	std := `{"id":"GO-2026-0001","modified":"0001-01-01T00:00:00Z","aliases":["CVE-2026-1"],
	  "affected":[{"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[
	    {"introduced":"0"},{"fixed":"1.26.9"},{"introduced":"1.27.0-0"},{"fixed":"1.27.2"}]}]}]}`
	writeEntry(t, src, "GO-2026-0001.json", std)
	// Brought back after its fix: no version is safe for sure.
	writeEntry(t, src, "GO-2026-0002.json", `{"id":"GO-2026-0002","modified":"2026-03-04T05:06:07Z",
	  "affected":[{"package":{"name":"example.com/m","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[
	    {"introduced":"0"},{"fixed":"1.2.0"},{"introduced":"1.5.0"}]}]},
	  {"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`)
	writeEntry(t, src, "README.md", "not an entry")

	snapshot := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st, err := build(src, out, snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if st != (stats{entries: 2, modules: 2}) {
		t.Errorf("stats = %+v", st)
	}

	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := read("index/db.json"), `{"modified":"2026-03-04T05:06:07Z"}`; got != want {
		t.Errorf("db.json = %s, want %s", got, want)
	}
	wantModules := `[{"path":"example.com/m","vulns":[{"id":"GO-2026-0002","modified":"2026-03-04T05:06:07Z"}]},` +
		`{"path":"stdlib","vulns":[{"id":"GO-2026-0001","modified":"0001-01-01T00:00:00Z","fixed":"1.27.2"},` +
		`{"id":"GO-2026-0002","modified":"2026-03-04T05:06:07Z"}]}]`
	if got := read("index/modules.json"); got != wantModules {
		t.Errorf("modules.json =\n%s\nwant\n%s", got, wantModules)
	}
	var vulns []vulnMeta
	if err := json.Unmarshal([]byte(read("index/vulns.json")), &vulns); err != nil {
		t.Fatal(err)
	}
	if len(vulns) != 2 || vulns[0].ID != "GO-2026-0001" || len(vulns[0].Aliases) != 1 {
		t.Errorf("vulns.json = %+v", vulns)
	}
	if got := read("ID/GO-2026-0001.json"); got != std {
		t.Errorf("entry not copied as it was:\n%s", got)
	}
}

func TestBuildSnapshotTime(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	writeEntry(t, src, "GO-2026-0003.json", `{"id":"GO-2026-0003","modified":"0001-01-01T00:00:00Z","affected":[]}`)
	if _, err := build(src, out, time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "index", "db.json"))
	if string(b) != `{"modified":"2026-11-05T23:49:57Z"}` {
		t.Errorf("db.json = %s", b)
	}
}

func TestBuildRefuses(t *testing.T) {
	for name, tc := range map[string]struct{ file, body, want string }{
		"misnamed":  {"GO-2026-0009.json", `{"id":"GO-2026-0008","affected":[]}`, "want <ID>.json"},
		"not JSON":  {"GO-2026-0009.json", `{`, "GO-2026-0009.json"},
		"no module": {"GO-2026-0009.json", `{"id":"GO-2026-0009","affected":[{"package":{}}]}`, "without a name"},
	} {
		t.Run(name, func(t *testing.T) {
			src := t.TempDir()
			writeEntry(t, src, tc.file, tc.body)
			_, err := build(src, t.TempDir(), time.Time{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one that says %q", err, tc.want)
			}
		})
	}
	if _, err := build(t.TempDir(), t.TempDir(), time.Time{}); err == nil {
		t.Error("an empty folder gave a database")
	}
}

func TestLatestFixed(t *testing.T) {
	ev := func(pairs ...string) []osvRange {
		r := osvRange{Type: "SEMVER"}
		for i := 0; i < len(pairs); i += 2 {
			r.Events = append(r.Events, event{Introduced: pairs[i], Fixed: pairs[i+1]})
		}
		return []osvRange{r}
	}
	for _, tc := range []struct {
		ranges []osvRange
		want   string
	}{
		{ev("0", "", "", "1.2.3"), "1.2.3"},
		{ev("0", "", "", "1.10.0", "", "1.9.1"), "1.10.0"}, // by version, not by text
		{ev("0", "", "", "1.2.3", "2.0.0", ""), ""},
		{ev("0", ""), ""},
		{ev("0", "", "", "0.0.0-20230101000000-abcdefabcdef"), "0.0.0-20230101000000-abcdefabcdef"},
		{[]osvRange{{Type: "GIT"}}, ""},
	} {
		if got := latestFixed(tc.ranges); got != tc.want {
			t.Errorf("latestFixed(%+v) = %q, want %q", tc.ranges, got, tc.want)
		}
	}
}
