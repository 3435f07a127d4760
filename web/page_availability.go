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

// The availability page: a practitioner's weekly hours, date overrides
// and meeting tools.

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

func (s *Server) availabilityPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAvailability(w, r, http.StatusOK, r.URL.Query().Get("practitioner"), nil, nil)
}

// renderAvailability shows one practitioner's hours; after a failed save,
// form holds the input to show again.
func (s *Server) renderAvailability(w http.ResponseWriter, r *http.Request, status int, pid string, form url.Values, actionErr error) error {
	v, err := s.adminView(w, r, "availability", "page.availability.title")
	if err != nil {
		return err
	}
	slug := v.Admin.Workspace.Slug
	pracs, err := s.App.Practitioners(r.Context(), slug)
	if err != nil {
		return err
	}
	ap := &availabilityPage{Practitioners: pracs}
	for _, p := range pracs {
		if p.ID == pid || (pid == "" && ap.P == nil) {
			ap.P = p
		}
	}
	if ap.P == nil && pid != "" {
		return daoyue.ErrNotFound
	}
	v.Data = ap
	if ap.P == nil {
		s.render(w, r, status, "availability", v)
		return nil
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
		return err
	}
	if ap.Zoom, err = s.zoomCardOf(r, v, p, v.Base()+"/availability?practitioner="+url.QueryEscape(p.ID)); err != nil {
		return err
	}
	s.render(w, r, status, "availability", v)
	return nil
}

func (s *Server) weeklySubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "availability", "page.availability.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	f := r.PostForm
	rules, err := weeklyFromForm(f)
	if err == nil {
		_, err = s.App.UpdatePractitioner(r.Context(), v.Admin.Workspace.Slug, pid, app.PractitionerUpdate{Weekly: &rules})
	}
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderAvailability(w, r, status, pid, f, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.hours_saved")
	return nil
}

// weeklyFromForm reads the weekly hours form (start_N and end_N for weekday
// N; a pair left empty is skipped) and checks the hours as the domain does.
// A problem is reported under "weekly".
func weeklyFromForm(f url.Values) ([]daoyue.WeeklyRule, error) {
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
	if bad {
		return nil, daoyue.FieldErrors{"weekly": "error.hours"}.Err()
	}
	if werr := daoyue.ValidateWeekly(rules); werr != nil {
		// The domain's own check says which problem (bad or overlapping
		// hours).
		key := "error.hours"
		var de *daoyue.Error
		if errors.As(werr, &de) && de.Key != "" {
			key = de.Key
		}
		return nil, daoyue.FieldErrors{"weekly": key}.Err()
	}
	return rules, nil
}

func (s *Server) overrideSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "availability", "page.availability.title")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	pid := r.PathValue("pid")
	f := r.PostForm
	o, err := overrideFromForm(pid, f)
	if err == nil {
		err = s.App.PutOverride(r.Context(), v.Admin.Workspace.Slug, o)
	}
	if err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderAvailability(w, r, status, pid, f, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.override_saved")
	return nil
}

// overrideFromForm reads the date override form of practitioner pid: a
// day off, or (kind=hours) one or two ranges, start1/end1 and start2/end2.
func overrideFromForm(pid string, f url.Values) (*daoyue.DateOverride, error) {
	o := &daoyue.DateOverride{PractitionerID: pid, Date: strings.TrimSpace(f.Get("date"))}
	if f.Get("kind") != "hours" {
		return o, nil
	}
	for i := 1; i <= 2; i++ {
		st, en := strings.TrimSpace(f.Get("start"+strconv.Itoa(i))), strings.TrimSpace(f.Get("end"+strconv.Itoa(i)))
		if st == "" && en == "" {
			continue
		}
		a, ok1 := parseHHMM(st)
		b, ok2 := parseHHMM(en)
		if !ok1 || !ok2 {
			return nil, daoyue.FieldErrors{"ranges": "error.hours"}.Err()
		}
		o.Ranges = append(o.Ranges, daoyue.TimeRange{Start: a, End: b})
	}
	if len(o.Ranges) == 0 {
		return nil, daoyue.FieldErrors{"ranges": "error.required"}.Err()
	}
	return o, nil
}

func (s *Server) overrideDelete(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "availability", "page.availability.title")
	if err != nil {
		return err
	}
	pid := r.PathValue("pid")
	if err := s.App.DeleteOverride(r.Context(), v.Admin.Workspace.Slug, pid, r.PathValue("date")); err != nil {
		return s.setupFailed(r, err, func(status int) error { return s.renderAvailability(w, r, status, pid, nil, err) })
	}
	s.redirectFlash(w, r, v.Base()+"/availability?practitioner="+url.QueryEscape(pid), "flash.override_removed")
	return nil
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
