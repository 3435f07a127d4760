package zoomsim

import (
	"html/template"
	"net/http"
	"sort"
	"strconv"
)

// indexPage is GET / (the mount root, /zoomsim/ in development): what a
// developer wants to look at — the test users, whether DaoYue holds a
// working authorization of each, and the meetings in each account. It shows
// no token, no client secret and no host start URL.
func (s *Sim) indexPage(w http.ResponseWriter, r *http.Request) {
	type userRow struct {
		User
		Connected bool
		Meetings  int
	}
	type meetingRow struct {
		ID, Topic, Host, Start, TimeZone, Status, JoinURL string
		Duration                                          int
	}
	s.mu.Lock()
	now := s.now()
	live := map[string]bool{}
	for _, t := range s.refresh {
		if !t.used && !t.g.revoked && now.Before(t.expires) {
			live[t.g.userID] = true
		}
	}
	hosts := map[string]User{}
	var users []userRow
	for _, u := range s.users {
		hosts[u.ID] = u
		users = append(users, userRow{User: u, Connected: live[u.ID]})
	}
	var ms []*Meeting
	deleted := 0
	for _, m := range s.meetings {
		if m.deleted {
			deleted++
			continue
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool {
		if !ms[i].Start.Equal(ms[j].Start) {
			return ms[i].Start.Before(ms[j].Start)
		}
		return ms[i].ID < ms[j].ID
	})
	var meetings []meetingRow
	for _, m := range ms {
		host := hosts[m.HostID]
		for i := range users {
			if users[i].ID == m.HostID {
				users[i].Meetings++
			}
		}
		meetings = append(meetings, meetingRow{ID: strconv.FormatInt(m.ID, 10), Topic: m.Topic, Host: host.Email,
			Start: m.Start.In(loadLoc(m.TimeZone)).Format("2006-01-02 15:04"), TimeZone: m.TimeZone,
			Status: m.Status, JoinURL: m.JoinURL, Duration: m.Duration})
	}
	persisted := s.opts.StateFile != ""
	s.mu.Unlock()
	pageHeaders(w)
	w.WriteHeader(http.StatusOK)
	indexTmpl.Execute(w, map[string]any{"Users": users, "Meetings": meetings, "Deleted": deleted, "Persisted": persisted})
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zoom simulator</title>` + pageStyle + `<style>
main{max-width:60rem}table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0 1.2rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
.ok{color:#0a6b2b}.no{color:#8a4b00}</style></head>
<body><main>
<span class="sim">Zoom simulator · test accounts only</span>
<h1>Zoom simulator</h1>
<p>Stands in for Zoom while no Zoom credentials are set. 連結 Zoom in DaoYue leads to its consent page, where you pick one of the users below.
One Zoom user can be connected to one practitioner only: connect a second practitioner with the other user.</p>
<h2 id="users">Users</h2>
<table><thead><tr><th>Name</th><th>Email</th><th>User ID</th><th>Account ID</th><th>Plan</th><th>Authorization</th><th>Meetings</th></tr></thead><tbody>
{{range .Users}}<tr><td>{{.DisplayName}}</td><td>{{.Email}}</td><td><code>{{.ID}}</code></td><td><code>{{.AccountID}}</code></td>
<td>{{if eq .Type 1}}Basic{{else}}Licensed{{end}}</td>
<td>{{if .Connected}}<span class="ok">authorized (DaoYue holds a working token)</span>{{else}}<span class="no">not authorized</span>{{end}}</td>
<td>{{.Meetings}}</td></tr>
{{end}}</tbody></table>
<h2 id="meetings">Meetings</h2>
{{if .Meetings}}<table><thead><tr><th>Meeting ID</th><th>Topic</th><th>Host</th><th>Start (host's zone)</th><th>Length</th><th>Status</th><th></th></tr></thead><tbody>
{{range .Meetings}}<tr><td>{{.ID}}</td><td>{{.Topic}}</td><td>{{.Host}}</td><td>{{.Start}} <small>{{.TimeZone}}</small></td><td>{{.Duration}} min</td><td>{{.Status}}</td><td><a href="{{.JoinURL}}">join page</a></td></tr>
{{end}}</tbody></table>{{else}}<p>No meetings yet: a confirmed online booking whose practitioner has Zoom connected makes one.</p>{{end}}
{{if .Deleted}}<p><small>{{.Deleted}} deleted meeting(s) not shown.</small></p>{{end}}
<p><small>{{if .Persisted}}Users' authorizations and meetings are kept in the data folder, so a restart changes nothing.{{else}}State is kept in memory only.{{end}}</small></p>
</main></body></html>
`))
