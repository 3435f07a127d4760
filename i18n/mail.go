package i18n

// Client notifications (the emails of package notify) and the outbox page
// that lists them.
func init() {
	registerPairs(map[string][2]string{
		"mail.subject.received":         {"已收到預約:{service} {when}", "Booking received: {service}, {when}"},
		"mail.subject.payment_required": {"請於 {deadline} 前付款:{service}", "Please pay by {deadline}: {service}"},
		"mail.subject.confirmed":        {"預約已成立:{service} {when}", "Booking confirmed: {service}, {when}"},
		"mail.subject.meeting_ready":    {"線上會議連結:{service} {when}", "Your meeting link: {service}, {when}"},
		"mail.subject.rescheduled":      {"預約已改期:{service} {when}", "Booking moved: {service}, {when}"},
		"mail.subject.cancelled":        {"預約已取消:{service} {when}", "Booking cancelled: {service}, {when}"},
		"mail.subject.declined":         {"無法接受您的預約:{service}", "Booking not accepted: {service}"},
		"mail.subject.expired":          {"預約已失效:{service}", "Booking lapsed: {service}"},

		"mail.greeting":                {"{name} 您好:", "Hi {name},"},
		"mail.greeting_plain":          {"您好:", "Hello,"},
		"mail.lead.received":           {"我們已收到您的預約。工作室確認後,會再寄信通知您。", "We have received your booking. The studio will confirm it, and we will email you again."},
		"mail.lead.received_pay_first": {"我們已收到您的預約。這項服務需先付款:請於 {deadline} 前完成付款,付款完成後預約即成立。付款說明另以一封信寄出。", "We have received your booking. This service is paid in advance: please pay by {deadline}, and the booking is confirmed once payment is complete. Payment details follow in a separate email."},
		"mail.lead.payment_required":   {"您的預約需先付款才會成立。請於 {deadline} 前完成付款;逾期未付款,預約會失效並釋出時段。", "Your booking is confirmed once it is paid. Please pay by {deadline}; an unpaid booking lapses after the deadline and its time is released."},
		"mail.lead.confirmed":          {"您的預約已成立,期待與您見面。", "Your booking is confirmed. We look forward to seeing you."},
		"mail.lead.meeting_ready":      {"您預約的線上會議已經建立,以下是加入方式。", "The online meeting for your booking is ready. Here is how to join."},
		"mail.lead.rescheduled":        {"您的預約已改到新的時間。", "Your booking has been moved to a new time."},
		"mail.lead.cancelled":          {"您的預約已取消,時段已釋出。", "Your booking has been cancelled and its time released."},
		"mail.lead.declined":           {"很抱歉,工作室無法接受這個預約,時段已釋出。歡迎選擇其他時間再預約。", "Sorry, the studio couldn't accept this booking, and its time has been released. You're welcome to book another time."},
		"mail.lead.expired":            {"付款期限 {deadline} 已過,這個預約已失效,時段已釋出。歡迎重新預約。", "The payment deadline ({deadline}) has passed, so this booking has lapsed and its time was released. You're welcome to book again."},

		"mail.label.service":       {"服務", "Service"},
		"mail.label.practitioner":  {"老師", "Practitioner"},
		"mail.label.when":          {"時間", "When"},
		"mail.label.previous_time": {"原本時間", "Previously"},
		"mail.label.where":         {"地點", "Where"},
		"mail.label.online":        {"線上", "Online"},
		"mail.label.amount":        {"金額", "Amount"},
		"mail.label.deadline":      {"付款期限", "Pay by"},
		"mail.label.reason":        {"原因", "Reason"},
		"mail.zone.taipei":         {"台北時間", "Taipei time"},
		"mail.zone.other":          {"{zone} 時間", "{zone} time"},

		"mail.payment.heading": {"付款方式", "How to pay"},
		"mail.payment.link":    {"前往付款", "Pay now"},
		"mail.payment.how":     {"工作室會告訴您付款方式(例如銀行轉帳)。付款完成並由工作室確認後,我們會寄出預約成立通知。", "The studio will tell you how to pay (by bank transfer, for example). Once the studio has recorded your payment, we will send your confirmation."},

		"mail.online.heading":            {"線上課程說明", "About the online session"},
		"mail.online.after_confirmation": {"線上會議連結會在預約成立後以 email 寄給您。", "The meeting link will be emailed to you once the booking is confirmed."},
		"mail.online.join_heading":       {"加入 Zoom 會議", "Join the Zoom meeting"},
		"mail.online.join_url":           {"會議連結", "Meeting link"},
		"mail.online.meeting_id":         {"會議 ID", "Meeting ID"},
		"mail.online.passcode":           {"密碼", "Passcode"},
		"mail.online.keep_private":       {"這個連結只給您使用,請勿轉寄。", "This link is for you only; please don't forward it."},
		"mail.online.studio_will_send":   {"線上會議連結將由工作室另外寄給您。", "The studio will send you the meeting link separately."},

		"mail.link.manage":    {"查看或更改預約", "View or change your booking"},
		"mail.link.book":      {"重新預約", "Book again"},
		"mail.ics.request":    {"附件的行事曆檔案(.ics)可把這個預約加入您的行事曆。", "The attached calendar file (.ics) adds this booking to your calendar."},
		"mail.ics.cancel":     {"附件的行事曆檔案(.ics)會從您的行事曆移除這個預約。", "The attached calendar file (.ics) removes this booking from your calendar."},
		"mail.calendar.topic": {"{service} · {studio}", "{service} · {studio}"},
		"mail.redacted":       {"[已清除]", "[removed]"},

		"mail.kind.received":         {"收到預約", "Received"},
		"mail.kind.payment_required": {"需要付款", "Payment required"},
		"mail.kind.confirmed":        {"預約成立", "Confirmed"},
		"mail.kind.rescheduled":      {"改期", "Rescheduled"},
		"mail.kind.cancelled":        {"取消", "Cancelled"},
		"mail.kind.declined":         {"未接受", "Declined"},
		"mail.kind.expired":          {"逾期失效", "Expired"},

		"mail.status.queued": {"待寄出", "Queued"},
		"mail.status.sent":   {"已寄出", "Sent"},
		"mail.status.failed": {"寄送失敗", "Failed"},
		"mail.status.kept":   {"未寄出(保留)", "Kept, not sent"},

		"nav.outbox":               {"寄件匣", "Outbox"},
		"page.outbox.title":        {"寄件匣", "Outbox"},
		"page.outbox.heading":      {"寄件匣", "Outbox"},
		"mail.outbox.help":         {"DaoYue 寄給客人的通知信:收到預約、付款、成立、改期、取消、未接受與逾期。內容與客人收到的相同,只有預約管理連結的密鑰以 •••••• 遮住。", "The emails DaoYue sends your clients: received, payment, confirmed, rescheduled, cancelled, declined and expired. Each is exactly what the client gets, except that the secret of the manage link is masked as ••••••."},
		"mail.outbox.not_sending":  {"尚未設定寄信伺服器(DAOYUE_SMTP_URL),所以通知信只保留在寄件匣,不會寄出。", "No mail server is set up (DAOYUE_SMTP_URL), so messages are kept here in the outbox and not sent."},
		"mail.outbox.empty":        {"還沒有任何通知信。", "No messages yet."},
		"mail.outbox.created_at":   {"建立時間", "Created"},
		"mail.outbox.recipient":    {"收件人", "Recipient"},
		"mail.outbox.subject":      {"主旨", "Subject"},
		"mail.outbox.kind":         {"類型", "Type"},
		"mail.outbox.status":       {"狀態", "Status"},
		"mail.outbox.sent_at":      {"寄出時間", "Sent"},
		"mail.outbox.body":         {"內容", "Message"},
		"mail.outbox.attachment":   {"附件:行事曆檔案(.ics)", "Attachment: calendar file (.ics)"},
		"mail.outbox.last_error":   {"最近一次錯誤:{error}", "Last error: {error}"},
		"mail.outbox.attempts":     {"已嘗試 {n} 次", "{n} attempts so far"},
		"mail.outbox.older":        {"較早的通知信", "Older messages"},
		"mail.outbox.show_booking": {"查看預約", "View booking"},
	})
}

func init() {
	registerPairs(map[string][2]string{
		// My bookings link (我的預約).
		"mail.my.subject": {"{studio}:您的預約清單連結", "{studio}: your link to My bookings"},
		"mail.my.lead":    {"您在 {studio} 要求查看預約清單。按下方連結即可看到您用這個 email 預約的所有課程,並可申請改期或取消。", "You asked to see your bookings at {studio}. The link below shows every booking you made there with this email, and lets you ask to reschedule or cancel."},
		"mail.my.link":    {"查看我的預約", "Open My bookings"},
		"mail.my.expires": {"連結只能使用一次,{minutes} 分鐘內有效。", "The link works once, within {minutes} minutes."},
		"mail.my.ignore":  {"如果不是您要求的,請忽略這封信,不會有任何變更。", "If you did not ask for it, ignore this email: nothing changes."},
		"mail.my.footer":  {"這封信由 {studio} 透過導約 DaoYue 寄出。", "Sent for {studio} by DaoYue."},
	})
}
