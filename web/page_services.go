package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/daoyue/daoyue"
)

// The services pages: the list, and the form to add or edit one.

type servicesPage struct {
	Services      []*daoyue.Service
	Practitioners []*daoyue.Practitioner
	S             *daoyue.Service // being edited; nil when new
	Action        string
}

func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "services", "page.services.title")
	if err != nil {
		return err
	}
	svcs, err := s.App.Services(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	v.Data = &servicesPage{Services: svcs}
	s.render(w, r, http.StatusOK, "services", v)
	return nil
}

func (s *Server) serviceNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderServiceForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) serviceEditPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "services", "page.service.edit")
	if err != nil {
		return err
	}
	svc, err := s.App.Service(r.Context(), v.Admin.Workspace.Slug, r.PathValue("sid"))
	if err != nil {
		return err
	}
	return s.renderServiceForm(w, r, http.StatusOK, svc, nil)
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
	f.Set("reminder_minutes", daoyue.FormatReminders(svc.Reminders))
	f.Set("meeting_host", string(svc.MeetingHost))
	f.Set("designated_host_id", svc.DesignatedHostID)
	f["practitioner_ids"] = append([]string(nil), svc.PractitionerIDs...)
	if svc.Active {
		f.Set("active", "on")
	}
	return f
}

// suggestedService is what the form for a new service starts with: the
// domain's defaults, and a common hour-long online session as a starting
// point for the fields that have none.
func suggestedService() *daoyue.Service {
	svc := daoyue.NewService()
	svc.DurationMin, svc.MinNoticeMin, svc.Online, svc.PaymentDeadlineMin = 60, 120, true, 24*60
	return svc
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
		Name:               f.Get("name"),
		Description:        f.Get("description"),
		DurationMin:        num("duration_minutes"),
		BufferBefore:       num("buffer_before_minutes"),
		BufferAfter:        num("buffer_after_minutes"),
		SlotStep:           num("slot_step_minutes"),
		MinNoticeMin:       num("min_notice_minutes"),
		HorizonDays:        num("horizon_days"),
		Online:             f.Get("mode") == "online",
		OnlineInstructions: f.Get("online_instructions"),
		Location:           f.Get("location"),
		Price:              daoyue.Money{Amount: int64(num("price.amount")), Currency: f.Get("price.currency")},
		Confirmation:       daoyue.Confirmation(f.Get("confirmation")),
		Payment:            daoyue.PaymentRule(f.Get("payment")),
		PaymentDeadlineMin: num("payment_deadline_minutes"),
		MeetingHost:        daoyue.MeetingHost(f.Get("meeting_host")),
		DesignatedHostID:   f.Get("designated_host_id"),
		PractitionerIDs:    f["practitioner_ids"],
		Active:             f.Get("active") != "",
		Reminders:          daoyue.ParseReminders(f.Get("reminder_minutes")),
	}
	if strings.TrimSpace(strings.ReplaceAll(f.Get("reminder_minutes"), ",", "")) != "" && len(svc.Reminders) == 0 {
		fe.Add("reminder_minutes", "error.reminders")
	}
	svc.Normalize()
	return svc, fe
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, svc *daoyue.Service, actionErr error) error {
	title := "page.service.new"
	if svc != nil {
		title = "page.service.edit"
	}
	v, err := s.adminView(w, r, "services", title)
	if err != nil {
		return err
	}
	pracs, err := s.App.Practitioners(r.Context(), v.Admin.Workspace.Slug)
	if err != nil {
		return err
	}
	sp := &servicesPage{Practitioners: pracs, S: svc, Action: v.Base() + "/services"}
	switch {
	case actionErr != nil:
		v.Form = r.PostForm
		s.applyError(r, v, actionErr)
	case svc != nil:
		v.Form = serviceValues(svc)
	default:
		v.Form = serviceValues(suggestedService())
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
	return nil
}

func (s *Server) serviceCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "services", "page.service.new")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	svc, fe := serviceFromForm(r.PostForm)
	err = fe.Err()
	if err == nil {
		err = s.App.CreateService(r.Context(), v.Admin.Workspace.Slug, svc)
	}
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderServiceForm(w, r, status, nil, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/services", "flash.service_created")
	return nil
}

func (s *Server) serviceUpdate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "services", "page.service.edit")
	if err != nil {
		return err
	}
	slug := v.Admin.Workspace.Slug
	old, err := s.App.Service(r.Context(), slug, r.PathValue("sid"))
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	svc, fe := serviceFromForm(r.PostForm)
	svc.ID = old.ID
	err = fe.Err()
	if err == nil {
		err = s.App.UpdateService(r.Context(), slug, svc)
	}
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderServiceForm(w, r, status, old, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/services/"+url.PathEscape(old.ID), "flash.saved")
	return nil
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
