package web

import (
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// The word maps of the pages follow the key families that i18n's
// TestKeyFamilies checks in both languages (one key per domain constant,
// named after it), and those with a domain list miss none of its members.
func TestWordKeysFollowFamilies(t *testing.T) {
	follows := func(name, prefix string, keys map[string]string) {
		t.Helper()
		for v, k := range keys {
			if k != prefix+v {
				t.Errorf("%s: %q has key %q, want %q", name, v, k, prefix+v)
			}
		}
	}
	follows("statusKeys", "status.", byString(statusKeys))
	follows("paymentStatusKeys", "status.payment.", byString(paymentStatusKeys))
	follows("requestStatusKeys", "status.request.", byString(requestStatusKeys))
	follows("tabKeys", "tab.", byString(tabKeys))
	follows("emptyTabKeys", "msg.empty_tab.", byString(emptyTabKeys))
	follows("confirmationKeys", "label.confirmation.", byString(confirmationKeys))
	follows("paymentRuleKeys", "label.payment_rule.", byString(paymentRuleKeys))
	follows("mailKindKeys", "mail.kind.", byString(mailKindKeys))
	follows("mailStatusKeys", "mail.status.", byString(mailStatusKeys))
	for r, k := range roleKeys {
		if k != i18n.RoleKey(r) {
			t.Errorf("roleKeys: %q has key %q, want %q", r, k, i18n.RoleKey(r))
		}
	}

	for _, s := range daoyue.Statuses {
		if _, ok := statusKeys[s]; !ok {
			t.Errorf("statusKeys: no word for %q", s)
		}
	}
	for _, tab := range daoyue.Tabs {
		if _, ok := tabKeys[tab]; !ok {
			t.Errorf("tabKeys: no word for %q", tab)
		}
		if _, ok := emptyTabKeys[tab]; !ok {
			t.Errorf("emptyTabKeys: no message for %q", tab)
		}
	}
	for _, kind := range append(append([]daoyue.MailKind{}, daoyue.MailKinds...), daoyue.StudioMailKinds...) {
		if _, ok := mailKindKeys[kind]; !ok {
			t.Errorf("mailKindKeys: no word for %q", kind)
		}
	}
}

func byString[K ~string](m map[K]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}
