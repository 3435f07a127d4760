package i18n

// The frame every page shares (brand, navigation, footer), the home page
// and the error pages (web/pages.go, web/page_render.go, layout.html,
// home.html, error.html).
func init() {
	registerPairs(map[string][2]string{
		// Brand, navigation, footer.
		"page.brand":         {"導約 DaoYue", "DaoYue"},
		"page.footer.note":   {"導約 DaoYue:小型工作室的線上預約服務。", "DaoYue: online booking for small studios."},
		"nav.skip":           {"跳到主要內容", "Skip to main content"},
		"nav.language":       {"語言", "Language"},
		"nav.footer":         {"網站資訊", "About this site"},
		"nav.admin":          {"後台功能", "Backend"},
		"nav.backend":        {"後台", "Backend"},
		"nav.bookings":       {"預約", "Bookings"},
		"nav.practitioners":  {"老師設定", "Practitioners"},
		"nav.availability":   {"可預約時間", "Availability"},
		"nav.services":       {"服務", "Services"},
		"nav.members":        {"成員", "Members"},
		"nav.logout":         {"登出", "Sign out"},
		"nav.public_page":    {"查看預約頁", "View booking page"},
		"nav.docs_zoom":      {"Zoom 整合說明", "Zoom integration"},
		"nav.privacy":        {"隱私權政策", "Privacy policy"},
		"nav.terms":          {"服務條款", "Terms of service"},
		"label.signed_in_as": {"目前登入的帳號", "Signed in as"},

		// Home.
		"page.home.title":       {"小型工作室的線上預約", "Online booking for small studios"},
		"page.home.eyebrow":     {"導約 DaoYue", "DaoYue 導約"},
		"page.home.headline":    {"讓客人隨時預約,線上課程自動開好 Zoom 會議", "Let clients book any time — with the Zoom meeting set up for you"},
		"page.home.lead":        {"導約是為台灣瑜珈、音樂、家教、諮商與教練等小型工作室設計的線上預約服務。公開預約頁讓客人用手機三步完成預約;後台集中管理確認、改期、取消與付款;線上課程在預約成立時自動於老師的 Zoom 帳號建立會議。", "DaoYue is online booking for small studios in Taiwan: yoga and music teachers, tutors, therapists and coaches. Clients book from their phone in three steps on your public booking page; you confirm, reschedule, cancel and record payments in one backend; and for online sessions DaoYue creates the meeting in the practitioner's own Zoom account as soon as a booking is confirmed."},
		"page.home.features":    {"功能", "Features"},
		"page.home.f1.title":    {"手機上三步完成預約", "Three taps on a phone"},
		"page.home.f1.body":     {"選服務、選時間、填資料。空檔清楚標示,時間以工作室時區顯示,從 LINE 打開也好用。", "Pick a service, pick a time, enter your details. Free days stand out, times are shown in the studio's time zone, and it works well when opened from LINE."},
		"page.home.f2.title":    {"自動建立 Zoom 會議", "Zoom meetings, automatically"},
		"page.home.f2.body":     {"預約成立時在老師的 Zoom 帳號建立會議;改期會更新同一場會議,取消會刪除它。會議連結只寄給客人,不會出現在公開頁面。", "A meeting is created in the practitioner's Zoom account when a booking is confirmed; a reschedule updates the same meeting and a cancellation deletes it. The join link goes only to the client, never on a public page."},
		"page.home.f3.title":    {"工作室確認與先付款", "Studio confirmation and pay first"},
		"page.home.f3.body":     {"每個服務可設定是否需要工作室確認、是否需要先付款與付款期限;逾期未付款的時段會自動釋出。", "Each service can need the studio's confirmation or payment first, with a deadline; unpaid times are released automatically."},
		"page.home.f4.title":    {"改期與取消都有紀錄", "Every change on record"},
		"page.home.f4.body":     {"客人從自己的預約頁提出改期或取消,工作室在後台核准;每個動作都留下誰、何時、做了什麼的紀錄。", "Clients ask to reschedule or cancel from their own booking page and the studio approves in the backend; every action records who did what, and when."},
		"page.home.how":         {"怎麼開始", "How to start"},
		"page.home.how1":        {"建立服務,設定每位老師的每週可預約時間。", "Create your services and set each practitioner's weekly hours."},
		"page.home.how2":        {"在老師設定中連結 Zoom,並設為預設的線上會議工具。", "Connect Zoom in the practitioner's settings and set it as the default meeting tool."},
		"page.home.how3":        {"把預約頁連結分享給客人,例如放在 LINE 官方帳號或 Instagram。", "Share your booking page link with clients, for example on your LINE Official Account or Instagram."},
		"page.home.zoom_docs":   {"了解 Zoom 整合如何運作", "Learn how the Zoom integration works"},
		"action.try_demo":       {"看示範預約頁", "See the demo booking page"},
		"action.sign_in_studio": {"工作室登入", "Studio sign-in"},

		// Errors.
		"page.error.title":            {"發生問題", "Something went wrong"},
		"page.error.not_found":        {"找不到這個頁面", "Page not found"},
		"page.error.not_found_help":   {"網址可能有誤,或這個頁面已不存在。", "The address may be mistyped, or the page no longer exists."},
		"page.error.forbidden":        {"沒有權限", "Not allowed"},
		"page.error.csrf":             {"表單無法送出", "The form couldn't be sent"},
		"page.error.rate_limited":     {"請稍候再試", "Please wait a moment"},
		"page.error.internal":         {"系統暫時發生問題", "We hit a problem"},
		"page.error.invalid":          {"無法完成這個操作", "This could not be done"},
		"page.error.conflict":         {"這個操作與目前的狀態衝突", "This clashes with the current state"},
		"page.error.manage_link_help": {"這個預約連結無效或已失效。請使用工作室最新一封 email 裡的連結;找不到的話,到工作室的預約頁點「我的預約」,輸入您的 email 就會收到新連結。", "This booking link is not valid or no longer works. Use the link in the studio's latest email; if you cannot find it, open the studio's booking page and choose My bookings to get a new link by email."},
		"page.error.service_help":     {"這項服務不存在或已不再開放預約。看看這間工作室的其他服務。", "This service does not exist or is no longer offered. See the studio's other services."},
		"page.error.studio_help":      {"找不到這間工作室:網址可能打錯了,或工作室已更改網址。請向工作室確認預約頁的網址。", "There is no studio at this address: it may be mistyped, or the studio changed it. Ask the studio for its booking page address."},
		"action.see_studio_services":  {"看這間工作室的服務", "See the studio's services"},
		"page.error.status":           {"錯誤代碼 {status}", "Error code {status}"},
		"action.go_home":              {"回到首頁", "Go to the home page"},
		"action.go_backend":           {"回到後台", "Back to the backend"},
		"page.error.unauthenticated":  {"請先登入", "Please sign in"},
	})
}
