package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

var (
	zhWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}
	enWeekdays = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	enMonths   = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	enMonthsL  = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// formatDate writes a local date: 2026年12月1日(二) or Tue, 1 Dec 2026.
func formatDate(lang string, t time.Time) string {
	y, m, d := t.Date()
	if lang == "en" {
		return fmt.Sprintf("%s, %d %s %d", enWeekdays[t.Weekday()], d, enMonths[m], y)
	}
	return fmt.Sprintf("%d年%d月%d日(%s)", y, m, d, zhWeekdays[t.Weekday()])
}

// formatWhen writes a local date and time: 2026年12月1日(二) 14:00 or
// Tue, 1 Dec 2026, 14:00.
func formatWhen(lang string, t time.Time) string {
	if lang == "en" {
		return formatDate(lang, t) + ", " + t.Format("15:04")
	}
	return formatDate(lang, t) + " " + t.Format("15:04")
}

// formatMonth writes a month heading: 2026年12月 or December 2026.
func formatMonth(lang string, t time.Time) string {
	if lang == "en" {
		return fmt.Sprintf("%s %d", enMonthsL[t.Month()], t.Year())
	}
	return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
}

// zeroDecimal lists currencies without a minor unit in daily use.
var zeroDecimal = map[string]bool{"TWD": true, "JPY": true, "KRW": true}

// formatMoney writes NT$1,200 for TWD and "USD 12.50" for others.
func formatMoney(m daoyue.Money) string {
	cur := strings.ToUpper(m.Currency)
	if zeroDecimal[cur] {
		s := groupThousands(m.Amount)
		if cur == "TWD" {
			return "NT$" + s
		}
		return cur + " " + s
	}
	neg := m.Amount < 0
	a := m.Amount
	if neg {
		a = -a
	}
	s := fmt.Sprintf("%s %s.%02d", cur, groupThousands(a/100), a%100)
	if neg {
		s = "-" + s
	}
	return s
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

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
