package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// ---- Availability ----

type availabilityPage struct {
	Practitioners []*daoyue.Practitioner
	P             *daoyue.Practitioner
	Days          []weekdayRow
	Overrides     []*daoyue.DateOverride
	Action        string
	Zoom          *zoomCard
}

type weekdayRow struct {
	Day    int
	Label  string
	Ranges []rangeVal
}

type rangeVal struct{ Start, End string }

// weekOrder lists weekdays Monday first, as studios plan their week.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func (s *Server) availabilityPage(w http.ResponseWriter, r *http.Request) {
	s.renderAvailability(w, r, http.StatusOK, r.URL.Query().Get("practitioner"), nil, nil)
}

// renderAvailability shows one practitioner's hours; after a failed save,
// form holds the input to show again.
func (s *Server) renderAvailability(w http.ResponseWriter, r *http.Request, status int, pid string, form url.Values, actionErr error) {
	v, ok := s.adminView(w, r, "availability", "page.availability.title")
	if !ok {
		return
	}
	slug := v.Admin.Workspace.Slug
	pracs, err := s.App.Practitioners(r.Context(), slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ap := &availabilityPage{Practitioners: pracs}
	for _, p := range pracs {
		if p.ID == pid || (pid == "" && ap.P == nil) {
			ap.P = p
		}
	}
	if ap.P == nil && pid != "" {
		s.fail(w, r, daoyue.ErrNotFound)
		return
	}
	v.Data = ap
	if ap.P == nil {
		s.render(w, r, status, "availability", v)
		return
	}
	p := ap.P
	ap.Action = v.Base() + "/availability/" + url.PathEscape(p.ID)
	v.SwitchURL = v.Base() + "/availability?practitioner=" + url.QueryEscape(p.ID)
	if actionErr != nil {
		s.applyError(r, v, actionErr)
		for k, vals := range form {
			v.Form[k] = vals
		}
	}
	for _, d := range weekOrder {
		row := weekdayRow{Day: int(d), Label: v.Weekday(d)}
		if form != nil && form.Get("form") == "weekly" {
			starts, ends := form["start_"+strconv.Itoa(int(d))], form["end_"+strconv.Itoa(int(d))]
			for i := range starts {
				if i < len(ends) && (strings.TrimSpace(starts[i]) != "" || strings.TrimSpace(ends[i]) != "") {
					row.Ranges = append(row.Ranges, rangeVal{starts[i], ends[i]})
				}
			}
		} else {
			for _, wr := range p.Weekly {
				if wr.Weekday == d {
					row.Ranges = append(row.Ranges, rangeVal{hhmm(wr.Start), hhmm(wr.End)})
				}
			}
		}
		// One empty pair adds a range without JavaScript.
		row.Ranges = append(row.Ranges, rangeVal{})
		ap.Days = append(ap.Days, row)
	}
	loc := v.Admin.Workspace.Location()
	today := s.App.Now().In(loc)
	ap.Overrides, err = s.App.Overrides(r.Context(), slug, p.ID, today.Format(time.DateOnly), today.AddDate(2, 0, 0).Format(time.DateOnly))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ap.Zoom, err = s.zoomCardOf(r, v, p, v.Base()+"/availability?practitioner="+url.QueryEscape(p.ID)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "availability", v)
}

func (s *Server) weeklySubmit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "availability", "page.availability.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	f := r.PostForm
	var rules []daoyue.WeeklyRule
	bad := false
	for d := time.Sunday; d <= time.Saturday; d++ {
		starts, ends := f["start_"+strconv.Itoa(int(d))], f["end_"+strconv.Itoa(int(d))]
		for i := range starts {
			st, en := strings.TrimSpace(starts[i]), ""
			if i < len(ends) {
				en = strings.TrimSpace(ends[i])
			}
			if st == "" && en == "" {
				continue
			}
			a, ok1 := parseHHMM(st)
			b, ok2 := parseHHMM(en)
			if !ok1 || !ok2 {
				bad = true
				continue
			}
			rules = append(rules, daoyue.WeeklyRule{Weekday: d, Start: a, End: b})
		}
	}
	var err error
	if bad {
		err = daoyue.FieldErrors{"weekly": "error.hours"}.Err()
	} else if werr := daoyue.ValidateWeekly(rules); werr != nil {
		// The domain's own check says which problem (bad or overlapping
		// hours); Practitioner.Validate reports every one as error.hours.
		key := "error.hours"
		var de *daoyue.Error
		if errors.As(werr, &de) && de.Key != "" {
			key = de.Key
		}
		err = daoyue.FieldErrors{"weekly": key}.Err()
	} else {
		_, err = s.App.UpdatePractitioner(r.Context(), v.Admin.Workspace.Slug, pid, app.PractitionerUpdate{Weekly: &rules})
	}
	if err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderAvailability(w, r, status, pid, f, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.hours_saved")
}

func (s *Server) overrideSubmit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "availability", "page.availability.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	f := r.PostForm
	o := &daoyue.DateOverride{PractitionerID: pid, Date: strings.TrimSpace(f.Get("date"))}
	var err error
	if f.Get("kind") == "hours" {
		for i := 1; i <= 2; i++ {
			st, en := strings.TrimSpace(f.Get("start"+strconv.Itoa(i))), strings.TrimSpace(f.Get("end"+strconv.Itoa(i)))
			if st == "" && en == "" {
				continue
			}
			a, ok1 := parseHHMM(st)
			b, ok2 := parseHHMM(en)
			if !ok1 || !ok2 {
				err = daoyue.FieldErrors{"ranges": "error.hours"}.Err()
				break
			}
			o.Ranges = append(o.Ranges, daoyue.TimeRange{Start: a, End: b})
		}
		if err == nil && len(o.Ranges) == 0 {
			err = daoyue.FieldErrors{"ranges": "error.required"}.Err()
		}
	}
	if err == nil {
		err = s.App.PutOverride(r.Context(), v.Admin.Workspace.Slug, o)
	}
	if err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderAvailability(w, r, status, pid, f, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.override_saved")
}

func (s *Server) overrideDelete(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "availability", "page.availability.title")
	if !ok {
		return
	}
	pid := r.PathValue("pid")
	if err := s.App.DeleteOverride(r.Context(), v.Admin.Workspace.Slug, pid, r.PathValue("date")); err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderAvailability(w, r, status, pid, nil, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.override_removed")
}

// setupFailed re-renders a settings form for input problems and shows the
// error page for anything else.
func (s *Server) setupFailed(w http.ResponseWriter, r *http.Request, err error, rerender func(status int)) {
	switch daoyue.ErrorCode(err) {
	case daoyue.EINVALID, daoyue.ECONFLICT, daoyue.ETRANSITION:
		status, _ := s.publicError(r, err)
		rerender(status)
	default:
		s.fail(w, r, err)
	}
}

// OverrideText describes a date override's hours.
func (v *view) OverrideText(o *daoyue.DateOverride) string {
	if len(o.Ranges) == 0 {
		return v.T("label.day_off")
	}
	parts := make([]string, len(o.Ranges))
	for i, rg := range o.Ranges {
		parts[i] = hhmm(rg.Start) + "–" + hhmm(rg.End)
	}
	return strings.Join(parts, ", ")
}

// ---- Practitioners ----

type practitionersPage struct {
	Practitioners []*daoyue.Practitioner
	P             *daoyue.Practitioner // the one being edited
	Zoom          *zoomCard            // its online meeting tools
	zoom          map[string]app.ZoomStatus
}

// ZoomOf is a listed practitioner's Zoom connection (zero: not connected).
func (pp *practitionersPage) ZoomOf(id string) app.ZoomStatus { return pp.zoom[id] }

func (s *Server) practitionersPage(w http.ResponseWriter, r *http.Request) {
	s.renderPractitioners(w, r, http.StatusOK, nil)
}

func (s *Server) renderPractitioners(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	v, ok := s.adminView(w, r, "practitioners", "page.practitioners.title")
	if !ok {
		return
	}
	pracs, err := s.App.Practitioners(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/practitioners"
	} else {
		v.Form.Set("active", "on")
	}
	zs, err := s.App.ZoomConnections(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Data = &practitionersPage{Practitioners: pracs, zoom: zs}
	s.render(w, r, status, "practitioners", v)
}

func practitionerForm(f url.Values) (name, email, bio string, active bool) {
	return strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("email")), f.Get("bio"), f.Get("active") != ""
}

func (s *Server) practitionerCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "practitioners", "page.practitioners.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	name, email, bio, active := practitionerForm(r.PostForm)
	p := &daoyue.Practitioner{Name: name, Email: email, Bio: bio, Active: active}
	if err := s.App.CreatePractitioner(r.Context(), v.Admin.Workspace.Slug, p); err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderPractitioners(w, r, status, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/practitioners/"+url.PathEscape(p.ID), "flash.practitioner_created")
}

func (s *Server) practitionerPage(w http.ResponseWriter, r *http.Request) {
	s.renderPractitioner(w, r, http.StatusOK, nil)
}

func (s *Server) renderPractitioner(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	v, ok := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if !ok {
		return
	}
	p, err := s.App.Practitioner(r.Context(), v.Admin.Workspace.Slug, r.PathValue("pid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/practitioners/" + url.PathEscape(p.ID)
	} else {
		v.Form.Set("name", p.Name)
		v.Form.Set("email", p.Email)
		v.Form.Set("bio", p.Bio)
		if p.Active {
			v.Form.Set("active", "on")
		}
	}
	v.Title = p.Name
	card, err := s.zoomCardOf(r, v, p, v.Base()+"/practitioners/"+url.PathEscape(p.ID))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Data = &practitionersPage{P: p, Zoom: card}
	s.render(w, r, status, "practitioner", v)
}

func (s *Server) practitionerUpdate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "practitioners", "page.practitioner.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	name, email, bio, active := practitionerForm(r.PostForm)
	pid := r.PathValue("pid")
	_, err := s.App.UpdatePractitioner(r.Context(), v.Admin.Workspace.Slug, pid, app.PractitionerUpdate{Name: &name, Email: &email, Bio: &bio, Active: &active})
	if err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderPractitioner(w, r, status, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/practitioners/"+url.PathEscape(pid), "flash.saved")
}

// ---- Services ----

type servicesPage struct {
	Services      []*daoyue.Service
	Practitioners []*daoyue.Practitioner
	S             *daoyue.Service // being edited; nil when new
	Action        string
}

func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "services", "page.services.title")
	if !ok {
		return
	}
	svcs, err := s.App.Services(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Data = &servicesPage{Services: svcs}
	s.render(w, r, http.StatusOK, "services", v)
}

func (s *Server) serviceNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderServiceForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) serviceEditPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "services", "page.service.edit")
	if !ok {
		return
	}
	svc, err := s.App.Service(r.Context(), v.Admin.Workspace.Slug, r.PathValue("sid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderServiceForm(w, r, http.StatusOK, svc, nil)
}

// serviceValues writes a service into form values, the names the form uses.
func serviceValues(svc *daoyue.Service) url.Values {
	f := url.Values{}
	itoa := strconv.Itoa
	f.Set("name", svc.Name)
	f.Set("description", svc.Description)
	f.Set("duration_minutes", itoa(svc.DurationMin))
	f.Set("buffer_before_minutes", itoa(svc.BufferBefore))
	f.Set("buffer_after_minutes", itoa(svc.BufferAfter))
	f.Set("slot_step_minutes", itoa(svc.SlotStep))
	f.Set("min_notice_minutes", itoa(svc.MinNoticeMin))
	f.Set("horizon_days", itoa(svc.HorizonDays))
	f.Set("mode", "in_person")
	if svc.Online {
		f.Set("mode", "online")
	}
	f.Set("online_instructions", svc.OnlineInstructions)
	f.Set("location", svc.Location)
	f.Set("price.amount", strconv.FormatInt(svc.Price.Amount, 10))
	f.Set("price.currency", svc.Price.Currency)
	f.Set("confirmation", string(svc.Confirmation))
	f.Set("payment", string(svc.Payment))
	f.Set("payment_deadline_minutes", itoa(svc.PaymentDeadlineMin))
	f.Set("meeting_host", string(svc.MeetingHost))
	f.Set("designated_host_id", svc.DesignatedHostID)
	f["practitioner_ids"] = append([]string(nil), svc.PractitionerIDs...)
	if svc.Active {
		f.Set("active", "on")
	}
	return f
}

// serviceFromForm reads the service form; numbers that do not parse are
// field errors.
func serviceFromForm(f url.Values) (*daoyue.Service, daoyue.FieldErrors) {
	fe := daoyue.FieldErrors{}
	num := func(name string) int {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add(name, "error.number")
		}
		return n
	}
	svc := &daoyue.Service{
		Name:               strings.TrimSpace(f.Get("name")),
		Description:        strings.TrimSpace(f.Get("description")),
		DurationMin:        num("duration_minutes"),
		BufferBefore:       num("buffer_before_minutes"),
		BufferAfter:        num("buffer_after_minutes"),
		SlotStep:           num("slot_step_minutes"),
		MinNoticeMin:       num("min_notice_minutes"),
		HorizonDays:        num("horizon_days"),
		Online:             f.Get("mode") == "online",
		OnlineInstructions: strings.TrimSpace(f.Get("online_instructions")),
		Location:           strings.TrimSpace(f.Get("location")),
		Price:              daoyue.Money{Amount: int64(num("price.amount")), Currency: strings.ToUpper(strings.TrimSpace(f.Get("price.currency")))},
		Confirmation:       daoyue.Confirmation(f.Get("confirmation")),
		Payment:            daoyue.PaymentRule(f.Get("payment")),
		PaymentDeadlineMin: num("payment_deadline_minutes"),
		MeetingHost:        daoyue.MeetingHost(f.Get("meeting_host")),
		DesignatedHostID:   f.Get("designated_host_id"),
		PractitionerIDs:    f["practitioner_ids"],
		Active:             f.Get("active") != "",
	}
	if svc.Payment == daoyue.PaymentNone {
		svc.PaymentDeadlineMin = 0
	}
	if svc.MeetingHost != daoyue.HostDesignated {
		svc.DesignatedHostID = ""
	}
	return svc, fe
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, svc *daoyue.Service, actionErr error) {
	title := "page.service.new"
	if svc != nil {
		title = "page.service.edit"
	}
	v, ok := s.adminView(w, r, "services", title)
	if !ok {
		return
	}
	pracs, err := s.App.Practitioners(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sp := &servicesPage{Practitioners: pracs, S: svc, Action: v.Base() + "/services"}
	switch {
	case actionErr != nil:
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
	case svc != nil:
		v.Form = serviceValues(svc)
	default:
		v.Form = serviceValues(&daoyue.Service{DurationMin: 60, HorizonDays: 60, MinNoticeMin: 120, Online: true,
			Price: daoyue.Money{Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
			PaymentDeadlineMin: 24 * 60, MeetingHost: daoyue.HostAssigned, Active: true})
	}
	if svc != nil {
		sp.Action = v.Base() + "/services/" + url.PathEscape(svc.ID)
		v.Title = svc.Name
		v.SwitchURL = sp.Action
	} else {
		v.SwitchURL = v.Base() + "/services/new"
	}
	v.Data = sp
	s.render(w, r, status, "service", v)
}

func (s *Server) serviceCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "services", "page.service.new")
	if !ok {
		return
	}
	_ = r.ParseForm()
	svc, fe := serviceFromForm(r.PostForm)
	err := fe.Err()
	if err == nil {
		err = s.App.CreateService(r.Context(), v.Admin.Workspace.Slug, svc)
	}
	if err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderServiceForm(w, r, status, nil, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/services", "flash.service_created")
}

func (s *Server) serviceUpdate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "services", "page.service.edit")
	if !ok {
		return
	}
	slug := v.Admin.Workspace.Slug
	old, err := s.App.Service(r.Context(), slug, r.PathValue("sid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	svc, fe := serviceFromForm(r.PostForm)
	svc.ID = old.ID
	err = fe.Err()
	if err == nil {
		err = s.App.UpdateService(r.Context(), slug, svc)
	}
	if err != nil {
		s.setupFailed(w, r, err, func(status int) { s.renderServiceForm(w, r, status, old, err) })
		return
	}
	s.redirectFlash(w, r, v.Base()+"/services/"+url.PathEscape(old.ID), "flash.saved")
}

// PractitionerNames lists the names of the practitioners with the ids given.
func (sp *servicesPage) PractitionerNames(ids []string) string {
	var names []string
	for _, id := range ids {
		for _, p := range sp.Practitioners {
			if p.ID == id {
				names = append(names, p.Name)
			}
		}
	}
	return strings.Join(names, "、")
}

// ---- Members ----

type membersPage struct {
	Members     []*daoyue.Member
	Invitations []*daoyue.Invitation
	Expired     map[string]bool // invitation ids whose link has expired
	Roles       []daoyue.Role   // the roles the signed-in member may give
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request) {
	s.renderMembers(w, r, http.StatusOK, nil)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	ms, err := s.App.Members(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	invs, err := s.App.Invitations(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mp := &membersPage{Members: ms, Invitations: invs, Expired: map[string]bool{}, Roles: []daoyue.Role{daoyue.RoleStaff, daoyue.RoleAdmin}}
	for _, inv := range invs {
		mp.Expired[inv.ID] = inv.State(s.App.Now()) == daoyue.InvitationExpired
	}
	if v.Admin.Member.Role == daoyue.RoleOwner {
		mp.Roles = append(mp.Roles, daoyue.RoleOwner)
	}
	if actionErr != nil {
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
		v.SwitchURL = v.Base() + "/members"
	} else {
		v.Form.Set("role", string(daoyue.RoleStaff))
	}
	v.Data = mp
	s.render(w, r, status, "members", v)
}

// CanEditMember reports whether the signed-in member may change m.
func (v *view) CanEditMember(m *daoyue.Member) bool {
	if !v.CanManage() {
		return false
	}
	return m.Role != daoyue.RoleOwner || v.Admin.Member.Role == daoyue.RoleOwner
}

func (s *Server) memberInvite(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	if _, err := s.App.InviteMember(r.Context(), v.Admin.Workspace.Slug, f.Get("email"), daoyue.Role(f.Get("role")), v.Lang); err != nil {
		s.memberFailed(w, r, err)
		return
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_sent")
}

func (s *Server) invitationResend(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	if _, err := s.App.ResendInvitation(r.Context(), v.Admin.Workspace.Slug, r.PathValue("iid"), v.Lang); err != nil {
		s.memberFailed(w, r, err)
		return
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_sent")
}

func (s *Server) invitationRevoke(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	if err := s.App.RevokeInvitation(r.Context(), v.Admin.Workspace.Slug, r.PathValue("iid")); err != nil {
		s.memberFailed(w, r, err)
		return
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.invitation_revoked")
}

func (s *Server) memberRole(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	_ = r.ParseForm()
	if err := s.App.SetMemberRole(r.Context(), v.Admin.Workspace.Slug, r.PathValue("uid"), daoyue.Role(r.PostFormValue("role"))); err != nil {
		s.memberFailed(w, r, err)
		return
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.role_changed")
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminView(w, r, "members", "page.members.title")
	if !ok {
		return
	}
	if err := s.App.RemoveMember(r.Context(), v.Admin.Workspace.Slug, r.PathValue("uid")); err != nil {
		s.memberFailed(w, r, err)
		return
	}
	s.redirectFlash(w, r, v.Base()+"/members", "flash.member_removed")
}

func (s *Server) memberFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.setupFailed(w, r, err, func(status int) { s.renderMembers(w, r, status, err) })
}
