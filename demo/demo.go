// Package demo seeds the demo workspace that `go run ./cmd/daoyue` shows a
// newcomer in development mode, and that tests use as a realistic studio.
package demo

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// Slug of the demo workspace.
const Slug = "demo"

// Studio names the things Seed created.
type Studio struct {
	Workspace *daoyue.Workspace
	// Lin and Chen are the two practitioners.
	Lin, Chen *daoyue.Practitioner
	// Online is the auto-confirmed online service; InPerson needs the
	// studio's confirmation; PayFirst is online, auto-confirmed and needs
	// payment before confirmation.
	Online, InPerson, PayFirst *daoyue.Service
}

// weekdays09to18 is Monday to Friday 09:00–18:00 and Saturday 10:00–16:00.
func weekdays09to18() []daoyue.WeeklyRule {
	var rs []daoyue.WeeklyRule
	for d := time.Monday; d <= time.Friday; d++ {
		rs = append(rs, daoyue.WeeklyRule{Weekday: d, Start: 9 * 60, End: 18 * 60})
	}
	return append(rs, daoyue.WeeklyRule{Weekday: time.Saturday, Start: 10 * 60, End: 16 * 60})
}

// Seed creates the demo workspace with its owner (email, password) unless it
// exists; it returns nil, nil when the workspace was already there.
func Seed(ctx context.Context, a *app.App, email, password string) (*Studio, error) {
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceBySlug(ctx, Slug)
		return err
	})
	if err == nil {
		return nil, nil
	}
	if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, err
	}
	return Create(ctx, a, Slug, "靜心瑜珈工作室", email, password)
}

// Create makes a studio like the demo one under any slug (tests use it for
// several tenants).
func Create(ctx context.Context, a *app.App, slug, name, email, password string) (*Studio, error) {
	ws := &daoyue.Workspace{Slug: slug, Name: name, TimeZone: daoyue.DefaultTimeZone,
		Intro: "小班瑜珈與一對一線上課程。線上課程的 Zoom 連結會在預約成立後以 email 寄給您。"}
	if err := a.CreateWorkspace(ctx, ws); err != nil {
		return nil, err
	}
	u, err := a.EnsureMember(ctx, slug, email, "工作室負責人", password, daoyue.RoleOwner)
	if err != nil {
		return nil, err
	}
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
	st := &Studio{Workspace: ws}
	st.Lin = &daoyue.Practitioner{Name: "林雅婷", Email: "lin@" + slug + ".example", Bio: "哈達與陰瑜珈,十年教學經驗。", Active: true, Weekly: weekdays09to18()}
	st.Chen = &daoyue.Practitioner{Name: "陳志明", Email: "chen@" + slug + ".example", Bio: "正念呼吸與身心整合。", Active: true, Weekly: weekdays09to18()}
	for _, p := range []*daoyue.Practitioner{st.Lin, st.Chen} {
		if err := a.CreatePractitioner(ctx, slug, p); err != nil {
			return nil, err
		}
	}
	both := []string{st.Lin.ID, st.Chen.ID}
	st.Online = &daoyue.Service{Name: "線上一對一瑜珈", Description: "以 Zoom 進行的 60 分鐘一對一課程。", DurationMin: 60, BufferAfter: 15,
		SlotStep: 30, MinNoticeMin: 120, HorizonDays: 60, Online: true,
		OnlineInstructions: "課程以 Zoom 進行。預約成立後,會議連結會寄到您的 email;請提前 5 分鐘準備好瑜珈墊。",
		Price:              daoyue.Money{Amount: 1200, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: both, Active: true}
	st.InPerson = &daoyue.Service{Name: "工作室團體課體驗", Description: "在台北工作室的 90 分鐘體驗課,需工作室確認。", DurationMin: 90, BufferBefore: 15, BufferAfter: 15,
		SlotStep: 30, MinNoticeMin: 24 * 60, HorizonDays: 30, Location: "台北市大安區復興南路一段 100 號 3 樓",
		Price: daoyue.Money{Amount: 800, Currency: "TWD"}, Confirmation: daoyue.ConfirmManual, Payment: daoyue.PaymentNone,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: both, Active: true}
	st.PayFirst = &daoyue.Service{Name: "線上身心評估(先付款)", Description: "45 分鐘線上評估,付款完成後成立。", DurationMin: 45,
		SlotStep: 15, MinNoticeMin: 60, HorizonDays: 30, Online: true,
		OnlineInstructions: "評估以 Zoom 進行,付款完成並成立後會寄出會議連結。",
		Price:              daoyue.Money{Amount: 1500, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentBefore, PaymentDeadlineMin: 24 * 60,
		MeetingHost: daoyue.HostDesignated, DesignatedHostID: st.Chen.ID, PractitionerIDs: []string{st.Chen.ID}, Active: true}
	for _, s := range []*daoyue.Service{st.Online, st.InPerson, st.PayFirst} {
		s.Reminders = append([]int(nil), daoyue.DefaultReminders...)
		if err := a.CreateService(ctx, slug, s); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// FillCalendar writes n confirmed bookings of svc for each practitioner
// in ids, one an hour long every three hours from start (each
// practitioner's offset by 20 minutes from the previous one's), straight
// through the store: the heavy calendars of the benchmarks and the load
// test. Transactions hold 125 bookings of each practitioner, since every
// reservation raises its practitioner's calendar version and PostgreSQL
// slows down on one row updated thousands of times in a transaction.
func FillCalendar(ctx context.Context, db daoyue.Store, svc *daoyue.Service, ids []string, n int, start, now time.Time) error {
	for lo := 0; lo < n; lo += 125 {
		err := db.Update(ctx, func(tx daoyue.Tx) error {
			for pi, id := range ids {
				first := start.Add(time.Duration(pi) * 20 * time.Minute)
				for i := lo; i < min(lo+125, n); i++ {
					s := first.Add(time.Duration(i) * 3 * time.Hour)
					bk := &daoyue.Booking{ID: daoyue.NewID("bk"), WorkspaceID: svc.WorkspaceID, ServiceID: svc.ID,
						PractitionerID: id, HostID: id, Start: s, End: s.Add(time.Hour), Online: svc.Online,
						Status: daoyue.StatusConfirmed, Client: daoyue.Client{Name: "c", Email: "c@example.com"},
						Language: daoyue.LangZH, ManageTokenHash: daoyue.HashToken(daoyue.NewToken()),
						PaymentStatus: daoyue.PaymentNotRequired, Price: svc.Price, CreatedAt: now, UpdatedAt: now}
					if err := tx.CreateBooking(ctx, bk); err != nil {
						return err
					}
					if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: bk.WorkspaceID, PractitionerID: id, BookingID: bk.ID, Block: bk.Block()}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
