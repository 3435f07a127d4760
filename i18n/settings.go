package i18n

// Studio settings (工作室設定): the settings page, its errors, the note on a
// new time zone, the contact on the public page, and the email footer that
// says how to reach the studio. Each key with its two languages side by side.
// What a new time zone means: the API's answer and the page's flash.
const (
	zoneChangedZH = "時區已由 {from} 改為 {to}。尚未結束的 {n} 筆預約時間點不變(同一時刻,客戶不會收到通知),當地時間改以 {to} 顯示。每週營業時間與特定日期設定是「當地午夜後的時間」,從現在起以 {to} 解讀:例如 09:00–17:00 就是 {to} 的 09:00–17:00,因此提供給客戶的時段會隨之移動。"
	zoneChangedEN = "The time zone changed from {from} to {to}. Bookings still ahead: {n}. Each keeps its moment in time (clients are not emailed); its local time is now shown in {to}. Weekly hours and date overrides are times after local midnight and are read in {to} from now on: 09:00–17:00 means 09:00–17:00 in {to}, so the times offered to clients move accordingly."
)

func init() {
	registerPairs(map[string][2]string{
		// Errors of the settings.
		"error.logo_too_large": {"標誌圖檔不可超過 200 KB。", "The logo may be at most 200 KB."},
		"error.logo_type":      {"標誌必須是 PNG、JPEG 或 WebP 圖片(最大 4096×4096 像素)。", "The logo must be a PNG, JPEG or WebP image (at most 4096×4096 pixels)."},

		// The settings page.
		"nav.settings":                {"工作室設定", "Studio settings"},
		"page.settings.title":         {"工作室設定", "Studio settings"},
		"page.settings.profile":       {"工作室資料", "Studio"},
		"page.settings.contact":       {"聯絡方式", "Contact"},
		"page.settings.payment":       {"付款說明", "Payment"},
		"page.settings.logo":          {"標誌", "Logo"},
		"label.studio_name":           {"工作室名稱", "Studio name"},
		"label.intro":                 {"簡介", "Introduction"},
		"label.contact_email":         {"聯絡電子郵件", "Contact email"},
		"label.contact_phone":         {"聯絡電話", "Contact phone"},
		"label.payment_instructions":  {"付款說明", "Payment instructions"},
		"label.logo":                  {"標誌圖片", "Logo image"},
		"label.remove_logo":           {"移除目前的標誌", "Remove the current logo"},
		"label.current_logo":          {"目前的標誌", "Current logo"},
		"help.studio_name":            {"顯示在預約頁面,也是寄給客戶的信的寄件人名稱。", "Shown on the booking page and as the sender of emails to clients."},
		"help.intro":                  {"顯示在預約頁面的工作室名稱下方。要另給英文頁面一段文字,在中文之後另起一行只寫 [en],再寫英文。", "Shown under the studio's name on the booking page. To give English pages their own text, write a line with only [en] after the Chinese text, then the English."},
		"help.time_zone":              {"IANA 時區名稱,例如 Asia/Taipei。改變時區時:現有預約的時間點不變,改以新時區顯示;每週營業時間與特定日期設定會以新時區解讀。", "An IANA zone name such as Asia/Taipei. Changing it keeps every booking at its moment in time, shown in the new zone; weekly hours and date overrides are read in the new zone."},
		"help.contact_email":          {"客戶回覆預約通知信時會寄到這裡,也會顯示在預約頁面。", "Clients' replies to booking emails go here; it is also shown on the booking page."},
		"help.contact_phone":          {"顯示在預約頁面,也寫在寄給客戶的信末。", "Shown on the booking page and at the end of emails to clients."},
		"help.payment_instructions":   {"需先付款的服務由工作室自行收款時(銀行轉帳、現場付款),告訴客戶如何付款,例如銀行代碼與帳號。會寫在付款通知信中。", "For pay-first services the studio collects itself (bank transfer, at the studio): how clients pay, such as the bank code and account. It goes into the payment email."},
		"help.logo":                   {"PNG、JPEG 或 WebP,最大 200 KB。顯示在預約頁面。", "PNG, JPEG or WebP, at most 200 KB. Shown on the booking page."},
		"flash.settings_saved":        {"已儲存工作室設定。", "Studio settings saved."},
		"flash.settings_zone_changed": {"已儲存。" + zoneChangedZH, "Saved. " + zoneChangedEN},
		"settings.zone_changed":       {zoneChangedZH, zoneChangedEN},

		// The public booking page.
		"label.studio_contact": {"聯絡工作室", "Contact the studio"},
		"label.studio_logo":    {"{studio} 的標誌", "{studio} logo"},

		// The outbox.
		"mail.outbox.reply_to": {"客戶回覆寄至:{email}", "Replies go to {email}"},

		// The email footer.
		"mail.footer.reply_phone": {"這封信由 DaoYue 導約代 {studio} 寄出。直接回覆這封信即可聯絡工作室,或來電 {phone}。", "Sent by DaoYue on behalf of {studio}. Reply to this email to reach the studio, or call {phone}."},
		"mail.footer.reply":       {"這封信由 DaoYue 導約代 {studio} 寄出。直接回覆這封信即可聯絡工作室。", "Sent by DaoYue on behalf of {studio}. Reply to this email to reach the studio."},
		"mail.footer.phone":       {"這封信由 DaoYue 導約代 {studio} 寄出。聯絡工作室請來電 {phone}。", "Sent by DaoYue on behalf of {studio}. To reach the studio, call {phone}."},
		"mail.footer.page":        {"這封信由 DaoYue 導約代 {studio} 寄出。工作室的聯絡方式請見預約頁面:{url}", "Sent by DaoYue on behalf of {studio}. How to reach the studio: see its booking page, {url}"},
		"mail.footer.plain":       {"這封信由 DaoYue 導約代 {studio} 寄出。", "Sent by DaoYue on behalf of {studio}."},
		"mail.payment.after":      {"付款完成並由工作室確認後,我們會寄出預約成立通知。", "Once the studio has recorded your payment, we will send your confirmation."},
	})
}
