package daoyue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC) // 10:00 in Taipei

func svcWith(c Confirmation, p PaymentRule) *Service {
	return &Service{DurationMin: 60, Confirmation: c, Payment: p, PaymentDeadlineMin: 60, Price: Money{1000, "TWD"}}
}

func TestInitialStatus(t *testing.T) {
	cases := []struct {
		c    Confirmation
		p    PaymentRule
		want Status
	}{
		{ConfirmAuto, PaymentNone, StatusConfirmed},
		{ConfirmAuto, PaymentBefore, StatusAwaitingPayment},
		{ConfirmManual, PaymentNone, StatusPending},
		{ConfirmManual, PaymentBefore, StatusPending},
	}
	for _, c := range cases {
		b := &Booking{}
		b.Submitted(svcWith(c.c, c.p), t0)
		if b.Status != c.want {
			t.Errorf("%s/%s: status %s, want %s", c.c, c.p, b.Status, c.want)
		}
		if (b.Status == StatusAwaitingPayment) != (b.PaymentDueAt != nil) {
			t.Errorf("%s/%s: payment deadline set=%v for status %s", c.c, c.p, b.PaymentDueAt != nil, b.Status)
		}
	}
}

// Every action against every state: the allowed ones land where the
// lifecycle says, the others are refused with ETRANSITION and change nothing.
func TestTransitions(t *testing.T) {
	all := []Status{StatusPending, StatusAwaitingPayment, StatusConfirmed, StatusDeclined, StatusCancelled, StatusExpired}
	type action struct {
		name string
		svc  *Service
		do   func(b *Booking, svc *Service) error
		want map[Status]Status // from → to; absent means refused
	}
	later := t0.Add(2 * time.Hour)
	actions := []action{
		{"accept (no payment)", svcWith(ConfirmManual, PaymentNone), func(b *Booking, s *Service) error { return b.Accept(s, t0) },
			map[Status]Status{StatusPending: StatusConfirmed}},
		{"accept (pay first)", svcWith(ConfirmManual, PaymentBefore), func(b *Booking, s *Service) error { return b.Accept(s, t0) },
			map[Status]Status{StatusPending: StatusAwaitingPayment}},
		{"decline", nil, func(b *Booking, _ *Service) error { return b.Decline(t0) },
			map[Status]Status{StatusPending: StatusDeclined}},
		{"payment", nil, func(b *Booking, _ *Service) error { return b.PaymentReceived("cash", "", t0) },
			map[Status]Status{StatusAwaitingPayment: StatusConfirmed, StatusConfirmed: StatusConfirmed}},
		{"expire", nil, func(b *Booking, _ *Service) error { return b.Expire(later) },
			map[Status]Status{StatusAwaitingPayment: StatusExpired}},
		{"cancel", nil, func(b *Booking, _ *Service) error { return b.Cancel("ill", t0) },
			map[Status]Status{StatusPending: StatusCancelled, StatusAwaitingPayment: StatusCancelled, StatusConfirmed: StatusCancelled}},
		{"move", nil, func(b *Booking, _ *Service) error { return b.Move(t0.Add(48*time.Hour), t0.Add(49*time.Hour), t0) },
			map[Status]Status{StatusPending: StatusPending, StatusAwaitingPayment: StatusAwaitingPayment, StatusConfirmed: StatusConfirmed}},
	}
	for _, a := range actions {
		for _, from := range all {
			due := t0.Add(time.Hour)
			b := &Booking{Status: from, Start: t0.Add(24 * time.Hour), End: t0.Add(25 * time.Hour), PaymentStatus: PaymentUnpaid, PaymentDueAt: &due}
			before := *b
			err := a.do(b, a.svc)
			to, ok := a.want[from]
			switch {
			case ok && err != nil:
				t.Errorf("%s from %s: refused: %v", a.name, from, err)
			case ok && b.Status != to:
				t.Errorf("%s from %s: got %s, want %s", a.name, from, b.Status, to)
			case !ok && !IsCode(err, ETRANSITION):
				t.Errorf("%s from %s: want ETRANSITION, got %v", a.name, from, err)
			case !ok && (b.Status != before.Status || !b.Start.Equal(before.Start)):
				t.Errorf("%s from %s: refused but changed the booking", a.name, from)
			}
		}
	}
}

func TestPaymentOnlyOnce(t *testing.T) {
	b := &Booking{Status: StatusAwaitingPayment, PaymentStatus: PaymentUnpaid}
	if err := b.PaymentReceived("cash", "", t0); err != nil {
		t.Fatal(err)
	}
	if err := b.PaymentReceived("cash", "", t0); !IsCode(err, ETRANSITION) {
		t.Fatalf("second payment: %v", err)
	}
}

func TestExpireNotBeforeDeadline(t *testing.T) {
	due := t0.Add(time.Hour)
	b := &Booking{Status: StatusAwaitingPayment, PaymentDueAt: &due}
	if err := b.Expire(t0); !IsCode(err, ETRANSITION) {
		t.Fatalf("expired before its deadline: %v", err)
	}
}

func TestNoChangeAfterEnd(t *testing.T) {
	b := &Booking{Status: StatusConfirmed, Start: t0.Add(-2 * time.Hour), End: t0.Add(-time.Hour)}
	if err := b.Cancel("", t0); !IsCode(err, ETRANSITION) {
		t.Fatalf("cancelled a past booking: %v", err)
	}
	if err := b.Move(t0.Add(time.Hour), t0.Add(2*time.Hour), t0); !IsCode(err, ETRANSITION) {
		t.Fatalf("moved a past booking: %v", err)
	}
}

func TestRequestDecidedOnce(t *testing.T) {
	r := &Request{Status: RequestOpen}
	if err := r.Decide(RequestApproved, "a", "", t0); err != nil {
		t.Fatal(err)
	}
	if err := r.Decide(RequestRejected, "a", "", t0); !IsCode(err, ETRANSITION) {
		t.Fatalf("decided twice: %v", err)
	}
}

func TestValidateClient(t *testing.T) {
	cases := []struct {
		c     Client
		note  string
		field string
	}{
		{Client{Name: "王小明", Email: "ming@example.com"}, "", ""},
		{Client{Name: "", Email: "ming@example.com"}, "", "client.name"},
		{Client{Name: "王小明", Email: "not-an-email"}, "", "client.email"},
		{Client{Name: "王小明", Email: "Ming <ming@example.com>"}, "", "client.email"},
		{Client{Name: "王小明", Email: "ming@example.com", Phone: "0912-345-678"}, "", ""},
		{Client{Name: "王小明", Email: "ming@example.com", Phone: "call me"}, "", "client.phone"},
		{Client{Name: repeat("名", 101), Email: "ming@example.com"}, "", "client.name"},
		{Client{Name: "王小明", Email: "ming@example.com"}, repeat("字", 2001), "note"},
		{Client{Name: "王\x00明", Email: "ming@example.com"}, "", "client.name"},
	}
	for _, c := range cases {
		f := ValidateClient(c.c, c.note)
		if c.field == "" && len(f) > 0 {
			t.Errorf("%+v: unexpected errors %v", c.c, f)
		}
		if c.field != "" && f[c.field] == "" {
			t.Errorf("%+v: want an error on %s, got %v", c.c, c.field, f)
		}
	}
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func TestPractitionerHoursMessages(t *testing.T) {
	p := &Practitioner{Name: "林", Weekly: []WeeklyRule{{time.Monday, 9 * 60, 12 * 60}, {time.Monday, 11 * 60, 13 * 60}}}
	var e *Error
	if err := p.Validate(); !errors.As(err, &e) || e.Fields["weekly"] != "error.hours_overlap" {
		t.Fatalf("overlap: %v", err)
	}
	p.Weekly = []WeeklyRule{{time.Monday, 13 * 60, 12 * 60}}
	if err := p.Validate(); !errors.As(err, &e) || e.Fields["weekly"] != "error.hours" {
		t.Fatalf("backwards: %v", err)
	}
}

// The questions the pages ask agree with the transitions: whatever
// CanAccept or PaymentOwed offers, Accept, Decline and PaymentReceived take.
func TestLifecycleQuestions(t *testing.T) {
	for _, st := range Statuses {
		for _, ps := range []PaymentStatus{PaymentNotRequired, PaymentUnpaid, PaymentPaid} {
			fresh := func() *Booking {
				return &Booking{Status: st, PaymentStatus: ps, Start: t0.Add(24 * time.Hour), End: t0.Add(25 * time.Hour)}
			}
			b := fresh()
			if got, want := b.CanAccept(), fresh().Accept(svcWith(ConfirmManual, PaymentNone), t0) == nil; got != want {
				t.Errorf("%s/%s: CanAccept %v, Accept allowed %v", st, ps, got, want)
			}
			if got, want := b.CanAccept(), fresh().Decline(t0) == nil; got != want {
				t.Errorf("%s/%s: CanAccept %v, Decline allowed %v", st, ps, got, want)
			}
			if b.PaymentOwed() && fresh().PaymentReceived("cash", "", t0) != nil {
				t.Errorf("%s/%s: payment owed but refused", st, ps)
			}
			if owed := st == StatusAwaitingPayment && ps != PaymentPaid || st == StatusConfirmed && ps == PaymentUnpaid; b.PaymentOwed() != owed {
				t.Errorf("%s/%s: PaymentOwed %v, want %v", st, ps, b.PaymentOwed(), owed)
			}
		}
	}
}
