package daoyue

import "testing"

// The defaults make a valid service once it has what has none: a name, a
// length and who delivers it.
func TestNewServiceDefaults(t *testing.T) {
	s := NewService()
	s.Name, s.DurationMin, s.PractitionerIDs = "一對一諮詢", 60, []string{"pr_1"}
	if err := s.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if s.HorizonDays != 60 || s.Price.Currency != "TWD" || s.Confirmation != ConfirmAuto || s.Payment != PaymentNone ||
		s.MeetingHost != HostAssigned || !s.Active {
		t.Fatalf("defaults: %+v", s)
	}
	if NewService().PractitionerIDs == nil {
		t.Fatal("PractitionerIDs nil: the API lists it as null")
	}
}

func TestServiceNormalize(t *testing.T) {
	s := &Service{Name: "  瑜珈 ", Description: " 入門\n", Location: " 台北 ", OnlineInstructions: "\tZoom ", Price: Money{100, " twd "},
		Payment: PaymentNone, PaymentDeadlineMin: 30, MeetingHost: HostAssigned, DesignatedHostID: "pr_1"}
	s.Normalize()
	if s.Name != "瑜珈" || s.Description != "入門" || s.Location != "台北" || s.OnlineInstructions != "Zoom" || s.Price.Currency != "TWD" {
		t.Errorf("text not tidied: %+v", s)
	}
	if s.PaymentDeadlineMin != 0 || s.DesignatedHostID != "" {
		t.Errorf("settings that do not apply kept: deadline %d, host %q", s.PaymentDeadlineMin, s.DesignatedHostID)
	}
	d := &Service{Payment: PaymentBefore, PaymentDeadlineMin: 30, MeetingHost: HostDesignated, DesignatedHostID: "pr_1"}
	d.Normalize()
	if d.PaymentDeadlineMin != 30 || d.DesignatedHostID != "pr_1" {
		t.Errorf("settings that apply cleared: %+v", d)
	}
}
