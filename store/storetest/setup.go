package storetest

import (
	"fmt"
	"time"

	"github.com/daoyue/daoyue"
)

func testWorkspace(e *env) {
	t, ctx := e.t, e.ctx
	w := e.workspace()
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.WorkspaceBySlug(ctx, w.Slug)
		wantNoErr(t, "by slug", err)
		wantEqual(t, "by slug", got, w)
		got, err = tx.WorkspaceByID(ctx, w.ID)
		wantNoErr(t, "by id", err)
		wantEqual(t, "by id", got, w)
		_, err = tx.WorkspaceBySlug(ctx, "no-such-"+rnd())
		wantCode(t, "missing slug", err, daoyue.ENOTFOUND)
		_, err = tx.WorkspaceByID(ctx, daoyue.NewID("ws"))
		wantCode(t, "missing id", err, daoyue.ENOTFOUND)
		return nil
	})

	w.Name, w.Intro, w.TimeZone, w.Slug = "Renamed", "新介紹", "Europe/Berlin", "r"+rnd()
	w.ContactEmail, w.ContactPhone, w.PaymentInstructions = "hello@studio.test", "+886 2 1234-5678", "台灣銀行 004\n帳號 123-456"
	w.LogoVersion = "0a1b2c3d4e5f"
	e.update(func(tx daoyue.Tx) error { return tx.UpdateWorkspace(ctx, w) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.WorkspaceByID(ctx, w.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, w)
		return nil
	})

	other := e.workspace()
	clash := *other
	clash.ID = daoyue.NewID("ws")
	wantCode(t, "create with taken slug", e.try(func(tx daoyue.Tx) error { return tx.CreateWorkspace(ctx, &clash) }), daoyue.ECONFLICT)
	clash = *w
	clash.Slug = other.Slug
	wantCode(t, "update to taken slug", e.try(func(tx daoyue.Tx) error { return tx.UpdateWorkspace(ctx, &clash) }), daoyue.ECONFLICT)
	missing := *w
	missing.ID = daoyue.NewID("ws")
	missing.Slug = "m" + rnd()
	wantCode(t, "update missing", e.try(func(tx daoyue.Tx) error { return tx.UpdateWorkspace(ctx, &missing) }), daoyue.ENOTFOUND)

	// WorkspacesOf lists the user's workspaces by name.
	u := e.user()
	w.Name, other.Name = "Zeta "+rnd(), "Alpha "+rnd()
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "rename", tx.UpdateWorkspace(ctx, w))
		wantNoErr(t, "rename", tx.UpdateWorkspace(ctx, other))
		wantNoErr(t, "put member", tx.PutMember(ctx, &daoyue.Member{WorkspaceID: w.ID, UserID: u.ID, Role: daoyue.RoleOwner, CreatedAt: base}))
		return tx.PutMember(ctx, &daoyue.Member{WorkspaceID: other.ID, UserID: u.ID, Role: daoyue.RoleStaff, CreatedAt: base})
	})
	e.view(func(tx daoyue.Tx) error {
		list, err := tx.WorkspacesOf(ctx, u.ID)
		wantNoErr(t, "workspaces of", err)
		wantEqual(t, "workspaces of", ids(list, func(w *daoyue.Workspace) string { return w.ID }), []string{other.ID, w.ID})
		list, err = tx.WorkspacesOf(ctx, daoyue.NewID("us"))
		wantNoErr(t, "workspaces of nobody", err)
		wantEqual(t, "workspaces of nobody", len(list), 0)
		return nil
	})
}

func testWorkspaceLogo(e *env) {
	t, ctx := e.t, e.ctx
	w, other := e.workspace(), e.workspace()
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceLogo(ctx, w.ID)
		wantCode(t, "no logo yet", err, daoyue.ENOTFOUND)
		return nil
	})
	// Every byte value survives, as does the largest allowed size.
	data := make([]byte, daoyue.MaxLogoBytes)
	for i := range data {
		data[i] = byte(i * 7)
	}
	l := &daoyue.Logo{ContentType: "image/png", Data: data, UpdatedAt: base}
	e.update(func(tx daoyue.Tx) error { return tx.PutWorkspaceLogo(ctx, w.ID, l) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.WorkspaceLogo(ctx, w.ID)
		wantNoErr(t, "logo", err)
		wantEqual(t, "logo", got, l)
		_, err = tx.WorkspaceLogo(ctx, other.ID)
		wantCode(t, "the other studio has none", err, daoyue.ENOTFOUND)
		return nil
	})
	// A second put replaces the first.
	l2 := &daoyue.Logo{ContentType: "image/webp", Data: []byte("RIFF----WEBP"), UpdatedAt: base.Add(time.Hour)}
	e.update(func(tx daoyue.Tx) error { return tx.PutWorkspaceLogo(ctx, w.ID, l2) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.WorkspaceLogo(ctx, w.ID)
		wantNoErr(t, "replaced logo", err)
		wantEqual(t, "replaced logo", got, l2)
		return nil
	})
	e.update(func(tx daoyue.Tx) error {
		wantNoErr(t, "delete", tx.DeleteWorkspaceLogo(ctx, w.ID))
		return tx.DeleteWorkspaceLogo(ctx, w.ID) // none left: still fine
	})
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.WorkspaceLogo(ctx, w.ID)
		wantCode(t, "deleted", err, daoyue.ENOTFOUND)
		return nil
	})
}

func testUser(e *env) {
	t, ctx := e.t, e.ctx
	u := e.user()
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.UserByEmail(ctx, u.Email)
		wantNoErr(t, "by email", err)
		wantEqual(t, "by email", got, u)
		got, err = tx.UserByID(ctx, u.ID)
		wantNoErr(t, "by id", err)
		wantEqual(t, "by id", got, u)
		_, err = tx.UserByEmail(ctx, "nobody-"+rnd()+"@example.com")
		wantCode(t, "missing email", err, daoyue.ENOTFOUND)
		_, err = tx.UserByID(ctx, daoyue.NewID("us"))
		wantCode(t, "missing id", err, daoyue.ENOTFOUND)
		return nil
	})
	u.Name, u.PasswordHash, u.Email = "新名字", "hash2", "new-"+rnd()+"@example.com"
	e.update(func(tx daoyue.Tx) error { return tx.UpdateUser(ctx, u) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.UserByID(ctx, u.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, u)
		return nil
	})
	other := e.user()
	clash := *other
	clash.ID = daoyue.NewID("us")
	wantCode(t, "create with taken email", e.try(func(tx daoyue.Tx) error { return tx.CreateUser(ctx, &clash) }), daoyue.ECONFLICT)
	clash = *u
	clash.Email = other.Email
	wantCode(t, "update to taken email", e.try(func(tx daoyue.Tx) error { return tx.UpdateUser(ctx, &clash) }), daoyue.ECONFLICT)
	clash = *u
	clash.ID = daoyue.NewID("us")
	clash.Email = rnd() + "@example.com"
	wantCode(t, "update missing", e.try(func(tx daoyue.Tx) error { return tx.UpdateUser(ctx, &clash) }), daoyue.ENOTFOUND)
}

func testMember(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.workspace(), e.workspace()
	u1, u2, ub := e.user(), e.user(), e.user()
	m1 := &daoyue.Member{WorkspaceID: a.ID, UserID: u1.ID, Role: daoyue.RoleOwner, Email: u1.Email, Name: u1.Name, CreatedAt: base}
	m2 := &daoyue.Member{WorkspaceID: a.ID, UserID: u2.ID, Role: daoyue.RoleStaff, Email: u2.Email, Name: u2.Name, CreatedAt: base.Add(time.Minute)}
	mb := &daoyue.Member{WorkspaceID: b.ID, UserID: ub.ID, Role: daoyue.RoleOwner, Email: ub.Email, Name: ub.Name, CreatedAt: base}
	e.update(func(tx daoyue.Tx) error {
		for _, m := range []*daoyue.Member{m1, m2, mb} {
			wantNoErr(t, "put member", tx.PutMember(ctx, m))
		}
		return nil
	})
	// PutMember again changes the role only.
	m2.Role = daoyue.RoleAdmin
	again := *m2
	again.CreatedAt = base.Add(time.Hour)
	e.update(func(tx daoyue.Tx) error { return tx.PutMember(ctx, &again) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Member(ctx, a.ID, u2.ID)
		wantNoErr(t, "member", err)
		wantEqual(t, "member", got, m2)
		list, err := tx.ListMembers(ctx, a.ID)
		wantNoErr(t, "list members", err)
		want := []*daoyue.Member{m1, m2}
		if u2.Email < u1.Email {
			want = []*daoyue.Member{m2, m1}
		}
		wantEqual(t, "list members (by email)", list, want)
		_, err = tx.Member(ctx, a.ID, daoyue.NewID("us"))
		wantCode(t, "missing member", err, daoyue.ENOTFOUND)
		// Tenancy: b's member looked up through a.
		_, err = tx.Member(ctx, a.ID, ub.ID)
		wantCode(t, "b's member via a", err, daoyue.ENOTFOUND)
		owners, err := tx.Owners(ctx, a.ID)
		wantNoErr(t, "owners", err)
		wantEqual(t, "owners of a (not its admin, not b's owner)", owners, []string{u1.ID})
		return nil
	})
	// Owners in a write transaction too (where PostgreSQL locks them), in id order.
	rolledBack := e.try(func(tx daoyue.Tx) error {
		wantNoErr(t, "second owner", tx.PutMember(ctx, &daoyue.Member{WorkspaceID: a.ID, UserID: u2.ID, Role: daoyue.RoleOwner, CreatedAt: base}))
		owners, err := tx.Owners(ctx, a.ID)
		wantNoErr(t, "owners", err)
		want := []string{u1.ID, u2.ID}
		if u2.ID < u1.ID {
			want = []string{u2.ID, u1.ID}
		}
		wantEqual(t, "owners of a", owners, want)
		return errRollback
	})
	if rolledBack != errRollback {
		t.Fatalf("owners in a write transaction: %v", rolledBack)
	}
	wantCode(t, "delete b's member via a", e.try(func(tx daoyue.Tx) error { return tx.DeleteMember(ctx, a.ID, ub.ID) }), daoyue.ENOTFOUND)
	wantCode(t, "member of missing user", e.try(func(tx daoyue.Tx) error {
		return tx.PutMember(ctx, &daoyue.Member{WorkspaceID: a.ID, UserID: daoyue.NewID("us"), Role: daoyue.RoleStaff, CreatedAt: base})
	}), daoyue.ENOTFOUND)
	wantCode(t, "member of missing workspace", e.try(func(tx daoyue.Tx) error {
		return tx.PutMember(ctx, &daoyue.Member{WorkspaceID: daoyue.NewID("ws"), UserID: u1.ID, Role: daoyue.RoleStaff, CreatedAt: base})
	}), daoyue.ENOTFOUND)
	e.update(func(tx daoyue.Tx) error { return tx.DeleteMember(ctx, a.ID, u1.ID) })
	wantCode(t, "delete again", e.try(func(tx daoyue.Tx) error { return tx.DeleteMember(ctx, a.ID, u1.ID) }), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.Member(ctx, a.ID, u1.ID)
		wantCode(t, "deleted member", err, daoyue.ENOTFOUND)
		got, err := tx.Member(ctx, b.ID, ub.ID)
		wantNoErr(t, "b's member survives", err)
		wantEqual(t, "b's member survives", got, mb)
		list, err := tx.ListMembers(ctx, b.ID)
		wantNoErr(t, "list b", err)
		wantEqual(t, "list b", list, []*daoyue.Member{mb})
		return nil
	})
}

func testPractitioner(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Practitioner(ctx, w.a.ID, w.pa.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, w.pa)
		list, err := tx.ListPractitioners(ctx, w.a.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (by name)", list, []*daoyue.Practitioner{w.pa, w.pa2})
		_, err = tx.Practitioner(ctx, w.a.ID, daoyue.NewID("pr"))
		wantCode(t, "missing", err, daoyue.ENOTFOUND)
		_, err = tx.Practitioner(ctx, w.a.ID, w.pb.ID)
		wantCode(t, "b's practitioner via a", err, daoyue.ENOTFOUND)
		return nil
	})
	p := *w.pa
	p.Name, p.Email, p.Bio, p.Active, p.DefaultOnConnect = "Zed", "", "新的介紹", false, true
	p.Weekly = []daoyue.WeeklyRule{{Weekday: time.Sunday, Start: 0, End: 1440}}
	e.update(func(tx daoyue.Tx) error { return tx.UpdatePractitioner(ctx, &p) })
	p.Weekly = nil
	e.update(func(tx daoyue.Tx) error { return tx.UpdatePractitioner(ctx, &p) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Practitioner(ctx, w.a.ID, p.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, &p)
		list, err := tx.ListPractitioners(ctx, w.a.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list after rename", list, []*daoyue.Practitioner{w.pa2, &p})
		return nil
	})

	// Tenancy: b's practitioner cannot be changed or locked through a.
	hijack := *w.pb
	hijack.WorkspaceID, hijack.Name = w.a.ID, "Hijacked"
	wantCode(t, "update b's via a", e.try(func(tx daoyue.Tx) error { return tx.UpdatePractitioner(ctx, &hijack) }), daoyue.ENOTFOUND)
	wantCode(t, "lock b's via a", e.try(func(tx daoyue.Tx) error { return tx.LockPractitioner(ctx, w.a.ID, w.pb.ID) }), daoyue.ENOTFOUND)
	wantCode(t, "lock missing", e.try(func(tx daoyue.Tx) error { return tx.LockPractitioner(ctx, w.a.ID, daoyue.NewID("pr")) }), daoyue.ENOTFOUND)
	wantNoErr(t, "lock", e.try(func(tx daoyue.Tx) error { return tx.LockPractitioner(ctx, w.a.ID, w.pa.ID) }))
	dup := *w.pb
	wantCode(t, "create with taken id", e.try(func(tx daoyue.Tx) error { return tx.CreatePractitioner(ctx, &dup) }), daoyue.ECONFLICT)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Practitioner(ctx, w.b.ID, w.pb.ID)
		wantNoErr(t, "b's practitioner", err)
		wantEqual(t, "b's practitioner unchanged", got, w.pb)
		return nil
	})
}

func testOverride(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	o1 := &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-01", Ranges: []daoyue.TimeRange{{Start: 600, End: 720}, {Start: 780, End: 900}}}
	o2 := &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-05"} // a day off
	o3 := &daoyue.DateOverride{PractitionerID: w.pa.ID, Date: "2030-03-09", Ranges: []daoyue.TimeRange{{Start: 0, End: 60}}}
	ob := &daoyue.DateOverride{PractitionerID: w.pb.ID, Date: "2030-03-05", Ranges: []daoyue.TimeRange{{Start: 60, End: 120}}}
	e.update(func(tx daoyue.Tx) error {
		for _, o := range []*daoyue.DateOverride{o3, o1, o2} {
			wantNoErr(t, "put", tx.PutOverride(ctx, w.a.ID, o))
		}
		return tx.PutOverride(ctx, w.b.ID, ob)
	})
	list := func(ws, pid, from, to string) []*daoyue.DateOverride {
		var out []*daoyue.DateOverride
		e.view(func(tx daoyue.Tx) error {
			var err error
			out, err = tx.ListOverrides(ctx, ws, pid, from, to)
			return err
		})
		return out
	}
	wantEqual(t, "list inclusive", list(w.a.ID, w.pa.ID, "2030-03-01", "2030-03-05"), []*daoyue.DateOverride{o1, o2})
	wantEqual(t, "list all", list(w.a.ID, w.pa.ID, "2030-01-01", "2030-12-31"), []*daoyue.DateOverride{o1, o2, o3})
	wantEqual(t, "list none", len(list(w.a.ID, w.pa2.ID, "2030-01-01", "2030-12-31")), 0)
	// The whole workspace's at once: a's only, by practitioner then date.
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.ListWorkspaceOverrides(ctx, w.a.ID, "2030-03-01", "2030-03-05")
		wantNoErr(t, "list workspace", err)
		wantEqual(t, "list workspace", got, []*daoyue.DateOverride{o1, o2})
		got, err = tx.ListWorkspaceOverrides(ctx, w.b.ID, "2030-01-01", "2030-12-31")
		wantNoErr(t, "list workspace b", err)
		wantEqual(t, "list workspace b", got, []*daoyue.DateOverride{ob})
		return nil
	})

	// Put replaces.
	o2.Ranges = []daoyue.TimeRange{{Start: 1000, End: 1100}}
	e.update(func(tx daoyue.Tx) error { return tx.PutOverride(ctx, w.a.ID, o2) })
	e.update(func(tx daoyue.Tx) error { return tx.DeleteOverride(ctx, w.a.ID, w.pa.ID, o1.Date) })
	e.update(func(tx daoyue.Tx) error { return tx.DeleteOverride(ctx, w.a.ID, w.pa.ID, "2030-07-07") }) // nothing there
	wantEqual(t, "after replace and delete", list(w.a.ID, w.pa.ID, "2030-01-01", "2030-12-31"), []*daoyue.DateOverride{o2, o3})

	// Tenancy: b's practitioner's overrides are out of a's reach.
	wantEqual(t, "b's via a", len(list(w.a.ID, w.pb.ID, "2030-01-01", "2030-12-31")), 0)
	hijack := &daoyue.DateOverride{PractitionerID: w.pb.ID, Date: ob.Date} // same date: would hit b's row
	wantCode(t, "put over b's via a", e.try(func(tx daoyue.Tx) error { return tx.PutOverride(ctx, w.a.ID, hijack) }), daoyue.ENOTFOUND)
	fresh := &daoyue.DateOverride{PractitionerID: w.pb.ID, Date: "2030-04-01"}
	wantCode(t, "put new for b's via a", e.try(func(tx daoyue.Tx) error { return tx.PutOverride(ctx, w.a.ID, fresh) }), daoyue.ENOTFOUND)
	e.update(func(tx daoyue.Tx) error { return tx.DeleteOverride(ctx, w.a.ID, w.pb.ID, ob.Date) })
	wantEqual(t, "b's unchanged", list(w.b.ID, w.pb.ID, "2030-01-01", "2030-12-31"), []*daoyue.DateOverride{ob})
}

func testService(e *env) {
	t, ctx := e.t, e.ctx
	w := e.world()
	s2 := e.service(w.a, "Another", w.pa2.ID)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Service(ctx, w.a.ID, w.sa.ID)
		wantNoErr(t, "get", err)
		wantEqual(t, "get", got, w.sa)
		list, err := tx.ListServices(ctx, w.a.ID)
		wantNoErr(t, "list", err)
		wantEqual(t, "list (by name)", list, []*daoyue.Service{s2, w.sa})
		_, err = tx.Service(ctx, w.a.ID, daoyue.NewID("sv"))
		wantCode(t, "missing", err, daoyue.ENOTFOUND)
		_, err = tx.Service(ctx, w.a.ID, w.sb.ID)
		wantCode(t, "b's service via a", err, daoyue.ENOTFOUND)
		return nil
	})

	s := *w.sa
	s.Name, s.Description, s.DurationMin, s.BufferBefore, s.BufferAfter, s.SlotStep = "Changed", "新說明", 90, 0, 30, 0
	s.MinNoticeMin, s.HorizonDays, s.Online, s.OnlineInstructions, s.Location = 0, 365, false, "", "台北市"
	s.Price = daoyue.Money{Amount: 0, Currency: "USD"}
	s.Confirmation, s.Payment, s.PaymentDeadlineMin = daoyue.ConfirmAuto, daoyue.PaymentNone, 0
	s.MeetingHost, s.DesignatedHostID, s.Active = daoyue.HostDesignated, w.pa2.ID, false
	s.PractitionerIDs = []string{w.pa2.ID, w.pa.ID} // order kept
	e.update(func(tx daoyue.Tx) error { return tx.UpdateService(ctx, &s) })
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Service(ctx, w.a.ID, s.ID)
		wantNoErr(t, "after update", err)
		wantEqual(t, "after update", got, &s)
		return nil
	})

	// Tenancy: b's practitioner cannot serve a's service; b's service cannot be changed via a.
	bad := *w.sa
	bad.ID, bad.PractitionerIDs = daoyue.NewID("sv"), []string{w.pa.ID, w.pb.ID}
	wantCode(t, "create with b's practitioner", e.try(func(tx daoyue.Tx) error { return tx.CreateService(ctx, &bad) }), daoyue.ENOTFOUND)
	bad = s
	bad.PractitionerIDs = []string{w.pb.ID}
	wantCode(t, "update with b's practitioner", e.try(func(tx daoyue.Tx) error { return tx.UpdateService(ctx, &bad) }), daoyue.ENOTFOUND)
	hijack := *w.sb
	hijack.WorkspaceID, hijack.Name, hijack.PractitionerIDs = w.a.ID, "Hijacked", []string{w.pa.ID}
	wantCode(t, "update b's via a", e.try(func(tx daoyue.Tx) error { return tx.UpdateService(ctx, &hijack) }), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.Service(ctx, w.b.ID, w.sb.ID)
		wantNoErr(t, "b's service", err)
		wantEqual(t, "b's service unchanged", got, w.sb)
		got, err = tx.Service(ctx, w.a.ID, s.ID)
		wantNoErr(t, "a's service", err)
		wantEqual(t, "a's service unchanged by failed update", got, &s)
		list, err := tx.ListServices(ctx, w.b.ID)
		wantNoErr(t, "list b", err)
		wantEqual(t, "list b", list, []*daoyue.Service{w.sb})
		return nil
	})
}

// An authenticator step is used once, only forward, and its record
// changes nothing else of the account (a password changed meanwhile stays).
func testUseTOTPStep(e *env) {
	t, ctx := e.t, e.ctx
	u := e.user()
	// A change committed after the sign-in read the account.
	u.PasswordHash, u.TOTPSealed = "changed", "v1.totp."+rnd()
	e.update(func(tx daoyue.Tx) error { return tx.UpdateUser(ctx, u) })
	for _, c := range []struct {
		step int64
		want bool
	}{{5, true}, {5, false}, {4, false}, {6, true}, {0, false}} {
		var got bool
		e.update(func(tx daoyue.Tx) error {
			var err error
			got, err = tx.UseTOTPStep(ctx, u.ID, c.step)
			return err
		})
		if got != c.want {
			t.Errorf("step %d: used %v, want %v", c.step, got, c.want)
		}
	}
	wantCode(t, "unknown user", e.try(func(tx daoyue.Tx) error {
		if ok, err := tx.UseTOTPStep(ctx, daoyue.NewID("us"), 9); err != nil || ok {
			return fmt.Errorf("used %v, %v", ok, err)
		}
		return daoyue.ErrNotFound
	}), daoyue.ENOTFOUND)
	e.view(func(tx daoyue.Tx) error {
		got, err := tx.UserByID(ctx, u.ID)
		wantNoErr(t, "user", err)
		want := *u
		want.TOTPLastStep = 6
		wantEqual(t, "account after the steps", got, &want)
		return nil
	})
}
