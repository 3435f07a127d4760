// Package storetest is the conformance suite every daoyue.Store passes,
// plus helpers that give other packages' tests a real store:
//
//	db := storetest.NewSQLite(t)             // a fresh SQLite file
//	db := storetest.NewPostgres(t)           // a fresh schema; skips without DAOYUE_TEST_POSTGRES_URL
//	storetest.Each(t, func(t *testing.T, db *store.DB) { ... })  // both
//
// Run needs only a daoyue.Store; RunDB covers what needs the *store.DB
// itself (Tx.Enqueue through SetEnqueuer, raw SQL).
//
// The suite creates its own workspaces, users and practitioners with random
// ids and slugs, so it may run against a store shared with other tests.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// Run runs the conformance suite; open returns the store a subtest uses
// (a fresh one or a shared one).
func Run(t *testing.T, open func(t *testing.T) daoyue.Store) {
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"Ping", testPing},
		{"Workspace", testWorkspace},
		{"WorkspaceLogo", testWorkspaceLogo},
		{"User", testUser},
		{"UseTOTPStep", testUseTOTPStep},
		{"Member", testMember},
		{"Practitioner", testPractitioner},
		{"Override", testOverride},
		{"Service", testService},
		{"Booking", testBooking},
		{"DeleteBooking", testDeleteBooking},
		{"Request", testRequest},
		{"Reserve", testReserve},
		{"Release", testRelease},
		{"Busy", testBusy},
		{"CalendarVersion", testCalendarVersion},
		{"CatalogVersion", testCatalogVersion},
		{"SlotStamp", testSlotStamp},
		{"Rollback", testRollback},
		{"ViewIsReadOnly", testViewReadOnly},
		{"CallerGivesUp", testCallerGivesUp},
		{"Tabs", testTabs},
		{"TabStatuses", testTabStatuses},
		{"Cursor", testCursor},
		{"DueForExpiry", testDueForExpiry},
		{"Audit", testAudit},
		{"AuthToken", testAuthToken},
		{"ZoomConnection", testZoomConnection},
		{"ZoomRefreshLease", testZoomRefreshLease},
		{"AllZoomConnectionIDs", testAllZoomConnectionIDs},
		{"OAuthState", testOAuthState},
		{"Meeting", testMeeting},
		{"BookingsByMeetingZoomUser", testBookingsByMeetingZoomUser},
		{"BookingsHostedBy", testBookingsHostedBy},
		{"OutOfSyncBookings", testOutOfSyncBookings},
		{"MeetingSync", testMeetingSync},
		{"Payment", testPayment},
		{"ClientToken", testClientToken},
		{"WebhookEvent", testWebhookEvent},
		{"Outbox", testOutbox},
		{"ClaimOutbox", testClaimOutbox},
		{"BookingMail", testBookingMail},
		{"ConcurrentSameBlock", testConcurrentSameBlock},
		{"ConcurrentOverlappingBlocks", testConcurrentOverlapping},
		{"ConcurrentWithoutLock", testConcurrentWithoutLock},
		{"WritersOfABookingTakeTurns", testWritersOfABookingTakeTurns},
		{"WritersOfAPaymentTakeTurns", testWritersOfAPaymentTakeTurns},
		{"WritersOfAZoomConnectionTakeTurns", testWritersOfAZoomConnectionTakeTurns},
		{"WritersOfAnInvitationTakeTurns", testWritersOfAnInvitationTakeTurns},
		{"ConnectWhileChanging", testConnectWhileChanging},
		{"CalendarLockTakesTurns", testCalendarLockTakesTurns},
		{"HitThrottles", testHitThrottles},
		{"ConcurrentHitThrottles", testConcurrentHitThrottles},
		{"ThrottlesAsHit", testThrottlesAsHit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			tc.fn(&env{t: t, s: open(t), ctx: ctx})
		})
	}
}

// base is a Monday morning, far enough ahead to be in the future.
var base = time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)

// env carries a subtest's store and builds fixtures.
type env struct {
	t   *testing.T
	s   daoyue.Store
	ctx context.Context
}

func (e *env) update(fn func(daoyue.Tx) error) {
	e.t.Helper()
	if err := e.s.Update(e.ctx, fn); err != nil {
		e.t.Fatalf("update: %v", err)
	}
}

func (e *env) view(fn func(daoyue.Tx) error) {
	e.t.Helper()
	if err := e.s.View(e.ctx, fn); err != nil {
		e.t.Fatalf("view: %v", err)
	}
}

// try runs fn in its own Update and returns its error.
func (e *env) try(fn func(daoyue.Tx) error) error { return e.s.Update(e.ctx, fn) }

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := daoyue.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantNoErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func at(hour, min int) time.Time {
	return base.Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute)
}

func rnd() string { return strings.TrimPrefix(daoyue.NewID("x"), "x_") }

func (e *env) workspace() *daoyue.Workspace {
	e.t.Helper()
	w := &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: "s" + rnd(), Name: "Studio " + rnd(),
		Intro: "歡迎", TimeZone: "Asia/Taipei", CreatedAt: base.Add(-time.Hour)}
	e.update(func(tx daoyue.Tx) error { return tx.CreateWorkspace(e.ctx, w) })
	return w
}

func (e *env) user() *daoyue.User {
	e.t.Helper()
	u := &daoyue.User{ID: daoyue.NewID("us"), Email: rnd() + "@example.com", Name: "User " + rnd(),
		PasswordHash: "hash", CreatedAt: base.Add(-time.Hour)}
	e.update(func(tx daoyue.Tx) error { return tx.CreateUser(e.ctx, u) })
	return u
}

func (e *env) practitioner(ws *daoyue.Workspace, name string) *daoyue.Practitioner {
	e.t.Helper()
	p := &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: ws.ID, Name: name, Email: rnd() + "@example.com",
		Bio: "bio", Active: true, CreatedAt: base.Add(-time.Hour),
		Weekly: []daoyue.WeeklyRule{{Weekday: time.Monday, Start: 9 * 60, End: 17 * 60}, {Weekday: time.Friday, Start: 600, End: 720}}}
	e.update(func(tx daoyue.Tx) error { return tx.CreatePractitioner(e.ctx, p) })
	return p
}

func (e *env) service(ws *daoyue.Workspace, name string, pids ...string) *daoyue.Service {
	e.t.Helper()
	s := &daoyue.Service{ID: daoyue.NewID("sv"), WorkspaceID: ws.ID, Name: name, Description: "desc",
		DurationMin: 60, BufferBefore: 10, BufferAfter: 15, SlotStep: 30, MinNoticeMin: 120, HorizonDays: 60,
		Online: true, OnlineInstructions: "Zoom", Location: "", Price: daoyue.Money{Amount: 1500, Currency: "TWD"},
		Confirmation: daoyue.ConfirmManual, Payment: daoyue.PaymentBefore, PaymentDeadlineMin: 60,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: pids, Active: true, CreatedAt: base.Add(-time.Hour)}
	e.update(func(tx daoyue.Tx) error { return tx.CreateService(e.ctx, s) })
	return s
}

// newBooking returns an unsaved booking of svc with p from start, one hour.
func newBooking(svc *daoyue.Service, pid string, start time.Time, st daoyue.Status) *daoyue.Booking {
	return &daoyue.Booking{ID: daoyue.NewID("bk"), WorkspaceID: svc.WorkspaceID, ServiceID: svc.ID,
		PractitionerID: pid, HostID: pid, Start: start, End: start.Add(time.Hour), Status: st,
		Client: daoyue.Client{Name: "王小明", Email: rnd() + "@example.com"}, Language: daoyue.LangZH,
		ManageTokenHash: daoyue.HashToken(daoyue.NewToken()), Price: svc.Price, PaymentStatus: daoyue.PaymentNotRequired,
		CreatedAt: base.Add(-24 * time.Hour), UpdatedAt: base.Add(-24 * time.Hour)}
}

func (e *env) booking(svc *daoyue.Service, pid string, start time.Time, st daoyue.Status) *daoyue.Booking {
	e.t.Helper()
	b := newBooking(svc, pid, start, st)
	e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(e.ctx, b) })
	return b
}

// world is two workspaces, each with a practitioner and a service.
type world struct {
	a, b   *daoyue.Workspace
	pa, pb *daoyue.Practitioner
	pa2    *daoyue.Practitioner // a second practitioner of a
	sa, sb *daoyue.Service
}

func (e *env) world() *world {
	e.t.Helper()
	w := &world{a: e.workspace(), b: e.workspace()}
	w.pa = e.practitioner(w.a, "Alice")
	w.pa2 = e.practitioner(w.a, "Amy")
	w.pb = e.practitioner(w.b, "Bob")
	w.sa = e.service(w.a, "Session A", w.pa.ID, w.pa2.ID)
	w.sb = e.service(w.b, "Session B", w.pb.ID)
	return w
}

func reservation(b *daoyue.Booking, start, end time.Time) daoyue.Reservation {
	return daoyue.Reservation{WorkspaceID: b.WorkspaceID, PractitionerID: b.PractitionerID, BookingID: b.ID,
		Block: daoyue.Interval{Start: start, End: end}}
}

func ids[T any](list []*T, id func(*T) string) []string {
	out := []string{}
	for _, v := range list {
		out = append(out, id(v))
	}
	return out
}

func bookingIDs(list []*daoyue.Booking) []string {
	return ids(list, func(b *daoyue.Booking) string { return b.ID })
}

var errRollback = errors.New("roll back, please")

func testPing(e *env) {
	wantNoErr(e.t, "ping", e.s.Ping(e.ctx))
}
