package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Dates and money are written by i18n, shared with the emails.
var (
	formatDate  = i18n.FormatDate
	formatWhen  = i18n.FormatWhen
	formatMonth = i18n.FormatMonth
)

func formatMoney(m daoyue.Money) string { return i18n.FormatMoney(m.Amount, m.Currency) }

// hhmm writes minutes after midnight as 09:30 (1440 as 24:00).
func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// parseHHMM reads 09:30 (or 24:00) into minutes after midnight.
func parseHHMM(s string) (int, bool) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// View helpers for templates: all times in the view's zone.

// When formats an instant as date and time.
func (v *view) When(t time.Time) string { return formatWhen(v.Lang, t.In(v.loc)) }

// WhenP formats an optional instant; nil is "—".
func (v *view) WhenP(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return v.When(*t)
}

// Date formats an instant's local date.
func (v *view) Date(t time.Time) string { return formatDate(v.Lang, t.In(v.loc)) }

// DateStr formats a YYYY-MM-DD date.
func (v *view) DateStr(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return formatDate(v.Lang, t)
}

// Clock formats an instant's local time of day.
func (v *view) Clock(t time.Time) string { return t.In(v.loc).Format("15:04") }

// Span formats a session: date, start and end time.
func (v *view) Span(start, end time.Time) string {
	return v.When(start) + "–" + v.Clock(end)
}

// Money formats a price.
func (v *view) Money(m daoyue.Money) string { return formatMoney(m) }

// Minutes formats a duration in minutes.
func (v *view) Minutes(n int) string { return v.Tf("label.minutes_n", "n", n) }

// HHMM formats minutes after midnight.
func (v *view) HHMM(n int) string { return hhmm(n) }

// RFC3339 formats an instant for a form value, in the view's zone.
func (v *view) RFC3339(t time.Time) string { return t.In(v.loc).Format(time.RFC3339) }

// Zone is the IANA name of the view's zone.
func (v *view) Zone() string { return v.loc.String() }
