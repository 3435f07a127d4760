package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// The services of API v1.

func (s *Server) apiServices(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	svcs, err := s.App.Services(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := struct {
		Services []serviceJSON `json:"services"`
	}{Services: make([]serviceJSON, 0, len(svcs))}
	for _, svc := range svcs {
		out.Services = append(out.Services, serviceOf(svc, loc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiService(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	svc, err := s.App.Service(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceOf(svc, loc))
	return nil
}

func (s *Server) apiCreateService(w http.ResponseWriter, r *http.Request) error {
	var in serviceInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	svc := in.service()
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	if err := s.App.CreateService(r.Context(), r.PathValue("slug"), svc); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, serviceOf(svc, loc))
	return nil
}

func (s *Server) apiUpdateService(w http.ResponseWriter, r *http.Request) error {
	var in serviceInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.ID != nil && *in.ID != r.PathValue("id") {
		return daoyue.FieldErrors{"id": "error.api_id_mismatch"}.Err()
	}
	svc := in.service()
	svc.ID = r.PathValue("id")
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	if err := s.App.UpdateService(r.Context(), r.PathValue("slug"), svc); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceOf(svc, loc))
	return nil
}

type serviceJSON struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	Description            string    `json:"description"`
	DurationMinutes        int       `json:"duration_minutes"`
	BufferBeforeMinutes    int       `json:"buffer_before_minutes"`
	BufferAfterMinutes     int       `json:"buffer_after_minutes"`
	SlotStepMinutes        int       `json:"slot_step_minutes"`
	MinNoticeMinutes       int       `json:"min_notice_minutes"`
	HorizonDays            int       `json:"horizon_days"`
	Online                 bool      `json:"online"`
	OnlineInstructions     string    `json:"online_instructions"`
	Location               string    `json:"location"`
	Price                  moneyJSON `json:"price"`
	Confirmation           string    `json:"confirmation"`
	Payment                string    `json:"payment"`
	PaymentDeadlineMinutes int       `json:"payment_deadline_minutes"`
	MeetingHost            string    `json:"meeting_host"`
	DesignatedHostID       string    `json:"designated_host_id"`
	PractitionerIDs        []string  `json:"practitioner_ids"`
	Active                 bool      `json:"active"`
	ReminderMinutes        []int     `json:"reminder_minutes"`
	CreatedAt              string    `json:"created_at"`
}

func serviceOf(s *daoyue.Service, loc *time.Location) serviceJSON {
	ids := s.PractitionerIDs
	if ids == nil {
		ids = []string{}
	}
	reminders := s.Reminders
	if reminders == nil {
		reminders = []int{}
	}
	return serviceJSON{
		ID: s.ID, Name: s.Name, Description: s.Description, DurationMinutes: s.DurationMin,
		BufferBeforeMinutes: s.BufferBefore, BufferAfterMinutes: s.BufferAfter, SlotStepMinutes: s.SlotStep,
		MinNoticeMinutes: s.MinNoticeMin, HorizonDays: s.HorizonDays, Online: s.Online,
		OnlineInstructions: s.OnlineInstructions, Location: s.Location, Price: moneyJSON{s.Price.Amount, s.Price.Currency},
		Confirmation: string(s.Confirmation), Payment: string(s.Payment), PaymentDeadlineMinutes: s.PaymentDeadlineMin,
		MeetingHost: string(s.MeetingHost), DesignatedHostID: s.DesignatedHostID, PractitionerIDs: ids, Active: s.Active,
		ReminderMinutes: reminders, CreatedAt: apiTime(s.CreatedAt, loc),
	}
}

// serviceInput is the body of POST and PUT services. Omitted fields take
// the documented defaults; id and created_at may be sent back as they were
// read (a GET, edit, PUT round trip) and are ignored.
type serviceInput struct {
	ID                     *string    `json:"id"`
	CreatedAt              *string    `json:"created_at"`
	Name                   string     `json:"name"`
	Description            string     `json:"description"`
	DurationMinutes        int        `json:"duration_minutes"`
	BufferBeforeMinutes    int        `json:"buffer_before_minutes"`
	BufferAfterMinutes     int        `json:"buffer_after_minutes"`
	SlotStepMinutes        int        `json:"slot_step_minutes"`
	MinNoticeMinutes       int        `json:"min_notice_minutes"`
	HorizonDays            *int       `json:"horizon_days"`
	Online                 bool       `json:"online"`
	OnlineInstructions     string     `json:"online_instructions"`
	Location               string     `json:"location"`
	Price                  *moneyJSON `json:"price"`
	Confirmation           string     `json:"confirmation"`
	Payment                string     `json:"payment"`
	PaymentDeadlineMinutes int        `json:"payment_deadline_minutes"`
	MeetingHost            string     `json:"meeting_host"`
	DesignatedHostID       string     `json:"designated_host_id"`
	PractitionerIDs        []string   `json:"practitioner_ids"`
	Active                 *bool      `json:"active"`
	ReminderMinutes        []int      `json:"reminder_minutes"`
}

// service is the input over the domain's defaults (daoyue.NewService) for
// the fields left out.
func (in *serviceInput) service() *daoyue.Service {
	s := daoyue.NewService()
	s.Name, s.Description, s.DurationMin = in.Name, in.Description, in.DurationMinutes
	s.BufferBefore, s.BufferAfter, s.SlotStep = in.BufferBeforeMinutes, in.BufferAfterMinutes, in.SlotStepMinutes
	s.MinNoticeMin, s.Online, s.OnlineInstructions, s.Location = in.MinNoticeMinutes, in.Online, in.OnlineInstructions, in.Location
	s.PaymentDeadlineMin, s.DesignatedHostID = in.PaymentDeadlineMinutes, in.DesignatedHostID
	if in.PractitionerIDs != nil {
		s.PractitionerIDs = in.PractitionerIDs
	}
	if in.HorizonDays != nil {
		s.HorizonDays = *in.HorizonDays
	}
	if in.ReminderMinutes != nil {
		s.Reminders = daoyue.ParseReminders(daoyue.FormatReminders(in.ReminderMinutes))
	}
	if in.Price != nil {
		s.Price = daoyue.Money{Amount: in.Price.Amount, Currency: in.Price.Currency}
	}
	if in.Confirmation != "" {
		s.Confirmation = daoyue.Confirmation(in.Confirmation)
	}
	if in.Payment != "" {
		s.Payment = daoyue.PaymentRule(in.Payment)
	}
	if in.MeetingHost != "" {
		s.MeetingHost = daoyue.MeetingHost(in.MeetingHost)
	}
	if in.Active != nil {
		s.Active = *in.Active
	}
	return s
}
