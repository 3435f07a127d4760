package daoyue

import (
	"slices"
	"strings"
	"time"
)

// Confirmation says whether a booking is confirmed by itself or waits for the studio.
type Confirmation string

const (
	ConfirmAuto   Confirmation = "auto"
	ConfirmManual Confirmation = "manual"
)

// PaymentRule says whether payment must be completed before confirmation.
type PaymentRule string

const (
	PaymentNone   PaymentRule = "none"
	PaymentBefore PaymentRule = "before_confirmation"
)

// MeetingHost says whose meeting tool hosts an online booking.
type MeetingHost string

const (
	HostAssigned   MeetingHost = "assigned"   // 接案老師: the practitioner who takes the booking
	HostDesignated MeetingHost = "designated" // 指定老師: one practitioner fixed in the service
)

// Money is an amount in the currency's minor unit (TWD has none).
type Money struct {
	Amount   int64
	Currency string
}

// Service (服務) is a bookable offering.
type Service struct {
	ID           string
	WorkspaceID  string
	Name         string
	Description  string
	DurationMin  int
	BufferBefore int // minutes kept free before a session
	BufferAfter  int // minutes kept free after a session
	SlotStep     int // minutes between candidate starts; 0 means the duration
	MinNoticeMin int // no start sooner than this after now
	HorizonDays  int // no start later than this many days after today
	Online       bool
	// OnlineInstructions is the public text about an online session: shown
	// to clients everywhere, so it must never hold a join link or passcode.
	OnlineInstructions string
	Location           string // where an in-person session takes place
	Price              Money
	Confirmation       Confirmation
	Payment            PaymentRule
	PaymentDeadlineMin int // unpaid this long after the booking is accepted → expired
	MeetingHost        MeetingHost
	DesignatedHostID   string // the practitioner whose tool hosts, when MeetingHost is designated
	PractitionerIDs    []string
	Active             bool
	CreatedAt          time.Time
	// Reminders are the client's reminders before a session, in minutes
	// before its start (issue 12); none sends no reminder.
	Reminders []int
}

// NewService returns a service holding the defaults of the fields a studio
// may leave out: bookable 60 days ahead, free (in TWD), confirmed by
// itself, no payment first, hosted by the practitioner who takes the
// booking, active, and delivered by nobody yet.
func NewService() *Service {
	return &Service{HorizonDays: 60, Price: Money{Currency: "TWD"}, Confirmation: ConfirmAuto, Payment: PaymentNone,
		MeetingHost: HostAssigned, PractitionerIDs: []string{}, Active: true,
		Reminders: slices.Clone(DefaultReminders)}
}

// Normalize tidies what a studio typed: text trimmed, the currency in
// capitals, and settings that do not apply cleared (a payment deadline
// without payment first, a designated host when the assigned one hosts).
func (s *Service) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Description = strings.TrimSpace(s.Description)
	s.OnlineInstructions = strings.TrimSpace(s.OnlineInstructions)
	s.Location = strings.TrimSpace(s.Location)
	s.Price.Currency = strings.ToUpper(strings.TrimSpace(s.Price.Currency))
	if s.Payment == PaymentNone {
		s.PaymentDeadlineMin = 0
	}
	if s.MeetingHost != HostDesignated {
		s.DesignatedHostID = ""
	}
}

// Step returns the slot step in minutes.
func (s *Service) Step() int {
	if s.SlotStep > 0 {
		return s.SlotStep
	}
	return s.DurationMin
}

// Delivers reports whether practitioner id delivers this service.
func (s *Service) Delivers(id string) bool {
	for _, p := range s.PractitionerIDs {
		if p == id {
			return true
		}
	}
	return false
}

// HostFor returns the practitioner whose meeting tool hosts a booking taken
// by the assigned practitioner.
func (s *Service) HostFor(assigned string) string {
	if s.MeetingHost == HostDesignated && s.DesignatedHostID != "" {
		return s.DesignatedHostID
	}
	return assigned
}

// Validate checks a service before it is stored.
func (s *Service) Validate() error {
	f := FieldErrors{}
	CheckLine(f, "name", s.Name, 1, 100)
	checkText(f, "description", s.Description, 0, 2000)
	checkText(f, "online_instructions", s.OnlineInstructions, 0, 2000)
	CheckLine(f, "location", s.Location, 0, 300)
	if s.DurationMin < 5 || s.DurationMin > 12*60 {
		f.Add("duration_minutes", "error.duration")
	}
	if len(s.Reminders) > 3 {
		f.Add("reminder_minutes", "error.reminders")
	}
	for _, m := range s.Reminders {
		if m < 1 || m > MaxReminderMin {
			f.Add("reminder_minutes", "error.reminders")
		}
	}
	for field, v := range map[string]int{"buffer_before_minutes": s.BufferBefore, "buffer_after_minutes": s.BufferAfter} {
		if v < 0 || v > 240 {
			f.Add(field, "error.buffer")
		}
	}
	if s.SlotStep < 0 || (s.SlotStep > 0 && s.SlotStep < 5) || s.SlotStep > 12*60 {
		f.Add("slot_step_minutes", "error.slot_step")
	}
	if s.MinNoticeMin < 0 || s.MinNoticeMin > 60*24*90 {
		f.Add("min_notice_minutes", "error.min_notice")
	}
	if s.HorizonDays < 1 || s.HorizonDays > 365 {
		f.Add("horizon_days", "error.horizon")
	}
	if s.Price.Amount < 0 || s.Price.Amount > 100_000_000 {
		f.Add("price.amount", "error.price")
	}
	if len(s.Price.Currency) != 3 {
		f.Add("price.currency", "error.currency")
	}
	if s.Confirmation != ConfirmAuto && s.Confirmation != ConfirmManual {
		f.Add("confirmation", "error.choice")
	}
	switch s.Payment {
	case PaymentNone:
	case PaymentBefore:
		if s.Price.Amount <= 0 {
			f.Add("payment", "error.payment_needs_price")
		}
		if s.PaymentDeadlineMin < 10 || s.PaymentDeadlineMin > 60*24*14 {
			f.Add("payment_deadline_minutes", "error.payment_deadline")
		}
	default:
		f.Add("payment", "error.choice")
	}
	switch s.MeetingHost {
	case HostAssigned:
	case HostDesignated:
		if s.DesignatedHostID == "" {
			f.Add("designated_host_id", "error.required")
		}
	default:
		f.Add("meeting_host", "error.choice")
	}
	if len(s.PractitionerIDs) == 0 {
		f.Add("practitioner_ids", "error.practitioners_required")
	}
	return f.Err()
}
