package zoomsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// NumberedUsers are n test accounts user0001 … (IDs "simuser0001" …), for
// a simulator standing in for many practitioners' Zoom accounts at once
// (`daoyue zoomsim --users N`, the load test).
func NumberedUsers(n int) []User {
	users := make([]User, n)
	for i := range users {
		users[i] = User{ID: fmt.Sprintf("simuser%04d", i+1), AccountID: fmt.Sprintf("simacct%04d", i+1),
			Email: fmt.Sprintf("user%04d@zoomsim.test", i+1), FirstName: "Test", LastName: fmt.Sprintf("User %04d", i+1)}
	}
	return users
}

// StateView is what GET /sim/state answers: the test accounts and the live
// meetings, without secrets. It is the simulator's own inspection page, not
// Zoom's API, so that a tool outside the process (the load test's
// consistency check) can compare Zoom's side with DaoYue's.
type StateView struct {
	Users    []UserView    `json:"users"`
	Meetings []MeetingView `json:"meetings"`
}

// UserView is a test account in StateView.
type UserView struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// MeetingView is a live meeting in StateView.
type MeetingView struct {
	ID       int64     `json:"id"`
	HostID   string    `json:"host_id"`
	Topic    string    `json:"topic"`
	Start    time.Time `json:"start_time"`
	Duration int       `json:"duration"`
}

func (s *Sim) stateView(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	v := StateView{Users: make([]UserView, 0, len(s.users)), Meetings: make([]MeetingView, 0, len(s.meetings))}
	for _, u := range s.users {
		v.Users = append(v.Users, UserView{ID: u.ID, Email: u.Email})
	}
	for _, m := range s.meetings {
		if !m.deleted {
			v.Meetings = append(v.Meetings, MeetingView{ID: m.ID, HostID: m.HostID, Topic: m.Topic, Start: m.Start, Duration: m.Duration})
		}
	}
	s.mu.Unlock()
	sort.Slice(v.Meetings, func(i, j int) bool { return v.Meetings[i].ID < v.Meetings[j].ID })
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
