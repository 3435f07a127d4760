package notify

import (
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Dates and money as the pages write them (i18n/format.go), so an email
// reads like the booking page the client came from.

var formatWhen = i18n.FormatWhen

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

func formatMoney(m daoyue.Money) string { return i18n.FormatMoney(m.Amount, m.Currency) }
