package web

import (
	"html/template"
	"io"
	"sync"
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
	for page, p := range pageTemplates {
		set := p()
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

// Pages are parsed at their first render, which many requests may reach at
// once: each gets the one set, parsed once, and renders it (run with -race).
func TestPageParsedOnceAtConcurrentFirstRenders(t *testing.T) {
	sets := pageSets() // fresh: none parsed yet
	p := sets["privacy"]
	if p == nil {
		t.Fatal("no privacy page")
	}
	got := make([]*template.Template, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = p()
			if err := got[i].ExecuteTemplate(io.Discard, "layout", &view{Lang: "zh-TW"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, g := range got[1:] {
		if g != got[0] {
			t.Fatal("a page was parsed more than once")
		}
	}
}
