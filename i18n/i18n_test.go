package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Both languages must define exactly the same keys.
func TestLanguagesComplete(t *testing.T) {
	zh, en := map[string]bool{}, map[string]bool{}
	for _, k := range Keys(ZH) {
		zh[k] = true
	}
	for _, k := range Keys(EN) {
		en[k] = true
	}
	var missing []string
	for k := range zh {
		if !en[k] {
			missing = append(missing, "en:"+k)
		}
	}
	for k := range en {
		if !zh[k] {
			missing = append(missing, "zh-TW:"+k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("missing translations: %v", missing)
	}
}

// Every message key written in the code ("error.xxx" and the like) must
// exist, or a user would see the raw key.
func TestEveryKeyInCodeExists(t *testing.T) {
	re := regexp.MustCompile(`"((?:error|page|nav|status|tab|action|label|msg|role|weekday|help|mail|docs|flash|audit|invitation|meeting\.note)\.[a-z0-9_.]+)"`)
	root := ".."
	var missing []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "data" || d.Name() == "storetest" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if strings.HasPrefix(path, filepath.Join(root, "i18n")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !Has(ZH, m[1]) {
				missing = append(missing, path+": "+m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("keys used but not defined:\n%s", strings.Join(missing, "\n"))
	}
}

func TestMatch(t *testing.T) {
	for in, want := range map[string]string{"": ZH, "en-US,en;q=0.9": EN, "zh-TW": ZH, "fr, en;q=0.5": EN, "ja": ZH} {
		if got := Match(in); got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
	if got := T(EN, "error.login_throttled", map[string]any{"minutes": 3}); !strings.Contains(got, "3 minutes") {
		t.Errorf("placeholder not filled: %q", got)
	}
}
