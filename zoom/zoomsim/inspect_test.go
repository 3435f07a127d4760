package zoomsim_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// GET /sim/state lists the accounts and the live meetings, for a checker in
// another process; it carries no passcode, join link or token.
func TestStateView(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomsim.Options{Users: zoomsim.NumberedUsers(3), Now: zoomsim.NewClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)).Now})
	tk := e.connect(e.user(2))
	var ids []int64
	for range 2 {
		a := e.api("POST", "/users/me/meetings", tk.access, createBody())
		if a.status != http.StatusCreated {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
		ids = append(ids, int64(a.json(t)["id"].(float64)))
	}
	if a := e.api("DELETE", "/meetings/"+strconv.FormatInt(ids[0], 10), tk.access, nil); a.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	a := e.get(e.s.URL() + "/sim/state")
	if a.status != 200 {
		t.Fatalf("state: %d", a.status)
	}
	for _, secret := range []string{"Ab3dE6gH9k", "/j/", tk.access, tk.refresh} {
		if strings.Contains(string(a.body), secret) {
			t.Errorf("the state shows %q: %s", secret, a.body)
		}
	}
	var v zoomsim.StateView
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Users) != 3 || v.Users[2].ID != "simuser0003" || v.Users[2].Email != "user0003@zoomsim.test" {
		t.Errorf("users %+v", v.Users)
	}
	want := zoomsim.MeetingView{ID: ids[1], HostID: "simuser0003", Topic: "線上一對一瑜珈", Start: time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC), Duration: 60}
	if len(v.Meetings) != 1 || v.Meetings[0] != want {
		t.Errorf("meetings %+v, want only the live one %+v", v.Meetings, want)
	}
}
