package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// A practitioner's date overrides in API v1: hours that replace the weekly
// ones on one date (no ranges: a day off).

// maxOverrideRangeDays bounds one overrides query.
const maxOverrideRangeDays = 366

func (s *Server) apiOverrides(w http.ResponseWriter, r *http.Request) error {
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	today := s.App.Now().In(loc)
	if from == "" {
		from = today.Format(time.DateOnly)
	}
	f := daoyue.FieldErrors{}
	fromT, errF := time.Parse(time.DateOnly, from)
	if errF != nil {
		f.Add("from", "error.date")
	}
	if to == "" && errF == nil {
		to = fromT.AddDate(0, 0, maxOverrideRangeDays-1).Format(time.DateOnly)
	}
	toT, errT := time.Parse(time.DateOnly, to)
	switch {
	case errT != nil:
		f.Add("to", "error.date")
	case errF == nil && toT.Before(fromT):
		f.Add("to", "error.date_order")
	case errF == nil && toT.Sub(fromT) >= maxOverrideRangeDays*24*time.Hour:
		f.Add("to", "error.api_override_range")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ovs, err := s.App.Overrides(r.Context(), r.PathValue("slug"), r.PathValue("id"), from, to)
	if err != nil {
		return err
	}
	out := struct {
		Overrides []overrideJSON `json:"overrides"`
	}{Overrides: make([]overrideJSON, 0, len(ovs))}
	for _, o := range ovs {
		out.Overrides = append(out.Overrides, overrideOf(o))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type overrideInput struct {
	Ranges *[]rangeJSON `json:"ranges"`
}

func (s *Server) apiPutOverride(w http.ResponseWriter, r *http.Request) error {
	var in overrideInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	date := r.PathValue("date")
	if !daoyue.ValidDate(date) {
		f.Add("date", "error.date")
	}
	var ranges []daoyue.TimeRange
	if in.Ranges == nil {
		f.Add("ranges", "error.required")
	} else {
		ranges = apiRangesFrom(f, *in.Ranges)
	}
	if err := f.Err(); err != nil {
		return err
	}
	o := &daoyue.DateOverride{PractitionerID: r.PathValue("id"), Date: date, Ranges: ranges}
	if err := s.App.PutOverride(r.Context(), r.PathValue("slug"), o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, overrideOf(o))
	return nil
}

func (s *Server) apiDeleteOverride(w http.ResponseWriter, r *http.Request) error {
	date := r.PathValue("date")
	if !daoyue.ValidDate(date) {
		return daoyue.FieldErrors{"date": "error.date"}.Err()
	}
	if err := s.App.DeleteOverride(r.Context(), r.PathValue("slug"), r.PathValue("id"), date); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type rangeJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

func apiRangesFrom(f daoyue.FieldErrors, rs []rangeJSON) []daoyue.TimeRange {
	out := make([]daoyue.TimeRange, 0, len(rs))
	for i, r := range rs {
		path := fmt.Sprintf("ranges.%d", i)
		start, ok1 := apiParseClock(r.Start)
		end, ok2 := apiParseClock(r.End)
		if !ok1 {
			f.Add(path+".start", "error.api_clock")
		}
		if !ok2 {
			f.Add(path+".end", "error.api_clock")
		}
		out = append(out, daoyue.TimeRange{Start: start, End: end})
	}
	return out
}

type overrideJSON struct {
	Date   string      `json:"date"`
	Ranges []rangeJSON `json:"ranges"`
}

func overrideOf(o *daoyue.DateOverride) overrideJSON {
	rs := make([]rangeJSON, 0, len(o.Ranges))
	for _, r := range o.Ranges {
		rs = append(rs, rangeJSON{apiClock(r.Start), apiClock(r.End)})
	}
	return overrideJSON{Date: o.Date, Ranges: rs}
}
