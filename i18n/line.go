package i18n

// LINE (issue 12): the studio's LINE card in settings, the client's
// "get notices on LINE" page, the replies in the LINE chat and the LINE
// messages' buttons. Each key with its two languages side by side.
func init() {
	registerPairs(map[string][2]string{
		// Messages and replies in LINE.
		"line.button.manage":      {"查看預約", "Open booking"},
		"line.button.book":        {"重新預約", "Book again"},
		"line.reply.follow":       {"感謝加入好友!要在 LINE 收到預約通知,請在預約頁面按「用 LINE 接收通知」,再把顯示的代碼傳到這裡。", "Thanks for adding us! To get your booking messages on LINE, press \"Get notices on LINE\" on your booking page and send the code shown there to this chat."},
		"line.reply.welcome_back": {"歡迎回來,預約通知會再傳到這裡。", "Welcome back: your booking messages will come here again."},
		"line.reply.linked":       {"已綁定!之後的預約通知會傳到這裡(email 也會照常寄出)。", "Linked! Your booking messages will come here from now on (emails still go too)."},
		"line.reply.bad_code":     {"這個代碼無效或已過期,請回到預約頁面取得新的代碼。", "This code is not valid or has expired: get a new one on your booking page."},

		// The client's page.
		"page.line_link.title": {"用 LINE 接收通知", "Get notices on LINE"},
		"line.link.button":     {"用 LINE 接收通知", "Get notices on LINE"},
		"line.link.intro":      {"加入「{account}」的 LINE 好友並傳送下面的代碼,之後每則預約通知也會傳到 LINE。Email 照常寄出。", "Add {account} as a friend on LINE and send the code below: every booking message will then also come on LINE. Emails still go."},
		"line.link.code":       {"您的代碼", "Your code"},
		"line.link.expires":    {"代碼 {minutes} 分鐘內有效,只能使用一次。請勿把代碼給別人。", "The code works once, within {minutes} minutes. Do not give it to anyone."},
		"line.link.open":       {"在 LINE 開啟並傳送代碼", "Open LINE and send the code"},
		"line.link.qr":         {"在電腦上?用手機掃描 QR code 加入好友,再傳送代碼。", "On a computer? Scan the QR code with your phone to add the account, then send the code."},
		"line.link.linked":     {"您的 LINE 已綁定,預約通知會傳到 LINE。", "Your LINE is linked: booking messages come on LINE."},
		"line.link.unfollowed": {"您已封鎖或刪除這個官方帳號,LINE 通知暫停。重新加入好友即可恢復。", "You blocked or removed this account, so LINE messages are paused. Add it again to resume."},
		"line.link.unlink":     {"取消 LINE 通知", "Stop LINE messages"},
		"line.link.back":       {"回到預約", "Back to the booking"},
		"line.link.simulated":  {"開發模式:LINE 是模擬的,請在模擬器加入好友並傳送代碼:", "Development mode: LINE is simulated; add the account and send the code on the simulator:"},
		"flash.line_unlinked":  {"已取消 LINE 通知。", "LINE messages stopped."},

		// The studio's settings card.
		"settings.line.heading":             {"LINE 官方帳號", "LINE Official Account"},
		"settings.line.intro":               {"連結工作室自己的 LINE 官方帳號後,客人可以綁定 LINE,每則給客人的通知也會傳到 LINE(email 照常寄出)。Channel ID 與 Channel secret 在 LINE Developers Console 的 Messaging API channel「Basic settings」頁。", "Connect the studio's own LINE Official Account: clients can then link their LINE and every message to them also goes to LINE (emails still go). The Channel ID and Channel secret are on the Basic settings tab of the Messaging API channel in the LINE Developers Console."},
		"settings.line.channel_id":          {"Channel ID", "Channel ID"},
		"settings.line.channel_secret":      {"Channel secret", "Channel secret"},
		"settings.line.secret_kept":         {"已儲存(不再顯示);留空表示沿用。", "Stored (never shown again); leave empty to keep it."},
		"settings.line.connect":             {"連結 LINE", "Connect LINE"},
		"settings.line.disconnect":          {"中斷 LINE 連結", "Disconnect LINE"},
		"settings.line.account":             {"已連結帳號", "Connected account"},
		"settings.line.webhook":             {"Webhook URL", "Webhook URL"},
		"settings.line.webhook_help":        {"在 LINE Developers Console 的「Messaging API」頁貼上這個 Webhook URL,按 Verify,並開啟「Use webhook」。", "Paste this webhook URL on the Messaging API tab of the LINE Developers Console, press Verify and turn on \"Use webhook\"."},
		"settings.line.quota":               {"本月訊息用量", "Messages this month"},
		"settings.line.quota_value":         {"已用 {used} / {limit} 則", "{used} of {limit} used"},
		"settings.line.quota_unlimited":     {"已用 {used} 則(無上限)", "{used} used (no limit)"},
		"settings.line.quota_error":         {"目前無法取得用量:{error}", "The usage could not be read: {error}"},
		"settings.line.recent":              {"最近的 LINE 訊息", "Recent LINE messages"},
		"settings.line.none":                {"還沒有 LINE 訊息。", "No LINE messages yet."},
		"settings.line.status.queued":       {"傳送中", "Queued"},
		"settings.line.status.sent":         {"已傳送", "Sent"},
		"settings.line.status.failed":       {"失敗", "Failed"},
		"settings.line.status.skipped":      {"未傳送(客人已封鎖)", "Not sent (client unfollowed)"},
		"flash.line_connected":              {"已連結 LINE 官方帳號。", "LINE Official Account connected."},
		"flash.line_disconnected":           {"已中斷 LINE 連結。", "LINE disconnected."},
		"error.line_auth":                   {"LINE 不接受這組 Channel ID 與 Channel secret,請再檢查一次(Messaging API channel 的 Basic settings 頁)。", "LINE does not accept this Channel ID and Channel secret: check them again (Basic settings of the Messaging API channel)."},
		"error.line_unavailable":            {"目前無法連到 LINE,請稍後再試。", "LINE cannot be reached right now; try again later."},
		"error.line_channel_id":             {"Channel ID 是 LINE Developers Console 上的一串數字。", "The Channel ID is the number shown in the LINE Developers Console."},
		"error.line_not_connected":          {"這個工作室還沒有連結 LINE。", "This studio has not connected LINE."},
		"error.line_no_keyring":             {"伺服器沒有設定加密金鑰(DAOYUE_SECRET_KEYS),無法儲存 LINE 的 Channel secret。", "The server has no encryption keys (DAOYUE_SECRET_KEYS), so the LINE channel secret cannot be stored."},
		"audit.workspace.line_connected":    {"連結 LINE 官方帳號", "LINE Official Account connected"},
		"audit.workspace.line_disconnected": {"中斷 LINE 連結", "LINE disconnected"},
	})
}
