package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// domainConsts reads the string constants the domain package (the module's
// root) declares, by type name; untyped ones are under "". Read from the
// source, so a constant added later is a member of its family at once,
// without anyone remembering to list it.
func domainConsts(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ := ""
				if id, ok := vs.Type.(*ast.Ident); ok {
					typ = id.Name
				}
				for i, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING || i >= len(vs.Names) {
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					if typ == "" {
						s = vs.Names[i].Name + "=" + s
					}
					out[typ] = append(out[typ], s)
				}
			}
		}
	}
	return out
}

// errorCodes are the error codes: the untyped constants named E… .
func errorCodes(t *testing.T, consts map[string][]string) []string {
	re := regexp.MustCompile(`^E[A-Z]+=(.+)$`)
	var codes []string
	for _, c := range consts[""] {
		if m := re.FindStringSubmatch(c); m != nil {
			codes = append(codes, m[1])
		}
	}
	if !slices.Contains(codes, daoyue.EINVALID) || !slices.Contains(codes, daoyue.EINTERNAL) {
		t.Fatalf("error codes not found in the domain's source: %v", codes)
	}
	return codes
}

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Every member of each key family has both languages: the families built at
// run time (i18n.ErrorKey, i18n.RoleKey) and the words for domain values
// that web/page_words.go, web/page_outbox.go and notify spell out in full,
// one per constant. A new error code, role, status, tab or message kind
// fails here until it is translated.
func TestKeyFamilies(t *testing.T) {
	consts := domainConsts(t)
	each := func(prefix string, members []string) []string {
		var keys []string
		for _, m := range members {
			keys = append(keys, prefix+m)
		}
		return keys
	}
	if len(consts["Role"]) == 0 {
		t.Fatal("no Role constants found in the domain's source")
	}
	var roleKeys []string
	for _, r := range consts["Role"] {
		roleKeys = append(roleKeys, i18n.RoleKey(daoyue.Role(r)))
	}
	var errorKeys []string
	for _, c := range errorCodes(t, consts) {
		errorKeys = append(errorKeys, i18n.ErrorKey(c))
	}
	var reasonKeys []string
	for _, r := range consts["MeetingReason"] {
		reasonKeys = append(reasonKeys, i18n.MeetingReasonKey(r))
	}
	if len(reasonKeys) != len(daoyue.MeetingReasons) {
		t.Errorf("%d MeetingReason constants, %d in daoyue.MeetingReasons", len(reasonKeys), len(daoyue.MeetingReasons))
	}
	families := map[string][]string{
		"meeting reasons":            reasonKeys,
		"error codes":                errorKeys,
		"roles":                      roleKeys,
		"statuses":                   each("status.", consts["Status"]),
		"payment statuses":           each("status.payment.", consts["PaymentStatus"]),
		"request statuses":           each("status.request.", consts["RequestStatus"]),
		"tabs":                       each("tab.", consts["Tab"]),
		"empty tabs":                 each("msg.empty_tab.", consts["Tab"]),
		"confirmations":              each("label.confirmation.", consts["Confirmation"]),
		"payment rules":              each("label.payment_rule.", consts["PaymentRule"]),
		"message kinds":              each("mail.kind.", consts["MailKind"]),
		"message states":             each("mail.status.", consts["MailStatus"]),
		"client message subjects":    each("mail.subject.", strs(daoyue.MailKinds)),
		"client message first lines": each("mail.lead.", strs(daoyue.MailKinds)),
	}
	for name, keys := range families {
		if len(keys) == 0 {
			t.Errorf("%s: no members found", name)
		}
		for _, k := range keys {
			for _, lang := range i18n.Langs {
				if !i18n.Has(lang, k) {
					t.Errorf("%s: %s has no %s text", name, k, lang)
				}
			}
		}
	}
}

// The domain's lists of a type's values hold every constant of that type,
// so code that walks a list (the bookings tabs, the outbox filter, the
// translations checked above) misses none.
func TestDomainListsComplete(t *testing.T) {
	consts := domainConsts(t)
	lists := map[string][]string{
		"Status":   strs(daoyue.Statuses),
		"Tab":      strs(daoyue.Tabs),
		"MailKind": append(strs(daoyue.MailKinds), strs(daoyue.StudioMailKinds)...),
	}
	for typ, list := range lists {
		got, want := slices.Clone(list), slices.Clone(consts[typ])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("the list of %s holds %v; the constants are %v", typ, got, want)
		}
	}
}
