package web

import (
	"time"

	"github.com/daoyue/daoyue"
)

// The catalogue keys of words the pages show for domain values. They are
// written out in full, rather than built from a prefix, so that the i18n
// test checks every one of them exists.
var (
	statusKeys = map[daoyue.Status]string{
		daoyue.StatusPending:         "status.pending",
		daoyue.StatusAwaitingPayment: "status.awaiting_payment",
		daoyue.StatusConfirmed:       "status.confirmed",
		daoyue.StatusDeclined:        "status.declined",
		daoyue.StatusCancelled:       "status.cancelled",
		daoyue.StatusExpired:         "status.expired",
	}
	paymentStatusKeys = map[daoyue.PaymentStatus]string{
		daoyue.PaymentNotRequired:      "status.payment.not_required",
		daoyue.PaymentUnpaid:           "status.payment.unpaid",
		daoyue.PaymentPaid:             "status.payment.paid",
		daoyue.PaymentReportedByClient: "status.payment.reported",
	}
	requestStatusKeys = map[daoyue.RequestStatus]string{
		daoyue.RequestOpen:      "status.request.open",
		daoyue.RequestApproved:  "status.request.approved",
		daoyue.RequestRejected:  "status.request.rejected",
		daoyue.RequestWithdrawn: "status.request.withdrawn",
	}
	paymentMethodKeys = map[string]string{
		"bank_transfer": "label.payment_method.bank_transfer",
		"cash":          "label.payment_method.cash",
		"card":          "label.payment_method.card",
		"other":         "label.payment_method.other",
	}
	roleKeys = map[daoyue.Role]string{
		daoyue.RoleOwner:        "role.owner",
		daoyue.RoleAdmin:        "role.admin",
		daoyue.RoleStaff:        "role.staff",
		daoyue.RolePractitioner: "role.practitioner",
	}
	tabKeys = map[daoyue.Tab]string{
		daoyue.TabPending:   "tab.pending",
		daoyue.TabUpcoming:  "tab.upcoming",
		daoyue.TabPast:      "tab.past",
		daoyue.TabCancelled: "tab.cancelled",
	}
	emptyTabKeys = map[daoyue.Tab]string{
		daoyue.TabPending:   "msg.empty_tab.pending",
		daoyue.TabUpcoming:  "msg.empty_tab.upcoming",
		daoyue.TabPast:      "msg.empty_tab.past",
		daoyue.TabCancelled: "msg.empty_tab.cancelled",
	}
	confirmationKeys = map[daoyue.Confirmation]string{
		daoyue.ConfirmAuto:   "label.confirmation.auto",
		daoyue.ConfirmManual: "label.confirmation.manual",
	}
	paymentRuleKeys = map[daoyue.PaymentRule]string{
		daoyue.PaymentNone:   "label.payment_rule.none",
		daoyue.PaymentBefore: "label.payment_rule.before_confirmation",
	}
	weekdayKeys      = [...]string{"weekday.sun", "weekday.mon", "weekday.tue", "weekday.wed", "weekday.thu", "weekday.fri", "weekday.sat"}
	weekdayShortKeys = [...]string{"weekday.short.sun", "weekday.short.mon", "weekday.short.tue", "weekday.short.wed",
		"weekday.short.thu", "weekday.short.fri", "weekday.short.sat"}
	// auditKeys translate the actions of audit entries.
	auditKeys = map[string]string{
		"booking.submitted":             "audit.booking.submitted",
		"booking.accepted":              "audit.booking.accepted",
		"booking.declined":              "audit.booking.declined",
		"booking.cancelled":             "audit.booking.cancelled",
		"booking.payment_recorded":      "audit.booking.payment_recorded",
		"booking.rescheduled":           "audit.booking.rescheduled",
		"booking.expired":               "audit.booking.expired",
		"booking.burst_refused":         "audit.booking.burst_refused",
		"booking.transfer_reported":     "audit.booking.transfer_reported",
		"booking.transfer_confirmed":    "audit.booking.transfer_confirmed",
		"booking.transfer_rejected":     "audit.booking.transfer_rejected",
		"booking.paid":                  "audit.booking.paid",
		"booking.refunded":              "audit.booking.refunded",
		"booking.refund_waived":         "audit.booking.refund_waived",
		"payment.mismatch":              "audit.payment.mismatch",
		"payment.checkout_started":      "audit.payment.checkout_started",
		"payment.details_issued":        "audit.payment.details_issued",
		"payment.failed":                "audit.payment.failed",
		"payment.simulated_ignored":     "audit.payment.simulated_ignored",
		"workspace.ecpay_updated":       "audit.workspace.ecpay_updated",
		"workspace.invoice_updated":     "audit.workspace.invoice_updated",
		"invoice.issued":                "audit.invoice.issued",
		"invoice.failed":                "audit.invoice.failed",
		"invoice.voided":                "audit.invoice.voided",
		"invoice.retried":               "audit.invoice.retried",
		"workspace.line_connected":      "audit.workspace.line_connected",
		"workspace.line_disconnected":   "audit.workspace.line_disconnected",
		"request.created":               "audit.request.created",
		"request.approved":              "audit.request.approved",
		"request.rejected":              "audit.request.rejected",
		"practitioner.created":          "audit.practitioner.created",
		"practitioner.updated":          "audit.practitioner.updated",
		"availability.override_set":     "audit.availability.override_set",
		"availability.override_removed": "audit.availability.override_removed",
		"service.created":               "audit.service.created",
		"service.updated":               "audit.service.updated",
		"member.added":                  "audit.member.added",
		"member.role_changed":           "audit.member.role_changed",
		"member.removed":                "audit.member.removed",
		"member.invited":                "audit.member.invited",
		"member.invitation_resent":      "audit.member.invitation_resent",
		"member.invitation_revoked":     "audit.member.invitation_revoked",
		"member.joined":                 "audit.member.joined",
		"workspace.created":             "audit.workspace.created",
		"workspace.two_factor":          "audit.workspace.two_factor",
		"workspace.exported":            "audit.workspace.exported",
		"workspace.deleted":             "audit.workspace.deleted",
		"client.exported":               "audit.client.exported",
		"client.erased":                 "audit.client.erased",
		"meeting.created":               "audit.meeting.created",
		"meeting.moved":                 "audit.meeting.moved",
		"meeting.recreated":             "audit.meeting.recreated",
		"meeting.deleted":               "audit.meeting.deleted",
		"meeting.failed":                "audit.meeting.failed",
		"meeting.purged":                "audit.meeting.purged",
		"meeting.retry":                 "audit.meeting.retry",
		"meeting.maybe_extra":           "audit.meeting.maybe_extra",
		"zoom.connected":                "audit.zoom.connected",
		"zoom.set_default":              "audit.zoom.set_default",
		"zoom.disconnected":             "audit.zoom.disconnected",
		"zoom.deauthorized":             "audit.zoom.deauthorized",
		"zoom.needs_reauth":             "audit.zoom.needs_reauth",
		"zoom.tokens_renewed":           "audit.zoom.tokens_renewed",
		"zoom.connect_refused":          "audit.zoom.connect_refused",
	}
)

// word translates the key found for a value, or the fallback key.
func word[K comparable](v *view, keys map[K]string, k K, fallback string) string {
	if key, ok := keys[k]; ok {
		return v.T(key)
	}
	return v.T(fallback)
}

// Status is the localized word for a booking status.
func (v *view) Status(s daoyue.Status) string { return word(v, statusKeys, s, "status.unknown") }

// PaymentStatus is the localized word for a payment status.
func (v *view) PaymentStatus(p daoyue.PaymentStatus) string {
	return word(v, paymentStatusKeys, p, "status.unknown")
}

// RequestStatus is the localized word for a request's state.
func (v *view) RequestStatus(rs daoyue.RequestStatus) string {
	return word(v, requestStatusKeys, rs, "status.unknown")
}

// PaymentMethod is the localized name of a payment method.
func (v *view) PaymentMethod(m string) string {
	if m == "" {
		return "—"
	}
	return word(v, paymentMethodKeys, m, "label.payment_method.other")
}

// Role is the localized word for a member role.
func (v *view) Role(r daoyue.Role) string { return word(v, roleKeys, r, "role.unknown") }

// TabLabel is the localized name of a bookings tab.
func (v *view) TabLabel(t daoyue.Tab) string { return word(v, tabKeys, t, "tab.upcoming") }

// EmptyTab says that a bookings tab has nothing in it.
func (v *view) EmptyTab(t daoyue.Tab) string {
	return word(v, emptyTabKeys, t, "msg.empty_tab.upcoming")
}

// Confirmation is the localized name of a confirmation mode.
func (v *view) Confirmation(c daoyue.Confirmation) string {
	return word(v, confirmationKeys, c, "label.confirmation.auto")
}

// PaymentRule is the localized name of a payment rule.
func (v *view) PaymentRule(p daoyue.PaymentRule) string {
	return word(v, paymentRuleKeys, p, "label.payment_rule.none")
}

// Weekday is the localized name of a weekday.
func (v *view) Weekday(d time.Weekday) string { return v.T(weekdayKeys[d]) }

// WeekdayShort is the short localized name of a weekday (calendar heads).
func (v *view) WeekdayShort(d time.Weekday) string { return v.T(weekdayShortKeys[d]) }

// HistoryText describes an audit entry.
func (v *view) HistoryText(e *daoyue.AuditEntry) string {
	return word(v, auditKeys, e.Action, "audit.other")
}
