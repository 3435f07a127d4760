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
	msg.HTML = d.html()
	return msg
}

// accountDoc is an account email's frame: the greeting by name (unless the
// name reads as a link) and the footer.
func accountDoc(in AccountInput) (doc, func(string) string) {
	lang := daoyue.NormalizeLanguage(in.Language)
	t := func(key string) string {
		return i18n.T(lang, key, map[string]any{"hours": int(daoyue.SignupTTL.Hours())})
	}
	greeting := t("mail.greeting_plain")
	if in.Name != "" && !daoyue.LooksLikeLink(in.Name) {
		greeting = i18n.T(lang, "mail.greeting", map[string]any{"name": in.Name})
	}
	return doc{Lang: lang, Greeting: greeting, Footer: t("mail.account.footer")}, t
}

// ComposeSignupVerify writes a sign-up's verification email; its link,
// {BaseURL}/signup/ followed by daoyue.ManageTokenPlaceholder, is filled in
// by the sender from the sealed secret.
func ComposeSignupVerify(in AccountInput) *Message {
	d, t := accountDoc(in)
	d.Lead = []string{t("mail.signup.lead")}
	if base := strings.TrimRight(in.BaseURL, "/"); base != "" {
		d.Links = []link{{t("mail.signup.link"), base + "/signup/" + daoyue.ManageTokenPlaceholder}}
	}
	d.Notes = []string{t("mail.signup.expires"), t("mail.signup.ignore")}
	msg := &Message{Language: d.Lang, Subject: t("mail.signup.subject"), Text: d.text()}
	msg.HTML = d.html()
	return msg
}

// ComposeSignupExists writes the email sent instead of a verification link
// when the address already has an account: sign in, or reset the password.
func ComposeSignupExists(in AccountInput) *Message {
	d, t := accountDoc(in)
	d.Lead = []string{t("mail.signup_exists.lead")}
	if base := strings.TrimRight(in.BaseURL, "/"); base != "" {
		d.Links = []link{{t("mail.signup_exists.sign_in"), base + "/admin/login"}, {t("mail.signup_exists.reset"), base + "/admin/forgot"}}
	}
	d.Notes = []string{t("mail.signup_exists.ignore")}
	msg := &Message{Language: d.Lang, Subject: t("mail.signup_exists.subject"), Text: d.text()}
	msg.HTML = d.html()
	return msg
}

// ClientLinkInput is what a My bookings link email is composed from.
type ClientLinkInput struct {
	Language string
	BaseURL  string
	Studio   string // the studio's name
	Slug     string
}

// ComposeClientLink writes the email with a client's My bookings link,
// {BaseURL}/w/{slug}/my/ followed by daoyue.ManageTokenPlaceholder, which
// the sender fills in from the sealed secret.
func ComposeClientLink(in ClientLinkInput) *Message {
	lang := daoyue.NormalizeLanguage(in.Language)
	studio := strings.Map(func(r rune) rune { // a name stored before CR/LF were refused
		if !daoyue.TextRune(r) {
			return ' '
		}
		return r
	}, in.Studio)
	t := func(key string) string {
		return i18n.T(lang, key, map[string]any{"studio": studio, "minutes": int(daoyue.ClientLinkTTL.Minutes())})
	}
	d := doc{Lang: lang, Greeting: t("mail.greeting_plain"), Footer: t("mail.my.footer")}
	d.Lead = []string{t("mail.my.lead")}
	if base := strings.TrimRight(in.BaseURL, "/"); base != "" {
		d.Links = []link{{t("mail.my.link"), base + "/w/" + in.Slug + "/my/" + daoyue.ManageTokenPlaceholder}}
	}
	d.Notes = []string{t("mail.my.expires"), t("mail.my.ignore")}
	msg := &Message{Language: lang, Subject: t("mail.my.subject"), Text: d.text()}
	msg.HTML = d.html()
	return msg
}
