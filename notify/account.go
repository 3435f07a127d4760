package notify

import (
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// AccountInput is what an account email is composed from.
type AccountInput struct {
	Language string
	BaseURL  string
	Name     string // the account's name, for the greeting
}

// ComposePasswordReset writes the password reset email; its link,
// {BaseURL}/reset/ followed by daoyue.ManageTokenPlaceholder, is filled in
// by the sender from the sealed secret.
func ComposePasswordReset(in AccountInput) *Message {
	lang := daoyue.NormalizeLanguage(in.Language)
	t := func(key string) string {
		return i18n.T(lang, key, map[string]any{"minutes": int(daoyue.PasswordResetTTL.Minutes())})
	}
	greeting := t("mail.greeting_plain")
	if in.Name != "" && !daoyue.LooksLikeLink(in.Name) {
		greeting = i18n.T(lang, "mail.greeting", map[string]any{"name": in.Name})
	}
	d := doc{Lang: lang, Greeting: greeting, Footer: t("mail.account.footer")}
	d.Lead = []string{t("mail.reset.lead")}
	if base := strings.TrimRight(in.BaseURL, "/"); base != "" {
		d.Links = []link{{t("mail.reset.link"), base + "/reset/" + daoyue.ManageTokenPlaceholder}}
	}
	d.Notes = []string{t("mail.reset.expires"), t("mail.reset.ignore")}
	msg := &Message{Language: lang, Subject: t("mail.reset.subject"), Text: d.text()}
	msg.HTML, _ = d.html() // the template is fixed and parsed at start-up
	return msg
}
