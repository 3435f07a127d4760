package web

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store/storetest"
)

// Acceptance 5: sign-in, revocation and throttling.
func TestAPIAuth(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, storetest.NewSQLite(t))
	const login = "/api/v1/auth/token"

	r := e.do("POST", login, "", map[string]any{"email": "owner@a.example", "password": "wrong password"})
	if r.status != 401 || r.code() != daoyue.EUNAUTHENTICATED || r.apiErr().Message != i18n.T(i18n.ZH, "error.login_failed", nil) {
		t.Fatalf("wrong password: %d %s", r.status, r.body)
	}
	if r := e.do("POST", login, "", map[string]any{"email": "nobody@a.example", "password": apiPassword}); r.status != 401 {
		t.Fatalf("unknown email: %d %s", r.status, r.body)
	}
	if r := e.do("POST", login, "", map[string]any{"email": "owner@a.example"}); r.status != 422 || r.apiErr().Fields["password"] == "" {
		t.Fatalf("missing password: %d %s", r.status, r.body)
	}

	var tok tokenJSON
	e.must(200, "POST", login, "", map[string]any{"email": "Owner@A.example ", "password": apiPassword}).decode(t, &tok)
	if tok.Token == "" || tok.ExpiresAt == "" {
		t.Fatalf("token: %+v", tok)
	}
	e.must(200, "GET", "/api/v1/workspaces/studio-a/bookings", tok.Token, nil)
	// The browser's session cookie works as well, but an API token is no
	// cookie and a session is no bearer token.
	session, _, err := e.app.Login(t.Context(), "owner@a.example", apiPassword, "session", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e.must(200, "GET", "/api/v1/workspaces/studio-a", "", nil, "Cookie", sessionCookie+"="+session)
	if r := e.do("GET", "/api/v1/workspaces/studio-a", "", nil, "Cookie", sessionCookie+"="+tok.Token); r.status != 401 {
		t.Errorf("an API token as the session cookie: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/workspaces/studio-a", session, nil); r.status != 401 {
		t.Errorf("a session as a bearer token: %d", r.status)
	}

	e.must(204, "DELETE", login, tok.Token, nil)
	if r := e.do("GET", "/api/v1/workspaces/studio-a/bookings", tok.Token, nil); r.status != 401 || r.code() != daoyue.EUNAUTHENTICATED {
		t.Fatalf("revoked token: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", login, tok.Token, nil); r.status != 401 {
		t.Fatalf("revoking twice: %d", r.status)
	}

	// Every admin route refuses the anonymous and the unknown token alike.
	for _, rt := range e.srv.apiRoutes() {
		if rt.Access != apiMember {
			continue
		}
		p := strings.NewReplacer("{slug}", "studio-a", "{id}", "x", "{request_id}", "x", "{user_id}", "x", "{date}", "2030-01-10").Replace(rt.Path)
		for _, token := range []string{"", "not-a-token"} {
			if r := e.do(rt.Method, p, token, nil); r.status != 401 || r.code() != daoyue.EUNAUTHENTICATED {
				t.Errorf("%s %s with %q: %d %s", rt.Method, p, token, r.status, r.body)
			}
		}
	}

	// Repeated failures for one email from one address must wait, even
	// with the right password; the answer says how long.
	for i := 0; i < 5; i++ {
		if r := e.do("POST", login, "", map[string]any{"email": "owner@b.example", "password": "guess " + string(rune('a'+i))}); r.status != 401 {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	r = e.do("POST", login, "", map[string]any{"email": "owner@b.example", "password": apiPassword}, "Accept-Language", "en")
	if r.status != 429 || r.code() != daoyue.ERATELIMIT || !strings.Contains(r.apiErr().Message, "1 s") || r.header.Get("Retry-After") != "1" {
		t.Fatalf("throttled: %d %s", r.status, r.body)
	}
	// Other emails are not affected.
	e.must(200, "POST", login, "", map[string]any{"email": "owner@a.example", "password": apiPassword})
}

// Acceptance 6: the OpenAPI document is valid JSON, OpenAPI 3.1, and lists
// exactly the routes registered under /api/v1.
func TestAPIOpenAPIDocument(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	s := &Server{}
	routes := map[string]apiRoute{}
	for _, rt := range s.apiRoutes() {
		if !strings.HasPrefix(rt.Path, apiPrefix+"/") {
			t.Errorf("route %s outside %s", rt.Path, apiPrefix)
		}
		key := rt.Method + " " + rt.Path
		if _, dup := routes[key]; dup {
			t.Errorf("route %s twice", key)
		}
		routes[key] = rt
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s is not in openapi.json", key)
			continue
		}
		sec, hasSec := op["security"].([]any)
		if public := rt.Access == apiPublic; public != (hasSec && len(sec) == 0) {
			t.Errorf("%s: security %v does not match access %v", key, op["security"], rt.Access)
		}
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm := p.(map[string]any)
			if pm["in"] == "path" {
				declared[pm["name"].(string)] = true
			}
		}
		for _, m := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(rt.Path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s not declared", key, m[1])
			}
		}
		if _, ok := op["responses"].(map[string]any); !ok {
			t.Errorf("%s: no responses", key)
		}
	}
	ids := map[string]bool{}
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + path
			documented = append(documented, key)
			if _, ok := routes[key]; !ok {
				t.Errorf("openapi.json documents %s, which is not a route", key)
			}
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s: operationId %q missing or repeated", key, id)
			}
			ids[id] = true
		}
	}
	sort.Strings(documented)
	if len(documented) != len(routes) {
		t.Errorf("%d routes, %d documented operations", len(routes), len(documented))
	}
	// Every $ref points at a schema.
	for _, m := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(string(openAPIDoc), -1) {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to missing schema %s", m[1])
		}
	}

	// The server serves the same document, and unknown API paths answer in JSON.
	e := newAPIEnv(t, storetest.NewSQLite(t))
	if r := e.must(200, "GET", "/api/v1/openapi.json", "", nil); string(r.body) != string(openAPIDoc) {
		t.Error("served document differs")
	}
	for _, p := range []string{"/api/v1/nope", "/api/v2/workspaces", "/api/", "/api/v1/workspaces/studio-a/nope"} {
		if r := e.do("GET", p, e.tokA, nil); r.status != 404 || r.code() != daoyue.ENOTFOUND {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
		if r := e.do("POST", p, e.tokA, map[string]any{}); r.status != 404 || r.code() != daoyue.ENOTFOUND {
			t.Errorf("POST %s: %d %s", p, r.status, r.body)
		}
	}
}
