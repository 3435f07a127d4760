package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dates and money as DaoYue writes them for people: on pages and in emails
// alike, so an email reads like the page the client came from. Times are
// formatted as given: convert to the workspace's zone first.

var (
	zhWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}
	enWeekdays = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	enMonths   = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	enMonthsL  = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// FormatDate writes a date: 2026年12月1日(二) or Tue, 1 Dec 2026.
func FormatDate(lang string, t time.Time) string {
	y, m, d := t.Date()
	if lang == EN {
		return fmt.Sprintf("%s, %d %s %d", enWeekdays[t.Weekday()], d, enMonths[m], y)
	}
	return fmt.Sprintf("%d年%d月%d日(%s)", y, m, d, zhWeekdays[t.Weekday()])
}

// FormatWhen writes a date and time: 2026年12月1日(二) 14:00 or
// Tue, 1 Dec 2026, 14:00.
func FormatWhen(lang string, t time.Time) string {
	if lang == EN {
		return FormatDate(lang, t) + ", " + t.Format("15:04")
	}
	return FormatDate(lang, t) + " " + t.Format("15:04")
}

// FormatMonth writes a month heading: 2026年12月 or December 2026.
func FormatMonth(lang string, t time.Time) string {
	if lang == EN {
		return fmt.Sprintf("%s %d", enMonthsL[t.Month()], t.Year())
	}
	return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
}

// zeroDecimal lists currencies without a minor unit in daily use.
var zeroDecimal = map[string]bool{"TWD": true, "JPY": true, "KRW": true}

// FormatMoney writes an amount in the currency's minor unit: NT$1,200 for
// TWD and "USD 12.50" for others.
func FormatMoney(amount int64, currency string) string {
	cur := strings.ToUpper(currency)
	if zeroDecimal[cur] {
		s := groupThousands(amount)
		if cur == "TWD" {
			return "NT$" + s
		}
		return cur + " " + s
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	s := fmt.Sprintf("%s %s.%02d", cur, groupThousands(amount/100), amount%100)
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
