package web

import (
	"testing"
	"text/template/parse"
)

// Every page's template set defines every template it calls, its layout's
// and partials' calls included: a page parsed without a partial it needs
// (the Zoom partials go only into the pages that call them) would fail
// only when rendered.
func TestPageTemplatesDefineWhatTheyCall(t *testing.T) {
	if len(pageTemplates) < 30 {
		t.Fatalf("%d page templates parsed", len(pageTemplates))
	}
	for page, set := range pageTemplates {
		for _, tmpl := range set.Templates() {
			if tmpl.Tree == nil {
				continue
			}
			walkTemplateCalls(tmpl.Tree.Root, func(name string) {
				if set.Lookup(name) == nil {
					t.Errorf("page %s: template %q calls %q, which its set does not define", page, tmpl.Name(), name)
				}
			})
		}
	}
}

// walkTemplateCalls calls fn with the name of every {{template}} call
// under n.
func walkTemplateCalls(n parse.Node, fn func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplateCalls(c, fn)
		}
	case *parse.TemplateNode:
		fn(n.Name)
	case *parse.IfNode:
		walkTemplateCalls(n.List, fn)
		walkTemplateCalls(n.ElseList, fn)
	case *parse.RangeNode:
		walkTemplateCalls(n.List, fn)
		walkTemplateCalls(n.ElseList, fn)
	case *parse.WithNode:
		walkTemplateCalls(n.List, fn)
		walkTemplateCalls(n.ElseList, fn)
	}
}
