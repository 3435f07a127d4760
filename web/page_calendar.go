package web

import (
	"time"

	"github.com/daoyue/daoyue"
)

// calendar is a month of days with the free slots of each, for the public
// booking page, the client's reschedule picker and the admin's.
type calendar struct {
	Month    time.Time // first day of the month, in the workspace's zone
	Label    string
	PrevURL  string // "" when the month is not bookable
	NextURL  string
	Weeks    [][]calDay
	Weekdays []string
	Date     string // the chosen YYYY-MM-DD, "" for none
	DateText string
	Times    []calTime // the chosen date's free times
	AnyFree  bool
}

type calDay struct {
	Day      int
	Date     string
	InMonth  bool
	Free     int
	URL      string
	Selected bool
	Today    bool
	Label    string // spoken label for screen readers
}

type calTime struct {
	Start        time.Time
	Value        string // RFC 3339 in the workspace's zone
	Clock        string
	URL          string
	Practitioner string
	Checked      bool
}

// monthRange returns the dates of a month to ask slots for: from the later
// of the month's first day and today to its last day. ok is false when the
// whole month is past.
func monthRange(month time.Time, now time.Time) (from, to string, ok bool) {
	loc := month.Location()
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	last := month.AddDate(0, 1, -1)
	if last.Before(today) {
		return "", "", false
	}
	first := month
	if first.Before(today) {
		first = today
	}
	return first.Format(time.DateOnly), last.Format(time.DateOnly), true
}

// parseMonth reads YYYY-MM in loc; anything else is "".
func parseMonth(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01", s, loc)
	return t, err == nil
}

// buildCalendar lays out month with the slots given. urlFor returns the link
// of a date ("" date: the month itself) in another month or day.
func buildCalendar(v *view, month time.Time, now time.Time, horizonDays int, slots []daoyue.Slot, date string, dayURL func(month, date string) string, timeURL func(daoyue.Slot) string) *calendar {
	loc := month.Location()
	c := &calendar{Month: month, Label: formatMonth(v.Lang, month), Date: date}
	for d := time.Sunday; d <= time.Saturday; d++ {
		c.Weekdays = append(c.Weekdays, v.WeekdayShort(d))
	}
	free := map[string]int{}
	for _, s := range slots {
		free[s.Start.In(loc).Format(time.DateOnly)]++
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	thisMonth := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	lastBookable := today.AddDate(0, 0, horizonDays)
	if month.After(thisMonth) {
		c.PrevURL = dayURL(month.AddDate(0, -1, 0).Format("2006-01"), "")
	}
	if next := month.AddDate(0, 1, 0); !next.After(lastBookable) {
		c.NextURL = dayURL(next.Format("2006-01"), "")
	}
	start := month.AddDate(0, 0, -int(month.Weekday()))
	for day := start; ; {
		var week []calDay
		for i := 0; i < 7; i++ {
			ds := day.Format(time.DateOnly)
			cd := calDay{Day: day.Day(), Date: ds, InMonth: day.Month() == month.Month(), Free: free[ds],
				Selected: ds == date, Today: day.Equal(today)}
			if cd.InMonth && cd.Free > 0 {
				cd.URL = dayURL(month.Format("2006-01"), ds)
				cd.Label = v.Tf("label.day_free", "date", formatDate(v.Lang, day), "n", cd.Free)
				c.AnyFree = true
			} else if cd.InMonth {
				cd.Label = v.Tf("label.day_full", "date", formatDate(v.Lang, day))
			}
			week = append(week, cd)
			day = day.AddDate(0, 0, 1)
		}
		c.Weeks = append(c.Weeks, week)
		if day.Month() != month.Month() {
			break
		}
	}
	if date != "" {
		if t, err := time.ParseInLocation(time.DateOnly, date, loc); err == nil {
			c.DateText = formatDate(v.Lang, t)
		}
		for _, s := range slots {
			if s.Start.In(loc).Format(time.DateOnly) != date {
				continue
			}
			ct := calTime{Start: s.Start, Value: s.Start.In(loc).Format(time.RFC3339), Clock: s.Start.In(loc).Format("15:04")}
			if timeURL != nil {
				ct.URL = timeURL(s)
			}
			c.Times = append(c.Times, ct)
		}
	}
	return c
}

// firstFreeDate is the first date with a slot, or "".
func firstFreeDate(slots []daoyue.Slot, loc *time.Location) string {
	if len(slots) == 0 {
		return ""
	}
	return slots[0].Start.In(loc).Format(time.DateOnly)
}
