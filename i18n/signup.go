package i18n

// Sign-up: the form, the verification email and link, the note to an
// address that already has an account, and the onboarding checklist on
// the backend's first page.
func init() {
	registerPairs(map[string][2]string{
		// The form.
		"page.signup.title":        {"開設工作室", "Start a studio"},
		"page.signup.heading":      {"在導約開設您的工作室", "Start your studio on DaoYue"},
		"page.signup.intro":        {"填好下面的資料,我們會寄一封確認信給您;點信中的連結後,工作室就會建立,您也會直接登入後台。", "Fill in the form and we'll email you a confirmation link; once you use it, your studio is created and you are signed in to its backend."},
		"page.signup.closed":       {"目前不開放自行註冊。", "Sign-up is closed on this server."},
		"page.signup.closed_how":   {"要開設工作室,請聯絡這個導約網站的管理者,由管理者以 daoyue workspace create 與 daoyue user create 為您建立。", "To get a studio, ask the people who run this DaoYue server: they create it with daoyue workspace create and daoyue user create."},
		"page.signup.have_account": {"已經有帳號了?登入", "Already have an account? Sign in"},
		"page.login.signup":        {"還沒有工作室?免費開設", "No studio yet? Start one"},
		"action.signup":            {"寄確認信給我", "Email me a confirmation link"},
		"action.signup_cta":        {"開設工作室", "Start a studio"},
		"label.studio_slug":        {"網址代稱", "Address"},
		"help.studio_slug":         {"預約頁面的網址:/w/ 後面的部分,例如 lotus-yoga。只能使用小寫英文、數字與連字號。", "Your booking page's address: the part after /w/, e.g. lotus-yoga. Lowercase letters, digits and hyphens."},
		"help.signup_time_zone":    {"工作室所在的時區,例如 Asia/Taipei。", "Your studio's time zone, e.g. Asia/Taipei."},

		// The answer, the same for every address.
		"page.signup.sent_title": {"請查看您的信箱", "Check your email"},
		"page.signup.sent":       {"我們已寄出一封信到您填寫的 email。請點信中的連結完成開設工作室。", "We've sent an email to the address you gave. Use the link in it to finish starting your studio."},
		"page.signup.sent_help":  {"連結 24 小時內有效,只能使用一次。沒收到的話,請看看垃圾郵件匣,或稍後再填一次表單。", "The link works once, for 24 hours. Nothing arrived? Look in your spam folder, or fill in the form again later."},

		// The link's page.
		"page.signup.verify_title":   {"確認開設工作室", "Confirm your studio"},
		"page.signup.verify_heading": {"開設「{studio}」", "Start {studio}"},
		"page.signup.verify_lead":    {"{email} 已確認。按下按鈕,工作室就會建立,您會以擁有者身分登入。", "{email} is confirmed. Press the button to create the studio and sign in as its owner."},
		"page.signup.verify_link":    {"您的預約頁面:", "Your booking page:"},
		"action.signup_verify":       {"建立工作室並登入", "Create the studio and sign in"},
		"flash.signup_done":          {"工作室已建立,歡迎使用導約!先照著下面的清單設定吧。", "Your studio is ready. Welcome to DaoYue! Start with the checklist below."},

		// Errors.
		"error.signup_closed":         {"目前不開放自行註冊。", "Sign-up is closed on this server."},
		"error.signup_throttled":      {"申請開設工作室的次數太多了,請稍後再試。", "Too many sign-ups. Please try again later."},
		"error.signup_gone":           {"這個確認連結已失效:可能已被使用或已過期。請重新填寫開設工作室的表單。", "This confirmation link no longer works: it was used or has expired. Fill in the sign-up form again."},
		"error.signup_account_exists": {"這個 email 已經有導約帳號,請直接登入;忘記密碼可以重設。", "This email already has a DaoYue account: sign in, or reset the password if you forgot it."},
		"error.slug_taken_since":      {"您選的網址代稱在這段時間被別人用走了,請換一個。", "The address you chose was taken in the meantime: choose another."},

		// The emails.
		"mail.signup.subject":        {"確認您在導約開設的工作室", "Confirm your new DaoYue studio"},
		"mail.signup.lead":           {"感謝您在導約開設工作室。請點下面的連結確認這是您的 email,工作室就會建立。", "Thanks for starting a studio on DaoYue. Use the link below to confirm this is your email, and your studio will be created."},
		"mail.signup.link":           {"確認並建立工作室", "Confirm and create the studio"},
		"mail.signup.expires":        {"連結 {hours} 小時內有效,只能使用一次。", "The link works once, for {hours} hours."},
		"mail.signup.ignore":         {"如果不是您申請的,請忽略這封信,不會建立任何東西。", "If you didn't ask for this, ignore this email: nothing is created."},
		"mail.signup_exists.subject": {"您已經有導約帳號", "You already have a DaoYue account"},
		"mail.signup_exists.lead":    {"有人用這個 email 申請開設導約工作室,但這個 email 已經有導約帳號了。請直接登入;忘記密碼的話可以重設。", "Someone asked to start a DaoYue studio with this email, but it already has a DaoYue account. Sign in with it, or reset its password if you forgot it."},
		"mail.signup_exists.sign_in": {"登入導約", "Sign in to DaoYue"},
		"mail.signup_exists.reset":   {"重設密碼", "Reset your password"},
		"mail.signup_exists.ignore":  {"如果不是您申請的,請忽略這封信,您的帳號不會有任何改變。", "If you didn't ask for this, ignore this email: nothing about your account changes."},

		// The onboarding checklist.
		"page.onboarding.heading": {"開始使用", "Getting started"},
		"page.onboarding.intro":   {"完成這幾步,客人就能預約。每完成一項會自動打勾。", "A few steps and clients can book. Each one ticks itself when it is done."},
		"page.onboarding.hours":   {"設定老師的每週時段", "Set a practitioner's weekly hours"},
		"page.onboarding.service": {"新增一項服務", "Add a service"},
		"page.onboarding.zoom":    {"連結 Zoom 並設為預設", "Connect Zoom and make it the default"},
		"page.onboarding.share":   {"分享預約連結(收到第一筆預約就完成)", "Share your booking link (done when the first booking arrives)"},
		"page.onboarding.link":    {"預約連結", "booking link"},
		"page.onboarding.done":    {"(已完成)", "(done)"},

		// The audit log.
		"audit.workspace.signed_up": {"註冊開設工作室", "Started the studio by sign-up"},
	})
}
