package notify

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// event is one booking as an iCalendar (RFC 5545) invitation in the iTIP
// (RFC 5546) sense: METHOD:REQUEST adds or updates it in the client's
// calendar, METHOD:CANCEL removes it. The UID is the booking's and stays the
// same for its whole life; SEQUENCE grows with every update sent, so a
// calendar applies them in order. Times are written in UTC.
type event struct {
	Method         string // REQUEST or CANCEL
	UID            string
	Sequence       int
	Stamp          time.Time
	Start, End     time.Time
	Summary        string
	Location       string
	Description    string
	URL            string
	OrganizerName  string
	OrganizerEmail string
	AttendeeName   string
	AttendeeEmail  string
	Cancelled      bool
}

const icsTime = "20060102T150405Z"

// String writes the calendar with CRLF line ends and lines folded at 75
// octets.
func (e event) String() string {
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	add("BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//DaoYue//DaoYue Booking//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:"+e.Method,
		"BEGIN:VEVENT",
		"UID:"+icsText(e.UID),
		"SEQUENCE:"+strconv.Itoa(e.Sequence),
		"DTSTAMP:"+e.Stamp.UTC().Format(icsTime),
		"DTSTART:"+e.Start.UTC().Format(icsTime),
		"DTEND:"+e.End.UTC().Format(icsTime),
		"SUMMARY:"+icsText(e.Summary))
	if e.Location != "" {
		add("LOCATION:" + icsText(e.Location))
	}
	if e.Description != "" {
		add("DESCRIPTION:" + icsText(e.Description))
	}
	if e.URL != "" {
		add("URL:" + e.URL)
	}
	if e.OrganizerEmail != "" {
		add("ORGANIZER;CN=" + icsParam(e.OrganizerName) + ":mailto:" + e.OrganizerEmail)
	}
	if e.AttendeeEmail != "" {
		add("ATTENDEE;CN=" + icsParam(e.AttendeeName) + ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:" + e.AttendeeEmail)
	}
	if e.Cancelled {
		add("STATUS:CANCELLED")
	} else {
		add("STATUS:CONFIRMED")
	}
	add("TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(fold(l))
	}
	return b.String()
}

// icsText escapes a TEXT value: backslash, semicolon, comma and newlines.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return icsEscaper.Replace(s)
}

var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)

// icsParam quotes a parameter value; a double quote or control character
// cannot appear in one at all, so they are dropped.
func icsParam(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

// fold splits a content line into lines of at most 75 octets (RFC 5545
// 3.1), never inside a UTF-8 sequence, and ends it with CRLF.
func fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line + "\r\n")
	return b.String()
}
