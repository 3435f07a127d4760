package i18n

// Notices to the studio's people, the client's messages about requests
// and reminders, and the confirmation page's calendar links (issue 12).
// Each key with its two languages side by side.
func init() {
	registerPairs(map[string][2]string{
		// The client's messages.
		"mail.subject.request_received": {"已收到您的申請:{service} {when}", "Request received: {service} on {when}"},
		"mail.lead.request_received":    {"我們已收到您對這個預約的變更申請,工作室回覆後會再寄 email 通知您。在那之前,預約維持原樣。", "We have received your request about this booking. The studio will answer by email; until then the booking stays as it is."},
		"mail.subject.request_rejected": {"工作室無法接受您的申請:{service} {when}", "Your request was not accepted: {service} on {when}"},
		"mail.lead.request_rejected":    {"很抱歉,工作室無法接受您的變更申請,預約維持原樣。", "Sorry, the studio could not accept your request; the booking stays as it is."},
		"mail.subject.reminder":         {"預約提醒:{service} {when}", "Reminder: {service} on {when}"},
		"mail.lead.reminder":            {"提醒您,您的預約在 {when} 開始。", "A reminder: your session starts on {when}."},
		"mail.label.studio_message":     {"工作室留言", "The studio's message"},
		"mail.kind.request_received":    {"申請已收到", "Request received"},
		"mail.kind.request_rejected":    {"申請未接受", "Request rejected"},
		"mail.kind.reminder":            {"預約提醒", "Reminder"},
		"mail.kind.notice":              {"工作室通知", "Studio notice"},

		// Notices to the studio's people.
		"notice.greeting":                    {"您好:", "Hello,"},
		"notice.footer":                      {"這是道約寄給「{studio}」成員的通知。要選擇收到哪些通知,請到後台的「帳號」頁。", "DaoYue sends this notice to the people of {studio}. Choose which notices you get on the Account page of the backend."},
		"notice.label.client":                {"客人", "Client"},
		"notice.label.request":               {"申請", "Request"},
		"notice.label.requested_time":        {"希望改到", "Asks to move to"},
		"notice.request.cancel":              {"取消預約", "Cancel the booking"},
		"notice.fix_heading":                 {"如何處理", "How to fix it"},
		"notice.link.booking":                {"查看預約", "Open the booking"},
		"notice.link.bookings":               {"查看所有預約", "Open the bookings"},
		"notice.link.availability":           {"前往老師設定", "Open the practitioner settings"},
		"notice.subject.awaiting_acceptance": {"新預約待確認:{client} {when}", "A booking waits for you: {client}, {when}"},
		"notice.lead.awaiting_acceptance":    {"{client} 預約了 {service},需要工作室確認。", "{client} booked {service}; it needs the studio's confirmation."},
		"notice.subject.request":             {"客人申請變更預約:{client} {when}", "A client asks for a change: {client}, {when}"},
		"notice.lead.request":                {"{client} 申請變更預約,請核准或拒絕。", "{client} asks to change a booking; approve or reject it."},
		"notice.subject.payment":             {"已收到款項:{client} {when}", "Payment received: {client}, {when}"},
		"notice.lead.payment":                {"{client} 的預約已收到款項。", "The booking of {client} is paid."},
		"notice.subject.transfer_reported":   {"客人回報已匯款:{client} {when}", "A transfer is reported: {client}, {when}"},
		"notice.lead.transfer_reported":      {"{client} 回報已匯款,請核對入帳後確認預約。", "{client} reports a bank transfer: check that it arrived and confirm the booking."},
		"notice.subject.expired":             {"預約逾期未付款:{client} {when}", "A booking expired unpaid: {client}, {when}"},
		"notice.lead.expired":                {"{client} 的預約未在期限內付款,已逾期失效,時段已釋出。", "The booking of {client} was not paid in time: it expired and its time is free again."},
		"notice.subject.meeting_failed":      {"無法建立或更新 Zoom 會議:{client} {when}", "The Zoom meeting could not be made or moved: {client}, {when}"},
		"notice.lead.meeting_failed":         {"這個線上預約的 Zoom 會議無法建立或更新,客人還沒有正確的會議連結。", "The Zoom meeting of this online booking could not be made or moved: the client has no right link yet."},
		"notice.subject.zoom_reauth":         {"Zoom 需要重新連結:{practitioner}", "Zoom needs reconnecting: {practitioner}"},
		"notice.lead.zoom_reauth":            {"{practitioner} 的 Zoom 連結已失效,新的線上預約無法建立會議。修好之前,每天會提醒一次。", "The Zoom connection of {practitioner} no longer works: new online bookings get no meeting. You are reminded daily until it is fixed."},
		"notice.subject.agenda":              {"今日預約({day}):{count} 個", "Today ({day}): {count} bookings"},
		"notice.lead.agenda":                 {"{practitioner},這是您今天的預約:", "{practitioner}, here are your bookings today:"},

		// The confirmation (manage) page.
		"msg.next.confirmed_online_studio_link": {"預約已成立 — 工作室會另外寄送線上課程的連結給您。", "Your booking is confirmed — the studio will send you the link to the online session."},
		"msg.email_to":                          {"預約的通知信會寄到 {email}。", "Emails about this booking go to {email}."},
		"action.add_google_calendar":            {"加入 Google 日曆", "Add to Google Calendar"},
		"action.download_ics":                   {"下載行事曆檔(.ics)", "Download calendar file (.ics)"},

		// The preferences.
		"heading.notices":                  {"我收到哪些通知", "Which notices do I get"},
		"help.notices":                     {"工作室有事需要處理時,道約會寄 email 給您。勾選您想收到的通知。", "DaoYue emails you when the studio has something to do. Tick the notices you want."},
		"label.notice.awaiting_acceptance": {"預約待確認", "A booking waits for acceptance"},
		"label.notice.request":             {"客人申請變更或取消", "A client asks to reschedule or cancel"},
		"label.notice.payment":             {"客人回報匯款、收到款項", "A payment reported or received"},
		"label.notice.expired":             {"預約逾期未付款", "A booking expired unpaid"},
		"label.notice.meeting_failed":      {"無法建立或更新 Zoom 會議", "A meeting could not be made or moved"},
		"label.notice.zoom_reauth":         {"Zoom 需要重新連結(每天一次)", "Zoom needs reconnecting (daily)"},
		"label.notice.agenda":              {"每日早上的今日預約", "My bookings of the day, each morning"},
		"action.save_notices":              {"儲存通知設定", "Save notice settings"},
		"flash.notices_saved":              {"已儲存通知設定。", "Notice settings saved."},
		"error.reminders":                  {"提醒時間請填 1 到 10080 分鐘(最多三個,以逗號分隔)。", "Reminders: up to three numbers of minutes from 1 to 10080, separated by commas."},
		"label.reminder_minutes":           {"提醒(開始前幾分鐘)", "Reminders (minutes before)"},
		"help.reminder_minutes":            {"例如 1440,60 = 前一天與前一小時寄提醒給客人;留空則不寄。", "For example 1440,60: a day and an hour before; empty sends none."},
	})
}
