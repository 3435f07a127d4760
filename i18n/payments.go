package i18n

// Payments: bank transfers the client reports and the studio checks,
// money that arrives through a provider, refunds. Each key with its two
// languages side by side.
func init() {
	registerPairs(map[string][2]string{
		// Errors.
		"error.transfer_last5":       {"請填寫匯款帳號的後五碼(5 位數字)。", "Enter the last five digits of the account you paid from (5 digits)."},
		"error.transfer_amount":      {"請填寫匯款金額(大於 0 的整數)。", "Enter the amount you sent (a whole number above 0)."},
		"error.transfer_time":        {"請填寫匯款時間(最近 14 天內,不可晚於現在)。", "Enter when you sent it (within the last 14 days, not in the future)."},
		"error.no_bank_transfer":     {"這間工作室沒有提供匯款付款。請直接聯絡工作室。", "This studio does not take bank transfers here. Please contact the studio."},
		"error.no_reported_transfer": {"這筆預約沒有待確認的匯款回報。", "This booking has no reported transfer to check."},

		// The client's manage page.
		"page.manage.report_transfer": {"回報匯款", "Report your transfer"},
		"help.report_transfer":        {"依上方的匯款資訊轉帳後,在這裡填寫帳號後五碼、金額與時間。工作室核對入帳後會確認預約;回報後,預約會保留到工作室核對完成。", "After paying by the transfer details above, enter the last five digits of your account, the amount and the time. The studio confirms the booking once it sees the money; after you report, the booking is kept until the studio has checked."},
		"label.transfer_last5":        {"匯款帳號後五碼", "Last five digits of your account"},
		"label.transfer_amount":       {"匯款金額", "Amount sent"},
		"label.transfer_sent_at":      {"匯款時間", "Sent at"},
		"label.transfer_sent_at_zone": {"匯款時間({zone})", "Sent at ({zone})"},
		"flash.transfer_reported":     {"已收到您的匯款回報,工作室核對後會確認預約。", "Thank you: your transfer is reported. The studio confirms the booking once it has checked."},
		"msg.next.transfer_reported":  {"已回報匯款 — 工作室核對入帳後會確認預約,並寄 email 通知您。", "Transfer reported — the studio confirms the booking once it sees the money, and emails you."},
		"msg.next.refund_owed":        {"工作室將退還 {amount} 給您。", "The studio owes you a refund of {amount}."},

		// The studio's booking page.
		"label.transfer_reported":     {"客人回報已匯款,請核對入帳", "The client reports a transfer: check that it arrived"},
		"msg.transfer_amount_differs": {"與訂單金額不同", "differs from the price"},
		"action.confirm_transfer":     {"已收到款項,確認預約", "Received: confirm the booking"},
		"msg.confirm_reject_transfer": {"確定查無這筆匯款?客人需重新付款,超過期限的預約會逾期。", "No such transfer arrived? The client must pay again; a booking past its deadline expires."},
		"flash.transfer_confirmed":    {"已確認收款,預約已成立。", "Payment confirmed: the booking is confirmed."},
		"flash.transfer_rejected":     {"已標示查無匯款。", "Marked as not received."},
		"label.refund_owed":           {"應退款", "Refund owed"},
		"label.refunded":              {"已退款", "Refunded"},
		"label.refund_amount":         {"退款金額", "Amount refunded"},
		"help.refund_amount":          {"您已退還給客人的金額(例如已轉帳退回)。", "What you gave back to the client (a transfer back, say)."},
		"action.record_refund":        {"記錄退款", "Record a refund"},
		"msg.confirm_waive_refund":    {"依工作室的取消政策不退款?客人不會收到退款。", "Keep the payment under your cancellation policy? The client gets no refund."},
		"flash.refund_recorded":       {"已記錄退款。", "Refund recorded."},
		"flash.refund_waived":         {"已標示不退款。", "Marked as kept."},

		// The booking's history.
		"audit.booking.transfer_reported":  {"客人回報匯款", "Client reported a transfer"},
		"audit.booking.transfer_confirmed": {"確認收到匯款", "Transfer confirmed"},
		"audit.booking.transfer_rejected":  {"查無匯款", "Transfer not found"},
		"audit.booking.paid":               {"收到付款", "Payment received"},
		"audit.booking.refunded":           {"記錄退款", "Refund recorded"},
		"audit.booking.refund_waived":      {"不退款", "Refund waived"},
		"audit.payment.mismatch":           {"收到金額不符的付款(未採用)", "Payment with a wrong amount (not applied)"},
	})
}
