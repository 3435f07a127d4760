package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/line"
	"github.com/daoyue/daoyue/notify"
)

// LINE (issue 12). A studio connects its own LINE Official Account (channel
// id + secret, sealed). A client links LINE with a one-time code shown on
// its manage page or My bookings and sent to the account in LINE
// (docs/decisions.md, "LINE"); the signed webhook binds the sender's
// userId to (studio, client email). From then on every client message
// composed for email (composeMail) is also queued for LINE, in the same
// transaction, and a SendLineJob pushes it with a retry key fixed at
// enqueue. Email always goes as well: LINE adds to it.

// Line configures LINE; App.Line nil turns LINE off (no settings card, no
// link offers, nothing queued).
type Line struct {
	// APIURL and AccessURL replace LINE's hosts ("" for the real ones): the
	// simulator in development and tests.
	APIURL, AccessURL string
	HTTPClient        *http.Client
	// SimulatorURL is the simulator's page, shown to clients in
	// development instead of the LINE app ("" in production).
	SimulatorURL string

	mu      sync.Mutex
	clients map[string]cachedLineClient // by workspace id
}

type cachedLineClient struct {
	key string // channel id + sealed secret: a reconnect makes a new client
	c   *line.Client
}

// LineCodeTTL is how long a link code works.
const LineCodeTTL = 30 * time.Minute

// lineMaxAttempts bounds a LINE push's retries (with the mail backoff,
// about half an hour).
const LineMaxAttempts = 12

func lineSecretContext(wsID, hookID string) string {
	return "line_accounts/" + wsID + "/" + hookID + "/secret"
}

// lineClient is the studio's client, kept per studio so its token is reused.
func (a *App) lineClient(acct *daoyue.LineAccount) (*line.Client, error) {
	l := a.Line
	k := a.keyring()
	if l == nil || k == nil {
		return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.line_not_connected")
	}
	key := acct.ChannelID + "|" + acct.SecretSealed
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.clients[acct.WorkspaceID]; ok && c.key == key {
		return c.c, nil
	}
	raw, err := k.Decrypt(acct.SecretSealed, lineSecretContext(acct.WorkspaceID, acct.HookID))
	if err != nil {
		return nil, err
	}
	c, err := l.newClient(acct.ChannelID, string(raw))
	if err != nil {
		return nil, err
	}
	if l.clients == nil {
		l.clients = map[string]cachedLineClient{}
	}
	l.clients[acct.WorkspaceID] = cachedLineClient{key: key, c: c}
	return c, nil
}

func (l *Line) newClient(channelID, secret string) (*line.Client, error) {
	return line.New(line.Config{ChannelID: channelID, ChannelSecret: secret, APIURL: l.APIURL, AccessURL: l.AccessURL, HTTPClient: l.HTTPClient})
}

// lineSecret opens the studio's channel secret (webhook signatures).
func (a *App) lineSecret(acct *daoyue.LineAccount) (string, error) {
	k := a.keyring()
	if k == nil {
		return "", daoyue.Errorf(daoyue.ETRANSITION, "error.line_no_keyring")
	}
	raw, err := k.Decrypt(acct.SecretSealed, lineSecretContext(acct.WorkspaceID, acct.HookID))
	return string(raw), err
}

// LineSettingsView is the studio's LINE card: never the secret.
type LineSettingsView struct {
	Connected    bool
	ChannelID    string
	DisplayName  string
	BasicID      string
	AddFriendURL string
	WebhookURL   string
	// Quota is this month's usage (nil when it could not be read; QuotaError says why).
	Quota      *line.Quota
	QuotaError string
	Recent     []*daoyue.LineMessage
}

// LineSettings is the studio's LINE account for its settings page (owners
// and admins), with this month's quota read from LINE.
func (a *App) LineSettings(ctx context.Context, slug, baseURL string) (*LineSettingsView, error) {
	if a.Line == nil {
		return nil, nil
	}
	var acct *daoyue.LineAccount
	out := &LineSettingsView{}
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		var err error
		acct, err = tx.LineAccount(ctx, ws.ID)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil
		} else if err != nil {
			return err
		}
		out.Recent, err = tx.ListLineMessages(ctx, ws.ID, 10)
		return err
	})
	if err != nil || acct == nil {
		return out, err
	}
	out.Connected, out.ChannelID, out.DisplayName, out.BasicID = true, acct.ChannelID, acct.DisplayName, acct.BasicID
	out.AddFriendURL = line.AddFriendURL(acct.BasicID)
	out.WebhookURL = strings.TrimRight(baseURL, "/") + "/webhooks/line/" + acct.HookID
	c, err := a.lineClient(acct)
	if err == nil {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var q line.Quota
		if q, err = c.Quota(qctx); err == nil {
			out.Quota = &q
		}
	}
	if err != nil {
		out.QuotaError = err.Error()
	}
	return out, nil
}

var lineChannelIDRE = regexp.MustCompile(`^[0-9]{6,20}$`)

// ConnectLine checks the channel id and secret with LINE (BotInfo mints a
// token from them) and stores them, the secret sealed (owners and admins).
func (a *App) ConnectLine(ctx context.Context, slug, channelID, secret string) error {
	if a.Line == nil {
		return daoyue.ErrNotFound
	}
	if a.keyring() == nil {
		return daoyue.Errorf(daoyue.ETRANSITION, "error.line_no_keyring")
	}
	channelID, secret = strings.TrimSpace(channelID), strings.TrimSpace(secret)
	var existing *daoyue.LineAccount
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		var err error
		if existing, err = tx.LineAccount(ctx, ws.ID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
			existing, err = nil, nil
		}
		return err
	})
	if err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	if !lineChannelIDRE.MatchString(channelID) {
		f.Add("line_channel_id", "error.line_channel_id")
	}
	if secret == "" && (existing == nil || existing.ChannelID != channelID) {
		f.Add("line_channel_secret", "error.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if secret == "" { // the same channel again: the stored secret
		if secret, err = a.lineSecret(existing); err != nil {
			return err
		}
	}
	c, err := a.Line.newClient(channelID, secret)
	if err != nil {
		return daoyue.FieldErrors{"line_channel_secret": "error.line_auth"}.Err()
	}
	bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	info, err := c.BotInfo(bctx)
	switch {
	case err == nil:
	case line.IsAuth(err) || line.IsPermanent(err):
		return daoyue.FieldErrors{"line_channel_secret": "error.line_auth"}.Err()
	default:
		a.Log.Warn("LINE bot info failed", slog.String("error", err.Error()))
		return daoyue.Errorf(daoyue.ETRANSITION, "error.line_unavailable")
	}
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		acct := &daoyue.LineAccount{WorkspaceID: ws.ID, HookID: "lh" + strings.ToLower(daoyue.NewToken()[:20]), ChannelID: channelID,
			BotUserID: info.UserID, BasicID: info.BasicID, DisplayName: info.DisplayName, UpdatedAt: a.now()}
		if existing != nil {
			acct.HookID = existing.HookID // the URL registered in the console stays valid
		}
		var err error
		if acct.SecretSealed, err = a.keyring().Encrypt([]byte(secret), lineSecretContext(ws.ID, acct.HookID)); err != nil {
			return err
		}
		if existing != nil && existing.ChannelID != channelID {
			// Another channel: its users have other ids; the links are void.
			if err := tx.DeleteLineAccount(ctx, ws.ID); err != nil {
				return err
			}
		}
		if err := tx.PutLineAccount(ctx, acct); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "workspace.line_connected", "workspace", ws.ID,
			map[string]string{"channel_id": channelID, "basic_id": info.BasicID})
	})
}

// SeedLineAccount connects the workspace slug to a channel unless it has
// one (the development demo, with the simulator's channel, whose bot info
// is given: the simulator is not served yet when the demo is seeded).
func (a *App) SeedLineAccount(ctx context.Context, slug, channelID, secret string, info line.BotInfo) error {
	if a.Line == nil || a.keyring() == nil {
		return nil
	}
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "demo"})
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		if _, err := tx.LineAccount(ctx, ws.ID); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		acct := &daoyue.LineAccount{WorkspaceID: ws.ID, HookID: "lh" + strings.ToLower(daoyue.NewToken()[:20]), ChannelID: channelID,
			BotUserID: info.UserID, BasicID: info.BasicID, DisplayName: info.DisplayName, UpdatedAt: a.now()}
		if acct.SecretSealed, err = a.keyring().Encrypt([]byte(secret), lineSecretContext(ws.ID, acct.HookID)); err != nil {
			return err
		}
		return tx.PutLineAccount(ctx, acct)
	})
}

// LineHookURL is the webhook path of the workspace slug's account ("" when
// none): the development server registers it with the simulator.
func (a *App) LineHookURL(ctx context.Context, slug string) (string, error) {
	acct, err := a.lineAccountBySlug(ctx, slug)
	if err != nil {
		return "", err
	}
	return "/webhooks/line/" + acct.HookID, nil
}

// lineAccountBySlug reads the LINE account of the workspace slug.
func (a *App) lineAccountBySlug(ctx context.Context, slug string) (*daoyue.LineAccount, error) {
	var acct *daoyue.LineAccount
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		acct, err = tx.LineAccount(ctx, ws.ID)
		return err
	})
	return acct, err
}

// DisconnectLine forgets the studio's LINE account, its secret and every
// client's link (owners and admins).
func (a *App) DisconnectLine(ctx context.Context, slug string) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		acct, err := tx.LineAccount(ctx, ws.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteLineAccount(ctx, ws.ID); err != nil {
			return err
		}
		if a.Line != nil {
			a.Line.mu.Lock()
			delete(a.Line.clients, ws.ID)
			a.Line.mu.Unlock()
		}
		return a.audit(ctx, tx, ws.ID, "workspace.line_disconnected", "workspace", ws.ID,
			map[string]string{"channel_id": acct.ChannelID})
	})
}

// LineState is what a client's page says of LINE: whether the studio has
// connected it and whether this client linked and still follows.
type LineState struct {
	Available bool // the studio connected LINE
	Linked    bool
	Following bool
}

func (a *App) lineState(ctx context.Context, tx daoyue.Tx, wsID, email string) (*LineState, error) {
	st := &LineState{}
	if a.Line == nil || email == "" {
		return st, nil
	}
	if _, err := tx.LineAccount(ctx, wsID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	st.Available = true
	l, err := tx.LineLink(ctx, wsID, daoyue.NormalizeEmail(email))
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	st.Linked, st.Following = true, l.Following
	return st, nil
}

// LineStateOfBooking is LineState for the client behind a manage link.
func (a *App) LineStateOfBooking(ctx context.Context, token string) (*LineState, error) {
	var st *LineState
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		b, err := tx.BookingByManageToken(ctx, daoyue.HashToken(token))
		if err != nil {
			return err
		}
		st, err = a.lineState(ctx, tx, b.WorkspaceID, b.Client.Email)
		return err
	})
	return st, err
}

// LineStateOfMy is LineState for a My bookings session.
func (a *App) LineStateOfMy(ctx context.Context, slug, session string) (*LineState, error) {
	var st *LineState
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, email, err := a.mySession(ctx, tx, slug, session)
		if err != nil {
			return err
		}
		st, err = a.lineState(ctx, tx, ws.ID, email)
		return err
	})
	return st, err
}

func (a *App) mySession(ctx context.Context, tx daoyue.Tx, slug, session string) (*daoyue.Workspace, string, error) {
	ws, err := tx.WorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, "", err
	}
	t, err := tx.ClientToken(ctx, daoyue.HashToken(session), daoyue.ClientSession, a.now())
	if session == "" || err != nil || t.WorkspaceID != ws.ID {
		return nil, "", daoyue.ErrUnauthorized
	}
	return ws, t.Email, nil
}

// LineOffer is the page that links a client's LINE: a fresh one-time code
// and the ways to send it to the studio's account.
type LineOffer struct {
	Workspace   *daoyue.Workspace
	State       LineState
	AccountName string
	BasicID     string
	Code        string
	// SendURL opens LINE's chat with the account, the code typed in
	// (https://line.me/R/oaMessage/{basicId}/?{code}).
	SendURL      string
	AddFriendURL string
	Minutes      int
	SimulatorURL string
}

const lineCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func newLineCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = lineCodeAlphabet[int(b[i])%len(lineCodeAlphabet)]
	}
	return "DY-" + string(b)
}

var lineCodeRE = regexp.MustCompile(`(?i)\bDY-?([A-Z0-9]{8})\b`)

// lineCodeHash is a code's stored form; "dy-abcd2345", "DY ABCD2345" and
// "DYABCD2345" are the same code.
func lineCodeHash(text string) (string, bool) {
	m := lineCodeRE.FindStringSubmatch(strings.ToUpper(text))
	if m == nil {
		return "", false
	}
	return daoyue.HashToken("line-code:DY-" + m[1]), true
}

// OfferLineForBooking issues a link code for the client behind a manage
// link (possession of the link identifies the client).
func (a *App) OfferLineForBooking(ctx context.Context, token, lang string) (*LineOffer, error) {
	return a.offerLine(ctx, lang, func(tx daoyue.Tx) (*daoyue.Workspace, string, error) {
		b, err := tx.BookingByManageToken(ctx, daoyue.HashToken(token))
		if err != nil {
			return nil, "", err
		}
		ws, err := tx.WorkspaceByID(ctx, b.WorkspaceID)
		return ws, b.Client.Email, err
	})
}

// OfferLineForMy issues a link code for a My bookings session's email.
func (a *App) OfferLineForMy(ctx context.Context, slug, session, lang string) (*LineOffer, error) {
	return a.offerLine(ctx, lang, func(tx daoyue.Tx) (*daoyue.Workspace, string, error) {
		return a.mySession(ctx, tx, slug, session)
	})
}

func (a *App) offerLine(ctx context.Context, lang string, who func(daoyue.Tx) (*daoyue.Workspace, string, error)) (*LineOffer, error) {
	if a.Line == nil {
		return nil, daoyue.ErrNotFound
	}
	var out *LineOffer
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, email, err := who(tx)
		if err != nil {
			return err
		}
		if email == "" {
			return daoyue.ErrNotFound // erased
		}
		email = daoyue.NormalizeEmail(email)
		acct, err := tx.LineAccount(ctx, ws.ID)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.line_not_connected")
		} else if err != nil {
			return err
		}
		st, err := a.lineState(ctx, tx, ws.ID, email)
		if err != nil {
			return err
		}
		code := newLineCode()
		h, _ := lineCodeHash(code)
		if err := tx.PutLineCode(ctx, ws.ID, h, email, daoyue.NormalizeLanguage(lang), a.now().Add(LineCodeTTL)); err != nil {
			return err
		}
		out = &LineOffer{Workspace: ws, State: *st, AccountName: acct.DisplayName, BasicID: acct.BasicID, Code: code,
			SendURL:      "https://line.me/R/oaMessage/" + url.PathEscape(acct.BasicID) + "/?" + url.QueryEscape(code),
			AddFriendURL: line.AddFriendURL(acct.BasicID), Minutes: int(LineCodeTTL.Minutes()), SimulatorURL: a.Line.SimulatorURL}
		return nil
	})
	return out, err
}

// UnlinkLineForBooking stops LINE messages to the client behind a manage link.
func (a *App) UnlinkLineForBooking(ctx context.Context, token string) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		b, err := tx.BookingByManageToken(ctx, daoyue.HashToken(token))
		if err != nil {
			return err
		}
		return tx.DeleteLineLink(ctx, b.WorkspaceID, daoyue.NormalizeEmail(b.Client.Email))
	})
}

// UnlinkLineForMy stops LINE messages to a My bookings session's email.
func (a *App) UnlinkLineForMy(ctx context.Context, slug, session string) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, email, err := a.mySession(ctx, tx, slug, session)
		if err != nil {
			return err
		}
		return tx.DeleteLineLink(ctx, ws.ID, email)
	})
}

// LineAddFriendQR is the PNG QR code that adds the studio's account (public:
// it is the account's add-friend link).
func (a *App) LineAddFriendQR(ctx context.Context, slug string) ([]byte, error) {
	if a.Line == nil {
		return nil, daoyue.ErrNotFound
	}
	acct, err := a.lineAccountBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return line.AddFriendQR(acct.BasicID, 240)
}

// LineWebhook handles one webhook delivery to the account behind hookID:
// ENOTFOUND for an unknown hook, EUNAUTHENTICATED for a signature that is
// not the studio's, EINVALID for a body that is not a webhook. Each event
// is handled once (its webhookEventId is remembered in the transaction of
// its effect), so redeliveries and duplicates change nothing.
func (a *App) LineWebhook(ctx context.Context, hookID string, body []byte, signature string) error {
	if a.Line == nil || hookID == "" {
		return daoyue.ErrNotFound
	}
	var acct *daoyue.LineAccount
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		acct, err = tx.LineAccountByHook(ctx, hookID)
		return err
	})
	if err != nil {
		return err
	}
	secret, err := a.lineSecret(acct)
	if err != nil {
		return err
	}
	if !line.VerifySignature(body, signature, secret) {
		return daoyue.ErrUnauthorized
	}
	wh, err := line.ParseWebhook(body)
	if err != nil {
		return daoyue.Errorf(daoyue.EINVALID, "error.invalid_input")
	}
	for _, ev := range wh.Events {
		if ev.Source.UserID == "" || (ev.Source.Type != "" && ev.Source.Type != "user") {
			continue
		}
		reply, err := a.lineEvent(ctx, acct, ev)
		if err != nil {
			return err // LINE redelivers: the events handled are remembered
		}
		if reply != "" && ev.ReplyToken != "" {
			if c, err := a.lineClient(acct); err == nil {
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				if _, err := c.Reply(rctx, ev.ReplyToken, line.Text(reply)); err != nil {
					a.Log.Warn("LINE reply failed", slog.String("workspace", acct.WorkspaceID), slog.String("error", err.Error()))
				}
				cancel()
			}
		}
	}
	return nil
}

// both is a text in both languages (a reply to someone whose language we
// do not know yet).
func both(key string) string {
	return i18n.T("zh-TW", key, nil) + "\n\n" + i18n.T("en", key, nil)
}

// lineEvent applies one event and returns the reply to send ("" for none).
func (a *App) lineEvent(ctx context.Context, acct *daoyue.LineAccount, ev line.Event) (string, error) {
	reply := ""
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "line"})
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		reply = ""
		if ev.WebhookEventID != "" {
			fresh, err := tx.MarkWebhookEvent(ctx, "line:"+acct.WorkspaceID+":"+ev.WebhookEventID, a.now())
			if err != nil || !fresh {
				return err
			}
		}
		user := ev.Source.UserID
		switch ev.Type {
		case "follow":
			n, err := tx.SetLineFollowing(ctx, acct.WorkspaceID, user, true, a.now())
			if err != nil {
				return err
			}
			if n > 0 {
				reply = both("line.reply.welcome_back")
			} else {
				reply = both("line.reply.follow")
			}
		case "unfollow":
			_, err := tx.SetLineFollowing(ctx, acct.WorkspaceID, user, false, a.now())
			return err
		case "message":
			if ev.Message == nil || ev.Message.Type != "text" {
				return nil
			}
			h, ok := lineCodeHash(ev.Message.Text)
			if !ok {
				return nil
			}
			email, lang, err := tx.TakeLineCode(ctx, acct.WorkspaceID, h, a.now())
			if daoyue.IsCode(err, daoyue.ENOTFOUND) {
				reply = both("line.reply.bad_code")
				return nil
			} else if err != nil {
				return err
			}
			now := a.now()
			if err := tx.PutLineLink(ctx, &daoyue.LineLink{WorkspaceID: acct.WorkspaceID, Email: email, UserID: user, Following: true,
				LinkedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
			reply = i18n.T(daoyue.NormalizeLanguage(lang), "line.reply.linked", nil)
		}
		return nil
	})
	return reply, err
}

// queueLine queues the LINE version of a client message composed for
// email (composeMail, same transaction) when the client linked LINE at
// this studio and still follows it.
func (a *App) queueLine(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, in notify.Input) error {
	if a.Line == nil || b.Client.Email == "" {
		return nil
	}
	if _, err := tx.LineAccount(ctx, b.WorkspaceID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	email := daoyue.NormalizeEmail(b.Client.Email)
	link, err := tx.LineLink(ctx, b.WorkspaceID, email)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	if !link.Following {
		return nil
	}
	lm, err := notify.ComposeLine(in)
	if err != nil {
		return err
	}
	body, err := json.Marshal(lm)
	if err != nil {
		return err
	}
	m := &daoyue.LineMessage{ID: daoyue.NewID("lm"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Kind: in.Kind, Email: email,
		UserID: link.UserID, RetryKey: line.NewRetryKey(), Body: string(body), Status: daoyue.LineQueued, CreatedAt: a.now()}
	if err := tx.AddLineMessage(ctx, m); err != nil {
		return err
	}
	return tx.Enqueue(ctx, daoyue.SendLineJob{WorkspaceID: m.WorkspaceID, MessageID: m.ID})
}

// DeliverLine pushes one queued LINE message. The job runner calls it and
// retries while it returns an error; every attempt sends the retry key
// fixed at enqueue, so a push LINE accepted but whose answer was lost is
// answered 409 and counted once. A refusal that a retry cannot fix (the
// monthly limit, a permanent error, a bad secret) or the last attempt
// marks the message failed, shown on the studio's LINE card; a client who
// unfollowed meanwhile is skipped. The email went anyway.
func (a *App) DeliverLine(ctx context.Context, wsID, msgID string, final bool) error {
	var (
		msg  *daoyue.LineMessage
		acct *daoyue.LineAccount
		link *daoyue.LineLink
		b    *daoyue.Booking
	)
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if msg, err = tx.LineMessage(ctx, wsID, msgID); err != nil {
			return err
		}
		if acct, err = tx.LineAccount(ctx, wsID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
			acct, err = nil, nil
		} else if err != nil {
			return err
		}
		if link, err = tx.LineLink(ctx, wsID, msg.Email); daoyue.IsCode(err, daoyue.ENOTFOUND) {
			link, err = nil, nil
		} else if err != nil {
			return err
		}
		if msg.BookingID != "" {
			if b, err = tx.Booking(ctx, wsID, msg.BookingID); daoyue.IsCode(err, daoyue.ENOTFOUND) {
				b, err = nil, nil
			}
		}
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil // erased
	} else if err != nil {
		return err
	}
	if msg.Status != daoyue.LineQueued {
		return nil
	}
	log := a.Log.With(slog.String("line_message", msg.ID), slog.String("kind", string(msg.Kind)))
	mark := func(status daoyue.LineStatus, why string) error {
		return a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
			return tx.MarkLineMessage(ctx, wsID, msgID, status, why, a.now())
		})
	}
	switch {
	case acct == nil:
		return mark(daoyue.LineFailed, "LINE is not connected any more")
	case link == nil || !link.Following || link.UserID != msg.UserID:
		return mark(daoyue.LineSkipped, "the client unfollowed or unlinked LINE")
	}
	var lm notify.LineMessage
	if err := json.Unmarshal([]byte(msg.Body), &lm); err != nil {
		return mark(daoyue.LineFailed, "unreadable message")
	}
	msgs := []line.Message{line.Text(lm.Text)}
	if lm.ButtonURI != "" {
		uri := lm.ButtonURI
		if strings.Contains(uri, daoyue.ManageTokenPlaceholder) {
			token := ""
			if b != nil && b.ManageTokenSealed != "" && a.keyring() != nil {
				if raw, err := a.keyring().Decrypt(b.ManageTokenSealed, manageTokenContext(b.ID)); err == nil {
					token = string(raw)
				}
			}
			if token == "" {
				uri = ""
			}
			uri = notify.FillManageToken(uri, token)
		}
		if uri != "" {
			msgs = append(msgs, line.LinkCard(line.Card{AltText: firstLine(lm.Text), Title: lm.Title, Lines: lm.Lines,
				ButtonLabel: lm.ButtonLabel, ButtonURI: uri}))
		}
	}
	c, err := a.lineClient(acct)
	if err != nil {
		return mark(daoyue.LineFailed, "the channel secret does not open (key removed?)")
	}
	res, err := c.Push(ctx, msg.UserID, msg.RetryKey, msgs...)
	if err != nil {
		retry := line.IsRetryable(err) && !final
		text := err.Error()
		if len(text) > 500 {
			text = text[:500]
		}
		log.Warn("LINE push failed", slog.Bool("retry", retry), slog.String("error", text))
		if retry {
			if merr := mark(daoyue.LineQueued, text); merr != nil {
				return merr
			}
			return err
		}
		return mark(daoyue.LineFailed, text)
	}
	if err := mark(daoyue.LineSent, ""); err != nil {
		return err
	}
	log.Info("LINE message sent", slog.Bool("already_accepted", res.AlreadyAccepted))
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 400 {
		s = string(r[:400])
	}
	return s
}
