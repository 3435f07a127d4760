package storetest

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// outboxMsg returns an unsaved message of booking b with every field set.
func outboxMsg(b *daoyue.Booking, kind daoyue.MailKind, created time.Time) *daoyue.OutboxMessage {
	return &daoyue.OutboxMessage{ID: daoyue.NewID("ml"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Kind: kind,
		Language: daoyue.LangEN, FromName: "Studio 靜心", ReplyTo: "hello@studio.test", Recipient: b.Client.Email, Subject: "Booking " + string(kind),
		Text: "Hi 王小明,\nhttps://daoyue.test/b/" + daoyue.ManageTokenPlaceholder + "\n", HTML: "<p>Hi 王小明</p>",
		ICS: "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", ICSMethod: "REQUEST",
		Status: daoyue.MailQueued, CreatedAt: created}
}

func (e *env) outbox(m *daoyue.OutboxMessage) *daoyue.OutboxMessage {
	e.t.Helper()
	e.update(func(tx daoyue.Tx) error { return tx.AddOutbox(e.ctx, m) })
	return m
}

func testOutbox(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	bb := e.booking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	m1 := e.outbox(outboxMsg(b, daoyue.MailReceived, base))
	m2 := outboxMsg(b, daoyue.MailConfirmed, base.Add(time.Minute))
	m2.ICS, m2.ICSMethod, m2.HTML, m2.Status = "", "", "", daoyue.MailKept
	e.outbox(m2)
	mb := e.outbox(outboxMsg(bb, daoyue.MailReceived, base))

	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.a.ID, m1.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, m1)
		got, err = tx.OutboxMessage(ctx, w.a.ID, m2.ID)
		wantNoErr(t, "get kept", err)
		wantEqual(t, "get kept", got, m2)
		_, err = tx.OutboxMessage(ctx, w.a.ID, mb.ID)
		wantCode(t, "b's message via a", err, daoyue.ENOTFOUND)
		_, err = tx.OutboxMessage(ctx, w.a.ID, daoyue.NewID("ml"))
		wantCode(t, "missing", err, daoyue.ENOTFOUND)
		list, next, err := tx.ListOutbox(ctx, w.a.ID, "", 0)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (newest first)", list, []*daoyue.OutboxMessage{m2, m1})
		wantEqual(t, "no next page", next, "")
		list, _, err = tx.ListOutbox(ctx, w.b.ID, "", 0)
		wantNoErr(t, "list b", err)
		wantEqual(t, "list b", list, []*daoyue.OutboxMessage{mb})
		list, _, err = tx.ListOutbox(ctx, daoyue.NewID("ws"), "", 0)
		wantNoErr(t, "list of no workspace", err)
		wantEqual(t, "list of no workspace", len(list), 0)
		_, _, err = tx.ListOutbox(ctx, w.a.ID, "not a cursor!", 0)
		wantCode(t, "bad cursor", err, daoyue.EINVALID)
		return nil
	})

	// Paging.
	var all []*daoyue.OutboxMessage
	for i := range 5 {
		all = append(all, e.outbox(outboxMsg(b, daoyue.MailRescheduled, base.Add(time.Duration(i)*time.Hour))))
	}
	all = append([]*daoyue.OutboxMessage{m1, m2}, all...)
	slices.Reverse(all)
	var paged []*daoyue.OutboxMessage
	cursor := ""
	for range 10 {
		e.view(func(tx daoyue.Tx) error {
			list, next, err := tx.ListOutbox(ctx, w.a.ID, cursor, 3)
			wantNoErr(t, "page", err)
			paged, cursor = append(paged, list...), next
			return nil
		})
		if cursor == "" {
			break
		}
	}
	wantEqual(t, "pages", paged, all)

	// Sent: status, time, attempts; a failure afterwards changes nothing.
	sentAt := base.Add(2 * time.Minute)
	e.update(func(tx daoyue.Tx) error { return tx.MarkOutboxSent(ctx, w.a.ID, m1.ID, sentAt) })
	want := *m1
	want.Status, want.SentAt, want.Attempts = daoyue.MailSent, &sentAt, 1
	wantCode(t, "failure of a sent message", e.try(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m1.ID, "late", true, time.Time{})
	}), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.a.ID, m1.ID)
		wantNoErr(t, "after sent", err)
		wantEqual(t, "after sent", got, &want)
		return nil
	})

	// Failures: queued with the cause while retrying, failed at the end.
	m3 := e.outbox(outboxMsg(b, daoyue.MailCancelled, base))
	e.update(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m3.ID, "dial tcp: refused", false, base.Add(time.Minute))
	})
	e.update(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m3.ID, "421 try later", false, base.Add(3*time.Minute))
	})
	want3 := *m3
	want3.Attempts, want3.LastError = 2, "421 try later"
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.a.ID, m3.ID)
		wantNoErr(t, "retrying", err)
		wantEqual(t, "retrying", got, &want3)
		return nil
	})
	e.update(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m3.ID, "550 no such user", true, time.Time{})
	})
	want3.Attempts, want3.LastError, want3.Status = 3, "550 no such user", daoyue.MailFailed
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.a.ID, m3.ID)
		wantNoErr(t, "failed", err)
		wantEqual(t, "failed", got, &want3)
		return nil
	})

	// Tenancy of the writes, bad references, clashes and rollback.
	wantCode(t, "mark b's sent via a", e.try(func(tx daoyue.Tx) error { return tx.MarkOutboxSent(ctx, w.a.ID, mb.ID, sentAt) }), daoyue.ENOTFOUND)
	wantCode(t, "mark b's failed via a", e.try(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, mb.ID, "x", true, time.Time{})
	}), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.b.ID, mb.ID)
		wantNoErr(t, "b's message", err)
		wantEqual(t, "b's message unchanged", got, mb)
		return nil
	})
	orphan := outboxMsg(b, daoyue.MailReceived, base)
	orphan.WorkspaceID = daoyue.NewID("ws")
	wantCode(t, "missing workspace", e.try(func(tx daoyue.Tx) error { return tx.AddOutbox(ctx, orphan) }), daoyue.ENOTFOUND)
	dup := outboxMsg(b, daoyue.MailReceived, base)
	dup.ID = m1.ID
	wantCode(t, "taken id", e.try(func(tx daoyue.Tx) error { return tx.AddOutbox(ctx, dup) }), daoyue.ECONFLICT)
	gone := outboxMsg(b, daoyue.MailReceived, base)
	err := e.try(func(tx daoyue.Tx) error {
		wantNoErr(t, "add before rollback", tx.AddOutbox(ctx, gone))
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("rollback: %v", err)
	}
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.OutboxMessage(ctx, w.a.ID, gone.ID)
		wantCode(t, "rolled back", err, daoyue.ENOTFOUND)
		return nil
	})
	auto := outboxMsg(b, daoyue.MailReceived, base)
	auto.ID = ""
	e.outbox(auto)
	if auto.ID == "" {
		t.Errorf("AddOutbox left the id empty")
	}
	// A booking's messages, oldest first; rewriting one changes its content only.
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.OutboxOfBooking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "of booking", err)
		oldest := slices.Clone(all)
		slices.Reverse(oldest)
		oldest = append(oldest, m3, auto)
		id := func(m *daoyue.OutboxMessage) string { return m.ID }
		wantEqual(t, "of booking", ids(list, id), ids(oldest, id))
		list, err = tx.OutboxOfBooking(ctx, w.a.ID, bb.ID)
		wantNoErr(t, "b's booking via a", err)
		wantEqual(t, "b's booking via a", len(list), 0)
		return nil
	})
	rw := want3
	rw.Subject, rw.Text, rw.HTML, rw.ICS, rw.ICSMethod = "s2", "t2", "", "", ""
	rw.Status, rw.Attempts = daoyue.MailQueued, 99 // not written
	e.update(func(tx daoyue.Tx) error { return tx.RewriteOutbox(ctx, &rw) })
	rw.Status, rw.Attempts = want3.Status, want3.Attempts
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.OutboxMessage(ctx, w.a.ID, m3.ID)
		wantNoErr(t, "rewritten", err)
		wantEqual(t, "rewritten", got, &rw)
		return nil
	})
	hijack := *mb
	hijack.WorkspaceID, hijack.Text = w.a.ID, "hijacked"
	wantCode(t, "rewrite b's via a", e.try(func(tx daoyue.Tx) error { return tx.RewriteOutbox(ctx, &hijack) }), daoyue.ENOTFOUND)

	// A message outlives its booking (the sandbox reset deletes bookings).
	e.update(func(tx daoyue.Tx) error { return tx.DeleteBooking(ctx, w.b.ID, bb.ID) })
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.OutboxMessage(ctx, w.b.ID, mb.ID)
		wantNoErr(t, "message of a deleted booking", err)
		return nil
	})
}

// A booking's notification fields: the sealed manage token is written at
// creation only; the held message and calendar sequence with every update.
func testBookingMail(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	b.ManageTokenSealed, b.MailWaiting, b.CalendarSeq = "v1:k1:sealed-"+rnd(), daoyue.MailConfirmed, 2
	e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, b) })
	plain := e.booking(w.sa, w.pa2.ID, at(1, 0), daoyue.StatusPending)
	bb := newBooking(w.sb, w.pb.ID, at(1, 0), daoyue.StatusConfirmed)
	bb.ManageTokenSealed = "v1:k1:other-" + rnd()
	e.update(func(tx daoyue.Tx) error { return tx.CreateBooking(ctx, bb) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, b)
		return nil
	})

	u := *b
	u.MailWaiting, u.CalendarSeq, u.ManageTokenSealed = "", 3, "ignored"
	e.update(func(tx daoyue.Tx) error { return tx.UpdateBooking(ctx, &u) })
	u.ManageTokenSealed = b.ManageTokenSealed
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update (sealed token kept)", got, &u)
		return nil
	})

	// Re-encryption: list by id across workspaces, replace one.
	var seen []string
	after := ""
	for range 1000 {
		var list []*daoyue.Booking
		e.view(func(tx daoyue.Tx) error {
			var err error
			list, err = tx.BookingsWithSealedToken(ctx, after, 50)
			wantNoErr(t, "with sealed token", err)
			return nil
		})
		if len(list) == 0 {
			break
		}
		for _, x := range list {
			if x.ManageTokenSealed == "" {
				t.Errorf("listed %s without a sealed token", x.ID)
			}
			if x.ID <= after {
				t.Errorf("not in id order: %s after %s", x.ID, after)
			}
			seen = append(seen, x.ID)
			after = x.ID
		}
	}
	for _, id := range []string{b.ID, bb.ID} {
		if !slices.Contains(seen, id) {
			t.Errorf("booking %s with a sealed token not listed", id)
		}
	}
	if slices.Contains(seen, plain.ID) {
		t.Errorf("booking without a sealed token listed")
	}
	e.update(func(tx daoyue.Tx) error { return tx.SetManageTokenSealed(ctx, w.a.ID, b.ID, "v1:k2:resealed") })
	wantCode(t, "reseal b's via a", e.try(func(tx daoyue.Tx) error {
		return tx.SetManageTokenSealed(ctx, w.a.ID, bb.ID, "stolen")
	}), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantNoErr(t, "resealed", err)
		wantEqual(t, "resealed", got.ManageTokenSealed, "v1:k2:resealed")
		got, err = tx.Booking(ctx, w.b.ID, bb.ID)
		wantNoErr(t, "b's", err)
		wantEqual(t, "b's unchanged", got.ManageTokenSealed, bb.ManageTokenSealed)
		return nil
	})
}

// The outbox is a queue: queued messages that are due are claimed by one
// sender for a lease, earliest first, never by two at once (also when
// several claim together); a failed attempt makes a message due again at
// its retry time, free for any sender; a lease that ends (its sender died)
// lets another take the message; kept and sent messages are never claimed.
func testClaimOutbox(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	b := e.booking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	claim := func(now time.Time, lease time.Duration, limit int) []string {
		t.Helper()
		var ids []string
		e.update(func(tx daoyue.Tx) error {
			cs, err := tx.ClaimOutbox(ctx, now, now.Add(lease), limit)
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			return err
		})
		return ids
	}
	// Another test's messages in a shared store: claimed out of the way
	// for far longer than this test looks.
	for len(claim(base, 10*365*24*time.Hour, 1000)) > 0 {
	}

	m1, m2, m3 := e.outbox(outboxMsg(b, daoyue.MailReceived, base)), e.outbox(outboxMsg(b, daoyue.MailConfirmed, base)),
		e.outbox(outboxMsg(b, daoyue.MailRescheduled, base))
	kept := outboxMsg(b, daoyue.MailCancelled, base)
	kept.Status = daoyue.MailKept
	e.outbox(kept)
	sent := e.outbox(outboxMsg(b, daoyue.MailCancelled, base))
	e.update(func(tx daoyue.Tx) error { return tx.MarkOutboxSent(ctx, w.a.ID, sent.ID, base) })

	lease := 3 * time.Minute
	wantEqual(t, "first claim, two, oldest first", claim(base, lease, 2), []string{m1.ID, m2.ID})
	wantEqual(t, "second claim, the rest", claim(base, lease, 10), []string{m3.ID})
	wantEqual(t, "all claimed", claim(base.Add(time.Minute), lease, 10), []string(nil))

	e.update(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m1.ID, "421 try later", false, base.Add(10*time.Minute))
	})
	wantEqual(t, "leases ended, m1 not due yet", claim(base.Add(5*time.Minute), time.Hour, 10), []string{m2.ID, m3.ID})
	e.update(func(tx daoyue.Tx) error {
		cs, err := tx.ClaimOutbox(ctx, base.Add(10*time.Minute), base.Add(13*time.Minute), 10)
		wantNoErr(t, "claim the retry", err)
		// The whole message, as stored, with its attempt and last error.
		want := *m1
		want.Attempts, want.LastError = 1, "421 try later"
		wantEqual(t, "the retry", cs, []*daoyue.OutboxMessage{&want})
		return nil
	})
	e.update(func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, w.a.ID, m2.ID, "550 no such user", true, time.Time{})
	})
	for _, m := range []*daoyue.OutboxMessage{m1, m3} {
		e.update(func(tx daoyue.Tx) error { return tx.MarkOutboxSent(ctx, w.a.ID, m.ID, base) })
	}
	wantEqual(t, "sent and failed are never claimed", claim(base.Add(time.Hour), lease, 10), []string(nil))

	// Eight senders claiming at once, one message each time, take each
	// of twenty exactly once.
	var fresh []string
	for range 20 {
		fresh = append(fresh, e.outbox(outboxMsg(b, daoyue.MailReceived, base)).ID)
	}
	now := base.Add(2 * time.Hour)
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var ids []string
				err := e.s.Update(ctx, func(tx daoyue.Tx) error {
					cs, err := tx.ClaimOutbox(ctx, now, now.Add(lease), 1)
					for _, c := range cs {
						ids = append(ids, c.ID)
					}
					return err
				})
				if err != nil {
					t.Errorf("concurrent claim: %v", err)
					return
				}
				if len(ids) == 0 {
					return
				}
				mu.Lock()
				got = append(got, ids...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(got)
	slices.Sort(fresh)
	wantEqual(t, "each claimed once", got, fresh)
}
