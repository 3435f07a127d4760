package daoyue

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Workspace is a tenant (工作室): its own members, practitioners, services and
// bookings, all shown in its time zone.
type Workspace struct {
	ID        string
	Slug      string
	Name      string
	Intro     string
	TimeZone  string
	CreatedAt time.Time
}

// Location returns the workspace's time zone; an unknown name (which
// Validate prevents) falls back to Asia/Taipei rather than UTC.
func (w *Workspace) Location() *time.Location {
	if loc, err := time.LoadLocation(w.TimeZone); err == nil {
		return loc
	}
	loc, _ := time.LoadLocation(DefaultTimeZone)
	return loc
}

// DefaultTimeZone is the zone of a new workspace.
const DefaultTimeZone = "Asia/Taipei"

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// reservedSlugs would collide with the product's own paths.
var reservedSlugs = map[string]bool{"admin": true, "api": true, "docs": true, "login": true, "static": true, "new": true}

// Validate checks a workspace before it is stored.
func (w *Workspace) Validate() error {
	f := FieldErrors{}
	if !slugRE.MatchString(w.Slug) || reservedSlugs[w.Slug] {
		f.Add("slug", "error.slug")
	}
	checkText(f, "name", w.Name, 1, 100)
	checkText(f, "intro", w.Intro, 0, 2000)
	if _, err := time.LoadLocation(w.TimeZone); err != nil || w.TimeZone == "" || w.TimeZone == "Local" {
		f.Add("time_zone", "error.time_zone")
	}
	return f.Err()
}

// Role is a member's role in a workspace.
type Role string

const (
	RoleOwner Role = "owner"
	RoleAdmin Role = "admin"
	RoleStaff Role = "staff"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleOwner || r == RoleAdmin || r == RoleStaff }

// CanManage reports whether the role may change the workspace's setup
// (services, practitioners, members). Staff run bookings only.
func (r Role) CanManage() bool { return r == RoleOwner || r == RoleAdmin }

// Roles lists every role, least power first.
var Roles = []Role{RoleStaff, RoleAdmin, RoleOwner}

// Manages reports whether a member with role r may give role other, or
// change or remove a member who holds it: managers may, and where an owner
// is concerned only an owner.
func (r Role) Manages(other Role) bool {
	return r.CanManage() && (other != RoleOwner || r == RoleOwner)
}

// Grantable lists the roles r may give, least power first (none for staff).
func (r Role) Grantable() []Role {
	var out []Role
	for _, o := range Roles {
		if r.Manages(o) {
			out = append(out, o)
		}
	}
	return out
}

// User is a person who can sign in. Membership in workspaces is separate.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	CreatedAt    time.Time
}

// Member is a user's membership of one workspace (授權後台使用者).
type Member struct {
	WorkspaceID string
	UserID      string
	Role        Role
	Email       string // from the user, for listing
	Name        string
	CreatedAt   time.Time
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// checkText records a problem when s is outside [min,max] characters or holds
// control characters other than newlines.
func checkText(f FieldErrors, field, s string, min, max int) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "error.text_invalid")
	case n < min && min == 1:
		f.Add(field, "error.required")
	case n < min:
		f.Add(field, "error.too_short")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, "error.too_long")
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			f.Add(field, "error.text_invalid")
			break
		}
	}
}
