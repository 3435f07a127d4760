package daoyue

import (
	"context"
	"time"
)

// LINE (issue 12): a studio's own LINE Official Account, the clients who
// linked their LINE to it, and the LINE messages sent beside their emails.

// LineAccount is a studio's Messaging API channel. The channel secret is
// sealed with the app keyring, bound to the row (app/line.go), and never
// shown again once entered. HookID is the opaque last part of the webhook
// URL the studio registers in the LINE Developers console.
type LineAccount struct {
	WorkspaceID  string
	HookID       string
	ChannelID    string
	SecretSealed string
	// BotUserID, BasicID ("@…") and DisplayName are what BotInfo answered
	// when the account was connected.
	BotUserID   string
	BasicID     string
	DisplayName string
	UpdatedAt   time.Time
}

// LineLink binds a LINE user (of the studio's channel) to a client's email
// at that studio. Following is false after an unfollow (blocked): nothing
// is pushed until a later follow.
type LineLink struct {
	WorkspaceID string
	Email       string
	UserID      string
	Following   bool
	LinkedAt    time.Time
	UpdatedAt   time.Time
}

// LineStatus is where a LINE message stands.
type LineStatus string

const (
	LineQueued  LineStatus = "queued"
	LineSent    LineStatus = "sent"
	LineFailed  LineStatus = "failed"  // LINE refused it for good, or every retry failed; LastError says why
	LineSkipped LineStatus = "skipped" // the client unfollowed (or unlinked) before it went
)

// LineMessage is one LINE push to a client, composed with the email of the
// same change and kept apart from the email outbox. Body is the composed
// message as JSON (text, card); it holds ManageTokenPlaceholder where the
// manage link goes. RetryKey is fixed when the message is queued and sent
// with every attempt, so LINE delivers it once.
type LineMessage struct {
	ID          string
	WorkspaceID string
	BookingID   string
	Kind        MailKind
	Email       string
	UserID      string
	RetryKey    string
	Body        string
	Status      LineStatus
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	SentAt      *time.Time
}

// SendLineJob delivers one LINE message.
type SendLineJob struct {
	WorkspaceID string
	MessageID   string
}

// JobKind names the job.
func (SendLineJob) JobKind() string { return "send_line" }

// LineStore keeps the LINE side of studios.
type LineStore interface {
	// LineAccount is ENOTFOUND when the studio has not connected LINE.
	LineAccount(ctx context.Context, workspaceID string) (*LineAccount, error)
	LineAccountByHook(ctx context.Context, hookID string) (*LineAccount, error)
	PutLineAccount(ctx context.Context, a *LineAccount) error
	// DeleteLineAccount forgets the account and its links and codes.
	DeleteLineAccount(ctx context.Context, workspaceID string) error
	PutLineCode(ctx context.Context, workspaceID, hash, email, language string, expires time.Time) error
	// TakeLineCode consumes a code: ENOTFOUND when unknown, used or expired.
	TakeLineCode(ctx context.Context, workspaceID, hash string, now time.Time) (email, language string, err error)
	PutLineLink(ctx context.Context, l *LineLink) error
	// LineLink is ENOTFOUND when the email has not linked LINE.
	LineLink(ctx context.Context, workspaceID, email string) (*LineLink, error)
	// SetLineFollowing marks every link of the user; it returns how many.
	SetLineFollowing(ctx context.Context, workspaceID, userID string, following bool, now time.Time) (int, error)
	DeleteLineLink(ctx context.Context, workspaceID, email string) error
	AddLineMessage(ctx context.Context, m *LineMessage) error
	LineMessage(ctx context.Context, workspaceID, id string) (*LineMessage, error)
	// MarkLineMessage records an attempt's outcome (attempts + 1).
	MarkLineMessage(ctx context.Context, workspaceID, id string, status LineStatus, lastError string, now time.Time) error
	// ListLineMessages is the newest first.
	ListLineMessages(ctx context.Context, workspaceID string, limit int) ([]*LineMessage, error)
	// DeleteClientLine erases an email's link, codes and messages.
	DeleteClientLine(ctx context.Context, workspaceID, email string) error
}
