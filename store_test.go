package daoyue

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// declaredStatuses returns the value of every constant of type Status
// declared in this package's source, so that a status added to the
// lifecycle cannot be missing from Statuses unnoticed.
func declaredStatuses(t *testing.T) []Status {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []Status
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Status" {
					continue
				}
				for _, val := range v.Values {
					lit, ok := val.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: a Status constant that is not a string literal", fset.Position(val.Pos()))
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, Status(s))
				}
			}
		}
	}
	return out
}

func TestStatusesListsEveryStatus(t *testing.T) {
	declared := declaredStatuses(t)
	if len(declared) == 0 {
		t.Fatal("found no Status constants")
	}
	for _, s := range declared {
		if !slices.Contains(Statuses, s) {
			t.Errorf("Statuses lacks %q", s)
		}
	}
	if len(Statuses) != len(declared) {
		t.Errorf("Statuses = %q, declared %q", Statuses, declared)
	}
}

// The admin list's tabs together list every status: no booking falls
// outside all of them for its status alone.
func TestTabsCoverEveryStatus(t *testing.T) {
	for _, s := range Statuses {
		var in []Tab
		for _, tab := range Tabs {
			if slices.Contains(tab.Statuses(), s) {
				in = append(in, tab)
			}
		}
		if len(in) == 0 {
			t.Errorf("status %q is in no tab", s)
		}
	}
	for _, tab := range Tabs {
		if len(tab.Statuses()) == 0 {
			t.Errorf("tab %q lists no status", tab)
		}
		for _, s := range tab.Statuses() {
			if !slices.Contains(Statuses, s) {
				t.Errorf("tab %q lists %q, not a status", tab, s)
			}
		}
	}
	if got := Tab("nonsense").Statuses(); got != nil {
		t.Errorf("unknown tab lists %q", got)
	}
	want := []Status{StatusDeclined, StatusCancelled, StatusExpired}
	if got := FinalStatuses(); !slices.Equal(got, want) {
		t.Errorf("FinalStatuses() = %q, want %q", got, want)
	}
}
