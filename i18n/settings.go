package i18n

// Studio settings (工作室設定): the settings page, its errors, the note on a
// new time zone, the contact on the public page, and the email footer that
// says how to reach the studio. Each key with its two languages side by side.
func init() {
	registerPairs(map[string][2]string{
		// Errors of the settings.
		"error.logo_too_large": {"標誌圖檔不可超過 200 KB。", "The logo may be at most 200 KB."},
		"error.logo_type":      {"標誌必須是 PNG、JPEG 或 WebP 圖片(最大 4096×4096 像素)。", "The logo must be a PNG, JPEG or WebP image (at most 4096×4096 pixels)."},

		// The email footer.
		"mail.footer.reply_phone": {"這封信由 DaoYue 導約代 {studio} 寄出。直接回覆這封信即可聯絡工作室,或來電 {phone}。", "Sent by DaoYue on behalf of {studio}. Reply to this email to reach the studio, or call {phone}."},
		"mail.footer.reply":       {"這封信由 DaoYue 導約代 {studio} 寄出。直接回覆這封信即可聯絡工作室。", "Sent by DaoYue on behalf of {studio}. Reply to this email to reach the studio."},
		"mail.footer.phone":       {"這封信由 DaoYue 導約代 {studio} 寄出。聯絡工作室請來電 {phone}。", "Sent by DaoYue on behalf of {studio}. To reach the studio, call {phone}."},
		"mail.footer.page":        {"這封信由 DaoYue 導約代 {studio} 寄出。工作室的聯絡方式請見預約頁面:{url}", "Sent by DaoYue on behalf of {studio}. How to reach the studio: see its booking page, {url}"},
		"mail.footer.plain":       {"這封信由 DaoYue 導約代 {studio} 寄出。", "Sent by DaoYue on behalf of {studio}."},
		"mail.payment.after":      {"付款完成並由工作室確認後,我們會寄出預約成立通知。", "Once the studio has recorded your payment, we will send your confirmation."},
	})
}
