package daoyue

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	_ "image/jpeg" // logos
	_ "image/png"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Workspace is a tenant (工作室): its own members, practitioners, services and
// bookings, all shown in its time zone.
type Workspace struct {
	ID       string
	Slug     string
	Name     string
	Intro    string
	TimeZone string
	// ContactEmail is the Reply-To of every client email and, with
	// ContactPhone, shown on the public page ("" for none).
	ContactEmail string
	ContactPhone string
	// PaymentInstructions tell clients of pay-first services how to pay
	// when the studio takes payment itself (bank transfer, at the studio).
	PaymentInstructions string
	// LogoVersion names the stored logo (a short hash of its bytes, so
	// its URL changes with it); "" when the studio has none. The image
	// itself is kept apart (WorkspaceStore.WorkspaceLogo).
	LogoVersion string
	CreatedAt   time.Time
	// CatalogVersion grows with every change to the studio's services,
	// its practitioners' own fields and who gives which service (the
	// store bumps it); read-only.
	CatalogVersion int64
}

// Location returns the workspace's time zone; an unknown name (which
// Validate prevents) falls back to Asia/Taipei rather than UTC.
func (w *Workspace) Location() *time.Location {
	if loc, ok := locations.Load(w.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		loc, _ = time.LoadLocation(DefaultTimeZone)
	}
	if locations.Len.Add(1) <= maxLocations { // a bound, should names ever be unchecked
		locations.Store(w.TimeZone, loc)
	}
	return loc
}

// locations keeps the zones loaded: time.LoadLocation reads and parses
// the zone's data on every call, a visible share of a slot request.
var locations struct {
	sync.Map
	Len atomic.Int64
}

const maxLocations = 1000

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
	CheckLine(f, "name", w.Name, 1, 100)
	checkText(f, "intro", w.Intro, 0, 2000)
	if _, err := time.LoadLocation(w.TimeZone); err != nil || w.TimeZone == "" || w.TimeZone == "Local" {
		f.Add("time_zone", "error.time_zone")
	}
	if w.ContactEmail != "" && !ValidEmail(w.ContactEmail) {
		f.Add("contact_email", "error.email")
	}
	if w.ContactPhone != "" && !ValidPhone(w.ContactPhone) {
		f.Add("contact_phone", "error.phone")
	}
	checkText(f, "payment_instructions", w.PaymentInstructions, 0, 2000)
	return f.Err()
}

// ValidPhone reports whether s reads as a phone number: digits, spaces and
// + - ( ) #, at most 30 characters (as a client's phone).
func ValidPhone(s string) bool {
	return len(s) <= 30 && strings.Trim(s, "+0123456789 -()#") == "" && strings.ContainsAny(s, "0123456789")
}

// MaxLogoBytes bounds a studio's logo.
const MaxLogoBytes = 200 << 10

// Logo is a studio's logo image as stored.
type Logo struct {
	ContentType string // image/png, image/jpeg or image/webp
	Data        []byte
	UpdatedAt   time.Time
}

// logoTypes are the images a logo may be, by their sniffed content type.
var logoTypes = map[string]string{"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp"}

// NewLogo checks an uploaded image: at most MaxLogoBytes, and PNG, JPEG or
// WebP by its content (never by the name or type the browser sent), with a
// header that decodes to a sensible size. The error is a field error on
// "logo".
func NewLogo(data []byte, at time.Time) (*Logo, error) {
	f := FieldErrors{}
	switch {
	case len(data) == 0:
		f.Add("logo", "error.required")
	case len(data) > MaxLogoBytes:
		f.Add("logo", "error.logo_too_large")
	default:
		ct := http.DetectContentType(data)
		format, ok := logoTypes[ct]
		if !ok {
			f.Add("logo", "error.logo_type")
			break
		}
		var cfg image.Config
		var err error
		got := format
		if format == "webp" {
			cfg, err = webpConfig(data)
		} else {
			cfg, got, err = image.DecodeConfig(bytes.NewReader(data))
		}
		if err != nil || got != format || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > 4096 || cfg.Height > 4096 {
			f.Add("logo", "error.logo_type")
			break
		}
		return &Logo{ContentType: ct, Data: data, UpdatedAt: at}, nil
	}
	return nil, f.Err()
}

// webpConfig reads a WebP image's size from its first chunk (VP8, VP8L or
// VP8X); the standard library has no WebP decoder to register.
func webpConfig(b []byte) (image.Config, error) {
	bad := errors.New("webp: malformed header")
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return image.Config{}, bad
	}
	c := b[20:]
	var w, h int
	switch string(b[12:16]) {
	case "VP8 ":
		if c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a {
			return image.Config{}, bad
		}
		w, h = int(binary.LittleEndian.Uint16(c[6:])&0x3fff), int(binary.LittleEndian.Uint16(c[8:])&0x3fff)
	case "VP8L":
		if c[0] != 0x2f {
			return image.Config{}, bad
		}
		bits := binary.LittleEndian.Uint32(c[1:])
		w, h = int(bits&0x3fff)+1, int(bits>>14&0x3fff)+1
	case "VP8X":
		w = int(uint32(c[4])|uint32(c[5])<<8|uint32(c[6])<<16) + 1
		h = int(uint32(c[7])|uint32(c[8])<<8|uint32(c[9])<<16) + 1
	default:
		return image.Config{}, bad
	}
	return image.Config{Width: w, Height: h}, nil
}

// Version is the short hash a logo's URL carries.
func (l *Logo) Version() string {
	sum := sha256.Sum256(l.Data)
	return hex.EncodeToString(sum[:6])
}

// Role is a member's role in a workspace.
type Role string

const (
	RoleOwner Role = "owner"
	RoleAdmin Role = "admin"
	RoleStaff Role = "staff"
	// RolePractitioner is linked to one practitioner (老師): that
	// practitioner's bookings, hours and Zoom connection, nothing else.
	RolePractitioner Role = "practitioner"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleOwner || r == RoleAdmin || r == RoleStaff || r == RolePractitioner
}

// CanManage reports whether the role may change the workspace's setup
// (services, practitioners, members). Staff run bookings only.
func (r Role) CanManage() bool { return r == RoleOwner || r == RoleAdmin }

// Roles lists every role, least power first.
var Roles = []Role{RolePractitioner, RoleStaff, RoleAdmin, RoleOwner}

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
	// TOTPSealed is the sealed secret of the user's authenticator app
	// ("" when two-factor sign-in is off); TOTPPendingSealed is one being
	// set up, not yet confirmed with a code. TOTPLastStep is the time step
	// of the last code accepted, so a code works once.
	TOTPSealed        string
	TOTPPendingSealed string
	TOTPLastStep      int64
}

// TwoFactor reports whether the user signs in with a second factor.
func (u *User) TwoFactor() bool { return u.TOTPSealed != "" }

// Member is a user's membership of one workspace (授權後台使用者).
type Member struct {
	WorkspaceID string
	UserID      string
	Role        Role
	// PractitionerID links a practitioner member to their practitioner.
	PractitionerID string
	Email          string // from the user, for listing
	Name           string
	CreatedAt      time.Time
}

// Sees reports whether the member may see and act on a booking of
// practitioner pid: everyone but a practitioner member, who sees their own.
func (m *Member) Sees(pid string) bool {
	return m.Role != RolePractitioner || m.PractitionerID == pid
}

// Tends reports whether the member may change practitioner pid's own
// things (weekly hours, date overrides, Zoom connection): managers, and
// the practitioner member linked to pid.
func (m *Member) Tends(pid string) bool {
	return m.Role.CanManage() || (m.Role == RolePractitioner && m.PractitionerID == pid)
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
// characters that are not text: control characters other than newlines and
// tabs, and the bidirectional overrides that make a name read as something
// else (U+202A–U+202E, U+2066–U+2069).
func checkText(f FieldErrors, field, s string, min, max int) {
	checkChars(f, field, s, min, max, true)
}

// CheckLine is checkText for a one-line value (a name, a place): no line
// breaks or tabs either, since it goes into email headers and calendar files.
func CheckLine(f FieldErrors, field, s string, min, max int) {
	checkChars(f, field, s, min, max, false)
}

func checkChars(f FieldErrors, field, s string, min, max int, multiline bool) {
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
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if !TextRune(r) {
			f.Add(field, "error.text_invalid")
			break
		}
	}
}

// TextRune reports whether r may stand in a name or a text people type:
// not a control character (C0, DEL, C1) nor a bidirectional embedding,
// override or isolate.
func TextRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return false
	}
	return true
}

// linkish finds what a mail program would show as a link or an address: a
// scheme, www., an @, or a dotted host name such as phish.example.
var linkish = regexp.MustCompile(`(?i)(://|www\.|@|[a-z0-9-]+(\.|。|．)[a-z]{2,})`)

// LooksLikeLink reports whether a text a stranger typed (a client's name)
// holds something that reads as a link or an address, and so must not lead
// an email sent in a studio's name.
func LooksLikeLink(s string) bool { return linkish.MatchString(s) }
