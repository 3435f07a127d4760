package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/store"
)

// Test fixtures of the API tests: two demo studios A and B on a real store
// behind a real HTTP server, with the clock fixed so slots are known.
// Every answer the tests receive is checked against openapi.json, so the
// document stays true as well as complete.

// apiNow is Monday 2030-01-07 08:00 in Taipei.
var apiNow = time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)

var apiTaipei, _ = time.LoadLocation("Asia/Taipei")

// at is a Taipei wall-clock time in the test week, as the API writes it:
// day 0 is Monday 2030-01-07.
func apiAt(day, hour, min int) string {
	return time.Date(2030, 1, 7+day, hour, min, 0, 0, apiTaipei).Format(time.RFC3339)
}

type apiEnv struct {
	t          testing.TB
	db         *store.DB
	app        *app.App
	srv        *Server
	ts         *httptest.Server
	A, B       *demo.Studio
	tokA, tokB string // owners' API tokens
	ownerB     *daoyue.User
	spec       *apiSpecChecker
}

const apiPassword = "correct horse battery"

func newAPIEnv(t testing.TB, db *store.DB) *apiEnv {
	t.Helper()
	return newAPIEnvWith(t, db, testenv.Options{Start: apiNow})
}

// newAPIEnvWith is the API fixture on an environment with options o
// (o.Start should be apiNow).
func newAPIEnvWith(t testing.TB, db *store.DB, o testenv.Options) *apiEnv {
	t.Helper()
	te := testenv.New(t, db, o)
	e := &apiEnv{t: t, db: db, app: te.App, ts: te.Front, spec: loadAPISpec(t)}
	e.srv = New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL})
	te.Serve(e.srv)
	e.A = te.Studio("studio-a", "甲工作室", "owner@a.example", apiPassword)
	e.B = te.Studio("studio-b", "乙工作室", "owner@b.example", apiPassword)
	e.tokA = e.token("owner@a.example")
	e.tokB = e.token("owner@b.example")
	ctx := context.Background()
	_ = db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		e.ownerB, err = tx.UserByEmail(ctx, "owner@b.example")
		return err
	})
	return e
}

// token signs a user in without bcrypt (tests of sign-in itself use the API).
func (e *apiEnv) token(email string) string {
	e.t.Helper()
	ctx := context.Background()
	tok := daoyue.NewToken()
	err := e.db.Update(ctx, func(tx daoyue.Tx) error {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		return tx.CreateAuthToken(ctx, &daoyue.AuthToken{Hash: daoyue.HashToken(tok), UserID: u.ID, Kind: "api",
			CreatedAt: apiNow, ExpiresAt: apiNow.Add(24 * time.Hour)})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type apiResp struct {
	status int
	header http.Header
	body   []byte
}

func (r *apiResp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// m decodes the body as a JSON object.
func (r *apiResp) m(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	r.decode(t, &v)
	return v
}

func (r *apiResp) code() string {
	var e APIError
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r *apiResp) apiErr() APIErrorBody {
	var e APIError
	_ = json.Unmarshal(r.body, &e)
	return e.Error
}

// apiReq is one request: headers are name, value pairs.
type apiReq struct {
	method, path, token string
	body                any
	headers             []string
}

// do sends a request over HTTP and checks the answer against openapi.json.
func (e *apiEnv) do(method, path, token string, body any, headers ...string) *apiResp {
	return e.send(apiReq{method, path, token, body, headers})
}

func (e *apiEnv) send(q apiReq) *apiResp {
	var rd io.Reader
	switch b := q.body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	hr, err := http.NewRequest(q.method, e.ts.URL+q.path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if q.token != "" {
		hr.Header.Set("Authorization", "Bearer "+q.token)
	}
	for i := 0; i+1 < len(q.headers); i += 2 {
		hr.Header.Set(q.headers[i], q.headers[i+1])
	}
	res, err := e.ts.Client().Do(hr)
	if err != nil {
		e.t.Errorf("%s %s: %v", q.method, q.path, err)
		return &apiResp{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &apiResp{status: res.StatusCode, header: res.Header, body: b}
	e.spec.check(e.t, q.method, q.path, r)
	return r
}

// must sends a request and fails the test unless the status is want.
func (e *apiEnv) must(want int, method, path, token string, body any, headers ...string) *apiResp {
	e.t.Helper()
	r := e.do(method, path, token, body, headers...)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

// book submits a booking as a client.
func (e *apiEnv) book(slug string, svc *daoyue.Service, prac *daoyue.Practitioner, start string) *apiResp {
	in := map[string]any{"service_id": svc.ID, "start": start,
		"client": map[string]any{"name": "王小明", "email": "ming@example.com", "phone": "0912-345-678"}, "note": "第一次上課"}
	if prac != nil {
		in["practitioner_id"] = prac.ID
	}
	return e.do("POST", "/api/v1/public/workspaces/"+slug+"/bookings", "", in)
}

type apiBooked struct {
	ID                 string  `json:"id"`
	Status             string  `json:"status"`
	Start              string  `json:"start"`
	End                string  `json:"end"`
	PractitionerID     string  `json:"practitioner_id"`
	ManageToken        string  `json:"manage_token"`
	ManageURL          string  `json:"manage_url"`
	OnlineInstructions string  `json:"online_instructions"`
	PaymentURL         *string `json:"payment_url"`
	PaymentDueAt       string  `json:"payment_due_at"`
}

func (e *apiEnv) mustBook(slug string, svc *daoyue.Service, prac *daoyue.Practitioner, start string) apiBooked {
	e.t.Helper()
	r := e.book(slug, svc, prac, start)
	if r.status != http.StatusCreated {
		e.t.Fatalf("book %s at %s: %d %s", svc.Name, start, r.status, r.body)
	}
	var b apiBooked
	r.decode(e.t, &b)
	return b
}

// bookingCount is the number of bookings of a workspace, over every tab.
func (e *apiEnv) bookingCount(slug, token string) int {
	e.t.Helper()
	var l struct {
		Counts map[string]int `json:"counts"`
	}
	e.must(200, "GET", "/api/v1/workspaces/"+slug+"/bookings", token, nil).decode(e.t, &l)
	n := 0
	for _, c := range l.Counts {
		n += c
	}
	return n
}

// ---- OpenAPI conformance of every answer ----

type apiSpecChecker struct {
	doc map[string]any
	mux *http.ServeMux
}

var (
	apiSpecOnce sync.Once
	apiSpecDoc  map[string]any
	apiSpecErr  error
)

func loadAPISpec(t testing.TB) *apiSpecChecker {
	t.Helper()
	apiSpecOnce.Do(func() { apiSpecErr = json.Unmarshal(openAPIDoc, &apiSpecDoc) })
	if apiSpecErr != nil {
		t.Fatalf("openapi.json: %v", apiSpecErr)
	}
	c := &apiSpecChecker{doc: apiSpecDoc, mux: http.NewServeMux()}
	for path, ops := range apiSpecDoc["paths"].(map[string]any) {
		for method := range ops.(map[string]any) {
			c.mux.HandleFunc(strings.ToUpper(method)+" "+path, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return c
}

// check validates an answer against the documented response of its route.
func (c *apiSpecChecker) check(t testing.TB, method, path string, r *apiResp) {
	t.Helper()
	if r.status == 0 {
		return
	}
	u := strings.SplitN(path, "?", 2)[0]
	hr := httptest.NewRequest(method, u, nil)
	_, pattern := c.mux.Handler(hr)
	var schema any
	where := method + " " + path
	if pattern == "" {
		// Undocumented routes answer only with an error.
		if r.status < 400 {
			t.Errorf("%s: undocumented route answered %d", where, r.status)
			return
		}
		schema = map[string]any{"$ref": "#/components/schemas/Error"}
	} else {
		tmpl := strings.SplitN(pattern, " ", 2)[1]
		op := c.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
		res, ok := op["responses"].(map[string]any)[fmt.Sprint(r.status)].(map[string]any)
		if !ok {
			t.Errorf("%s: status %d is not documented (%s)", where, r.status, r.body)
			return
		}
		content, ok := res["content"].(map[string]any)
		if !ok {
			if len(r.body) > 0 {
				t.Errorf("%s: %d documented without a body, got %s", where, r.status, r.body)
			}
			return
		}
		schema = content["application/json"].(map[string]any)["schema"]
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", where, ct)
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Errorf("%s: body is not JSON: %v: %s", where, err, r.body)
		return
	}
	for _, p := range c.validate(schema, v, "$", "") {
		t.Errorf("%s (%d) does not match openapi.json: %s", where, r.status, p)
	}
}

func (c *apiSpecChecker) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		s = c.doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	}
}

// validate is the part of JSON Schema the document uses: type, properties,
// required, additionalProperties, items, enum; date-time strings must be
// RFC 3339 in the workspace's offset (+08:00) unless described as UTC.
func (c *apiSpecChecker) validate(schema any, v any, at, desc string) []string {
	s := c.resolve(schema.(map[string]any))
	if d, ok := s["description"].(string); ok {
		desc = d
	}
	var probs []string
	types := []string{}
	switch ty := s["type"].(type) {
	case string:
		types = append(types, ty)
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	if len(types) > 0 {
		ok := false
		for _, ty := range types {
			ok = ok || apiJSONType(v, ty)
		}
		if !ok {
			return []string{fmt.Sprintf("%s: %v is not %v", at, v, types)}
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, x := range enum {
			found = found || x == v
		}
		if !found {
			probs = append(probs, fmt.Sprintf("%s: %v not in %v", at, v, enum))
		}
	}
	switch x := v.(type) {
	case string:
		if s["format"] == "date-time" {
			tm, err := time.Parse(time.RFC3339, x)
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s: %q is not RFC 3339", at, x))
			} else if _, off := tm.Zone(); off != 8*3600 && !strings.Contains(desc, "UTC") {
				probs = append(probs, fmt.Sprintf("%s: %q is not in the workspace's offset", at, x))
			}
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, apiReq := range apiAnyStrings(s["required"]) {
			if _, ok := x[apiReq]; !ok {
				probs = append(probs, fmt.Sprintf("%s: required %q missing", at, apiReq))
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				probs = append(probs, c.validate(ps, x[k], at+"."+k, "")...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					probs = append(probs, fmt.Sprintf("%s: property %q is not documented", at, k))
				}
			case map[string]any:
				probs = append(probs, c.validate(ap, x[k], at+"."+k, "")...)
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, it := range x {
				probs = append(probs, c.validate(items, it, fmt.Sprintf("%s[%d]", at, i), "")...)
			}
		}
	}
	return probs
}

func apiJSONType(v any, ty string) bool {
	switch ty {
	case "null":
		return v == nil
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "number":
		_, ok := v.(float64)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	}
	return false
}

func apiAnyStrings(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, x.(string))
	}
	return out
}
