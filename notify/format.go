package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Dates and money as the pages write them (web/page_format.go), so an email
// reads like the booking page the client came from.

var (
	zhWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}
	enWeekdays = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	enMonths   = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// formatDate writes 2026年12月1日(二) or Tue, 1 Dec 2026.
func formatDate(lang string, t time.Time) string {
	y, m, d := t.Date()
	if lang == daoyue.LangEN {
		return fmt.Sprintf("%s, %d %s %d", enWeekdays[t.Weekday()], d, enMonths[m], y)
	}
	return fmt.Sprintf("%d年%d月%d日(%s)", y, m, d, zhWeekdays[t.Weekday()])
}

// formatWhen writes a local date and time: 2026年12月1日(二) 14:00 or
// Tue, 1 Dec 2026, 14:00.
func formatWhen(lang string, t time.Time) string {
	if lang == daoyue.LangEN {
		return formatDate(lang, t) + ", " + t.Format("15:04")
	}
	return formatDate(lang, t) + " " + t.Format("15:04")
}

// formatSpan writes a session in the zone loc with the zone named:
// 2026年12月2日(三) 14:00–15:00 (台北時間).
func formatSpan(lang string, start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	out := formatWhen(lang, s) + "–"
	sy, sm, sd := s.Date()
	ey, em, ed := e.Date()
	if sy == ey && sm == em && sd == ed {
		out += e.Format("15:04")
	} else {
		out += formatWhen(lang, e)
	}
	return out + " (" + zoneName(lang, loc) + ")"
}

// formatAt writes one instant in loc with the zone named.
func formatAt(lang string, t time.Time, loc *time.Location) string {
	return formatWhen(lang, t.In(loc)) + " (" + zoneName(lang, loc) + ")"
}

func zoneName(lang string, loc *time.Location) string {
	if loc.String() == daoyue.DefaultTimeZone {
		return i18n.T(lang, "mail.zone.taipei", nil)
	}
	return i18n.T(lang, "mail.zone.other", map[string]any{"zone": loc.String()})
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
	return fmt.Sprintf("%s %s.%02d", cur, groupThousands(m.Amount/100), m.Amount%100)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
