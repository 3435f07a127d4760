// Command vulndb makes the Go vulnerability database that govulncheck reads
// with -db file://DIR, from the golang.org/x/vulndb module as the Go module
// proxy serves it (the hosted database cannot be reached from here).
//
// The module holds one OSV entry per report in data/osv/<ID>.json. govulncheck
// wants the database's v1 layout: index/db.json (when it was last changed),
// index/modules.json (each module with its vulnerabilities and the version
// that fixes each), index/vulns.json and ID/<ID>.json. This command downloads
// the module with `go mod download`, writes that layout once per module
// version under -cache, removes the older versions there, and prints the
// database's folder:
//
//	db=$(go run ./tools/vulndb)
//	go run golang.org/x/vuln/cmd/govulncheck@v1.10.0 -db "file://$db" ./...
//
// The index is computed as the database's own generator computes it
// (golang.org/x/vulndb/internal/database), and the entries are copied byte
// for byte.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

const modulePath = "golang.org/x/vulndb"

func main() {
	version := flag.String("version", "latest", "version of "+modulePath+" to use (a module query: latest, or a pseudo-version)")
	cache := flag.String("cache", defaultCache(), "folder that keeps one built database per module version")
	flag.Parse()
	dir, err := run(*version, *cache)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
	fmt.Println(dir)
}

func defaultCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "daoyue", "vulndb")
	}
	return filepath.Join(os.TempDir(), "daoyue-vulndb")
}

// downloaded is what `go mod download -json` says about a module.
type downloaded struct {
	Version string
	Info    string // the .info file, with the version's commit time
	Dir     string
	Error   string
}

func run(version, cache string) (string, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	// Run outside this module so the download can never touch go.mod.
	cmd := exec.Command("go", "mod", "download", "-json", modulePath+"@"+version)
	cmd.Dir = cache
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var m downloaded
	if jerr := json.Unmarshal(out, &m); jerr == nil && m.Error != "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", modulePath, version, m.Error)
	}
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v", modulePath, version, err)
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v", modulePath, version, err)
	}
	if !semver.IsValid(m.Version) || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s gave no version or folder", modulePath, version)
	}

	dir := filepath.Join(cache, m.Version)
	if _, err := os.Stat(filepath.Join(dir, "index", "modules.json")); err == nil {
		fmt.Fprintf(os.Stderr, "vulndb: %s@%s, built before\n", modulePath, m.Version)
		return dir, nil
	}

	var snapshot time.Time
	if b, err := os.ReadFile(m.Info); err == nil {
		var info struct{ Time time.Time }
		if json.Unmarshal(b, &info) == nil {
			snapshot = info.Time
		}
	}

	tmp, err := os.MkdirTemp(cache, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	st, err := build(filepath.Join(m.Dir, "data", "osv"), tmp, snapshot)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another run built the same version meanwhile: use that one.
		if _, serr := os.Stat(filepath.Join(dir, "index", "modules.json")); serr != nil {
			return "", err
		}
	}
	fmt.Fprintf(os.Stderr, "vulndb: %s@%s (%s): %d entries for %d modules\n",
		modulePath, m.Version, snapshot.Format(time.DateOnly), st.entries, st.modules)

	// Keep only this version: each is about 20 MB.
	olds, _ := os.ReadDir(cache)
	for _, e := range olds {
		if e.IsDir() && e.Name() != m.Version && strings.HasPrefix(e.Name(), "v") {
			os.RemoveAll(filepath.Join(cache, e.Name()))
		}
	}
	return dir, nil
}

// entry is the part of an OSV entry that the index is made from.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"` // the module path, or "stdlib", "toolchain"
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type event struct {
	Introduced string `json:"introduced,omitempty"`
	Fixed      string `json:"fixed,omitempty"`
}

// The index files' records, as in the database's v1 schema.
type (
	dbMeta struct {
		Modified time.Time `json:"modified"`
	}
	moduleMeta struct {
		Path  string       `json:"path"`
		Vulns []moduleVuln `json:"vulns"`
	}
	moduleVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Fixed    string    `json:"fixed,omitempty"`
	}
	vulnMeta struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}
)

type stats struct{ entries, modules int }

// build writes the v1 layout into out from the OSV files <ID>.json in osvDir.
// The database counts as modified at its newest entry, or at snapshot (the
// module version's commit time) when that is later: the entries in the
// module all carry a zero modification time.
func build(osvDir, out string, snapshot time.Time) (stats, error) {
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return stats{}, err
	}
	if len(files) == 0 {
		return stats{}, fmt.Errorf("no OSV entries in %s", osvDir)
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return stats{}, err
		}
	}

	db := dbMeta{Modified: snapshot.UTC()}
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return stats{}, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return stats{}, fmt.Errorf("%s: %v", f, err)
		}
		if e.ID == "" || filepath.Base(f) != e.ID+".json" {
			return stats{}, fmt.Errorf("%s: holds entry %q; want <ID>.json", f, e.ID)
		}
		if seen[e.ID] {
			return stats{}, fmt.Errorf("%s: entry %s twice", f, e.ID)
		}
		seen[e.ID] = true
		if e.Modified.After(db.Modified) {
			db.Modified = e.Modified.UTC()
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			p := a.Package.Name
			if p == "" {
				return stats{}, fmt.Errorf("%s: an affected package without a name", f)
			}
			if modules[p] == nil {
				modules[p] = &moduleMeta{Path: p, Vulns: []moduleVuln{}}
			}
			modules[p].Vulns = append(modules[p].Vulns, moduleVuln{
				ID: e.ID, Modified: e.Modified, Fixed: latestFixed(a.Ranges),
			})
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), b, 0o644); err != nil {
			return stats{}, err
		}
	}

	mods := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })

	// modules.json last: its presence says the database is complete.
	for _, w := range []struct {
		name string
		v    any
	}{{"db.json", db}, {"vulns.json", vulns}, {"modules.json", mods}} {
		b, err := json.Marshal(w.v)
		if err != nil {
			return stats{}, err
		}
		if err := os.WriteFile(filepath.Join(out, "index", w.name), b, 0o644); err != nil {
			return stats{}, err
		}
	}
	return stats{entries: len(vulns), modules: len(mods)}, nil
}

// latestFixed returns the version from which on no version is affected, or
// "" when there is none (never fixed, or brought back after its last fix).
// govulncheck fetches an entry only for a module version below it.
func latestFixed(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares OSV versions, which are semver without the leading v; ""
// is below every version.
func less(a, b string) bool {
	return semver.Compare(canonical(a), canonical(b)) < 0
}

func canonical(v string) string {
	if v == "" {
		return ""
	}
	return "v" + strings.TrimPrefix(v, "v")
}
