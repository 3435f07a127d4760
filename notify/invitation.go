package notify

import (
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// InvitationInput is what an invitation email is composed from.
type InvitationInput struct {
	Workspace   *daoyue.Workspace
	Invitation  *daoyue.Invitation
	InviterName string
	// Language is the inviter's: the studio writes to a colleague.
	Language string
	BaseURL  string
}

// ComposeInvitation writes the email that carries an invitation's link,
// {BaseURL}/invite/ followed by daoyue.ManageTokenPlaceholder, which the
// sender fills in from the invitation's sealed secret: the outbox, which
// the studio's members read, never holds the link itself.
func ComposeInvitation(in InvitationInput) *Message {
	lang := daoyue.NormalizeLanguage(in.Language)
	ws, inv := in.Workspace, in.Invitation
	args := map[string]any{"studio": ws.Name, "inviter": in.InviterName,
		"role":    i18n.T(lang, i18n.RoleKey(inv.Role), nil),
		"expires": formatAt(lang, inv.ExpiresAt, ws.Location()),
		"days":    int(daoyue.InvitationTTL / (24 * time.Hour))}
	t := func(key string) string { return i18n.T(lang, key, args) }
	d := doc{Lang: lang, Greeting: t("mail.invitation.greeting"), Footer: t("mail.invitation.footer")}
	d.Lead = []string{t("mail.invitation.lead")}
	d.Rows = []row{{t("mail.invitation.studio"), ws.Name}, {t("mail.invitation.role"), args["role"].(string)},
		{t("mail.invitation.expires"), args["expires"].(string)}}
	if base := strings.TrimRight(in.BaseURL, "/"); base != "" {
		d.Links = []link{{t("mail.invitation.accept"), base + "/invite/" + daoyue.ManageTokenPlaceholder}}
	}
	d.Notes = []string{t("mail.invitation.how"), t("mail.invitation.ignore")}
	msg := &Message{Language: lang, Subject: t("mail.invitation.subject"), Text: d.text()}
	msg.HTML = d.html()
	return msg
}
