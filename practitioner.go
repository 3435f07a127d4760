package daoyue

import (
	"sort"
	"time"
)

// Practitioner (老師) delivers sessions and owns weekly hours, date overrides
// and online meeting tools.
type Practitioner struct {
	ID          string
	WorkspaceID string
	Name        string
	Email       string
	Bio         string
	Active      bool
	// DefaultOnConnect makes Zoom the default meeting tool as soon as Zoom is
	// authorized (the review practitioner of the zoom-review sandbox).
	DefaultOnConnect bool
	Weekly           []WeeklyRule
	CreatedAt        time.Time
	// CalendarVersion grows with every change to the practitioner's
	// reservations and date overrides (the store bumps it); read-only.
	CalendarVersion int64
}

// Validate checks a practitioner's own fields and hours.
func (p *Practitioner) Validate() error {
	f := FieldErrors{}
	CheckLine(f, "name", p.Name, 1, 100)
	checkText(f, "bio", p.Bio, 0, 2000)
	if p.Email != "" && !ValidEmail(p.Email) {
		f.Add("email", "error.email")
	}
	if err := ValidateWeekly(p.Weekly); err != nil {
		f.Add("weekly", err.(*Error).Key) // error.hours or error.hours_overlap
	}
	return f.Err()
}

// WeeklyRule is one working window on a weekday, in minutes after local
// midnight of the workspace's zone: Start inclusive, End exclusive, End ≤ 1440.
type WeeklyRule struct {
	Weekday time.Weekday
	Start   int
	End     int
}

// TimeRange is a window of minutes after local midnight.
type TimeRange struct {
	Start int
	End   int
}

// DateOverride replaces the weekly hours of one date: no ranges means the
// practitioner is off that day; ranges are the only hours of that day (which
// is how extra hours on a normally free day are given).
type DateOverride struct {
	PractitionerID string
	Date           string // YYYY-MM-DD in the workspace's zone
	Ranges         []TimeRange
}

// ValidateWeekly checks that each window is inside the day, non-empty and
// does not overlap another window of the same weekday.
func ValidateWeekly(rules []WeeklyRule) error {
	byDay := map[time.Weekday][]TimeRange{}
	for _, r := range rules {
		if r.Weekday < time.Sunday || r.Weekday > time.Saturday {
			return Errorf(EINVALID, "error.hours")
		}
		byDay[r.Weekday] = append(byDay[r.Weekday], TimeRange{r.Start, r.End})
	}
	for _, rs := range byDay {
		if err := ValidateRanges(rs); err != nil {
			return err
		}
	}
	return nil
}

// ValidateRanges checks a day's windows.
func ValidateRanges(rs []TimeRange) error {
	s := append([]TimeRange(nil), rs...)
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start })
	for i, r := range s {
		if r.Start < 0 || r.End > 24*60 || r.Start >= r.End {
			return Errorf(EINVALID, "error.hours")
		}
		if i > 0 && r.Start < s[i-1].End {
			return Errorf(EINVALID, "error.hours_overlap")
		}
	}
	return nil
}

// ValidDate reports whether s is a YYYY-MM-DD calendar date.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
