package i18n

// Accounts: invitations to join a studio (the email, the link's page, the
// members page). Each key with its two languages side by side.
func init() {
	registerPairs(map[string][2]string{
		// The members page.
		"action.invite_member":     {"邀請成員", "Invite a member"},
		"help.invite_member":       {"對方會收到一封附有邀請連結的信,由本人設定自己的密碼後加入;連結 7 天內有效,只能使用一次。", "They get an email with an invitation link and join by setting their own password; the link works once, for 7 days."},
		"page.members.invitations": {"等待接受的邀請", "Invitations waiting to be accepted"},
		"invitation.pending_until": {"等待接受(連結至 {when} 有效)", "Waiting (link valid until {when})"},
		"invitation.expired":       {"連結已過期,可重新寄送", "Link expired: send it again"},
		"action.resend_invitation": {"重新寄送", "Send again"},
		"action.revoke_invitation": {"撤回邀請", "Revoke"},
		"flash.invitation_sent":    {"已寄出邀請。對方接受後會出現在成員名單。", "Invitation sent. They appear among the members once they accept."},
		"flash.invitation_revoked": {"已撤回邀請,連結已失效。", "Invitation revoked: its link no longer works."},

		// The invitation page.
		"page.invite.title":          {"加入工作室", "Join a studio"},
		"page.invite.heading":        {"加入「{studio}」", "Join {studio}"},
		"page.invite.lead":           {"您受邀以「{role}」的身分加入「{studio}」的導約後台,邀請寄給 {email}。", "You are invited to join {studio}'s DaoYue backend as {role}; the invitation was sent to {email}."},
		"page.invite.new_account":    {"設定您的姓名與密碼,就會建立帳號並加入工作室。", "Choose your name and a password to create your account and join."},
		"page.invite.sign_in":        {"{email} 已經有導約帳號,請先用它登入再接受邀請。", "{email} already has a DaoYue account: sign in with it to accept."},
		"page.invite.other_account":  {"您目前以 {current} 登入,但這份邀請是給 {email} 的。請先登出,再以 {email} 登入。", "You are signed in as {current}, but this invitation is for {email}. Sign out, then sign in as {email}."},
		"label.new_password":         {"設定密碼", "Choose a password"},
		"help.password_rules":        {"至少 10 個字元。", "At least 10 characters."},
		"action.create_account_join": {"建立帳號並加入", "Create account and join"},
		"action.join_studio":         {"加入「{studio}」", "Join {studio}"},
		"flash.invitation_accepted":  {"歡迎加入!", "Welcome aboard!"},

		// Errors.
		"error.invitation_gone":          {"這個邀請連結已失效:可能已被使用、已撤回或已過期。請工作室重新寄送邀請。", "This invitation link no longer works: it was used, revoked or has expired. Ask the studio to send it again."},
		"error.invitation_other_account": {"這份邀請是給 {email} 的,請以該帳號登入後再接受。", "This invitation is for {email}: sign in as that account to accept it."},

		// The audit log.
		"audit.member.invited":            {"邀請成員", "Member invited"},
		"audit.member.invitation_resent":  {"重新寄送邀請", "Invitation sent again"},
		"audit.member.invitation_revoked": {"撤回邀請", "Invitation revoked"},
		"audit.member.joined":             {"成員接受邀請加入", "Member joined by invitation"},

		// Passwords.
		"error.password_common":  {"這個密碼太常見或太簡單,很容易被猜到,請換一個。", "This password is too common or too simple to be safe: choose another."},
		"error.password_wrong":   {"目前的密碼不正確。", "The current password is not right."},
		"error.reset_gone":       {"這個重設密碼連結已失效:可能已使用過、已被新的連結取代,或已超過 1 小時。請重新申請。", "This password reset link no longer works: it was used, replaced by a newer one, or is over an hour old. Ask for a new one."},
		"error.reset_throttled":  {"申請重設密碼的次數太多了,請稍後再試。", "Too many password reset requests. Please try again later."},
		"mail.reset.subject":     {"重設您的導約密碼", "Reset your DaoYue password"},
		"mail.reset.lead":        {"我們收到重設您導約帳號密碼的申請。請點下面的連結設定新密碼。", "We received a request to reset the password of your DaoYue account. Use the link below to choose a new one."},
		"mail.reset.link":        {"設定新密碼", "Choose a new password"},
		"mail.reset.expires":     {"連結 {minutes} 分鐘內有效,只能使用一次。設定新密碼後,您在其他裝置的登入與 API 權杖都會失效。", "The link works once, for {minutes} minutes. Setting a new password signs you out everywhere else and ends your API tokens."},
		"mail.reset.ignore":      {"如果不是您申請的,請忽略這封信,您的密碼不會改變。", "If you didn't ask for this, ignore this email: your password stays as it is."},
		"mail.account.footer":    {"這封信由 DaoYue 導約寄出。", "Sent by DaoYue."},
		"page.forgot.title":      {"忘記密碼", "Forgot your password"},
		"page.forgot.intro":      {"輸入您登入用的 email,我們會寄一個重設密碼的連結給您。", "Enter the email you sign in with and we'll send you a link to choose a new password."},
		"flash.reset_sent":       {"如果這個 email 有導約帳號,重設密碼的連結已經寄出,1 小時內有效。請查看信箱。", "If that email has a DaoYue account, a link to reset the password is on its way (valid for an hour). Check your inbox."},
		"action.send_reset":      {"寄出重設連結", "Send the link"},
		"action.forgot_password": {"忘記密碼?", "Forgot your password?"},
		"page.reset.title":       {"設定新密碼", "Choose a new password"},
		"page.reset.intro":       {"為 {email} 設定新的密碼。完成後,其他裝置上的登入都會結束。", "Choose a new password for {email}. Other devices are then signed out."},
		"action.set_password":    {"儲存新密碼", "Save the new password"},
		"flash.password_reset":   {"已設定新密碼,您已登入。", "Your new password is set and you are signed in."},
		"page.account.title":     {"我的帳號", "My account"},
		"page.account.password":  {"變更密碼", "Change password"},
		"label.current_password": {"目前的密碼", "Current password"},
		"help.password_change":   {"變更後,其他裝置上的登入與所有 API 權杖都會失效;這個瀏覽器會保持登入。", "Other devices and every API token are signed out; this browser stays signed in."},
		"flash.password_changed": {"已變更密碼,其他裝置都已登出。", "Password changed; other devices are signed out."},
		"nav.account":            {"我的帳號", "My account"},

		// Two-factor sign-in.
		"page.account.two_factor":     {"兩步驟登入", "Two-factor sign-in"},
		"help.totp_intro":             {"登入時除了密碼,還要輸入驗證器 App(例如 Google Authenticator、Microsoft Authenticator)上的 6 位數代碼,別人即使知道密碼也無法登入。", "Besides your password, sign-in asks for the 6-digit code of an authenticator app (Google Authenticator, Microsoft Authenticator…): a stolen password alone no longer signs in."},
		"action.totp_start":           {"開始設定", "Set it up"},
		"help.totp_scan":              {"用驗證器 App 掃描下面的 QR code(或輸入下面的金鑰)。", "Scan the QR code with your authenticator app (or type in the key below)."},
		"help.totp_type":              {"輸入 App 顯示的 6 位數代碼,完成設定。", "Type the 6-digit code the app shows to finish."},
		"label.totp_qr":               {"驗證器 App 用的 QR code", "QR code for the authenticator app"},
		"label.totp_secret":           {"金鑰", "Key"},
		"label.totp_code":             {"6 位數代碼", "6-digit code"},
		"label.totp_code_or_recovery": {"驗證器代碼或備用代碼", "Authenticator code or recovery code"},
		"action.totp_confirm":         {"確認並開啟", "Confirm and turn on"},
		"msg.totp_on":                 {"兩步驟登入已開啟。", "Two-factor sign-in is on."},
		"msg.recovery_left":           {"還有 {n} 組備用代碼可用。", "{n} recovery codes left."},
		"help.recovery_codes":         {"請把這 10 組備用代碼存在安全的地方(只會顯示這一次)。手機不在身邊時,每組代碼可以代替驗證器登入一次。", "Keep these 10 recovery codes somewhere safe (they are shown only now). Without your phone, each one signs you in once instead of the app."},
		"action.totp_off":             {"關閉兩步驟登入", "Turn two-factor sign-in off"},
		"flash.totp_off":              {"已關閉兩步驟登入。", "Two-factor sign-in is off."},
		"page.login2fa.title":         {"兩步驟登入", "Two-factor sign-in"},
		"page.login2fa.intro":         {"請輸入驗證器 App 上的 6 位數代碼,或一組備用代碼。", "Enter the 6-digit code from your authenticator app, or a recovery code."},
		"error.totp_wrong":            {"代碼不正確或已使用過,請輸入 App 上目前的代碼。", "That code is not right or was already used: enter the app's current code."},
		"error.totp_no_setup":         {"請先點「開始設定」。", "Click Set it up first."},
		"error.totp_challenge_gone":   {"登入已逾時,請重新輸入密碼。", "The sign-in timed out: enter your password again."},
		"error.totp_required":         {"「{studio}」要求成員使用兩步驟登入。請先到「我的帳號」開啟,再回來。", "{studio} requires two-factor sign-in: turn it on in My account, then come back."},
		"error.totp_required_by":      {"「{studio}」要求成員使用兩步驟登入,所以不能關閉。", "{studio} requires two-factor sign-in, so it cannot be turned off."},
		"error.totp_owner_first":      {"請先為自己的帳號開啟兩步驟登入,才能要求所有成員使用。", "Turn on two-factor sign-in for your own account before requiring it of everyone."},
		"error.otp_required":          {"這個帳號使用兩步驟登入:請在 otp 欄位附上驗證器代碼。", "This account uses two-factor sign-in: send the authenticator code in the otp field."},
		"page.members.two_factor":     {"兩步驟登入", "Two-factor sign-in"},
		"msg.totp_required_on":        {"所有成員都必須使用兩步驟登入才能進入這個工作室的後台。", "Every member must use two-factor sign-in to enter this studio's backend."},
		"msg.totp_required_off":       {"成員可以自行決定是否使用兩步驟登入。擁有者可以要求所有成員使用。", "Members choose whether to use two-factor sign-in; an owner can require it."},
		"action.totp_require_on":      {"要求所有成員使用", "Require it of every member"},
		"action.totp_require_off":     {"不再要求", "Stop requiring it"},
		"audit.workspace.two_factor":  {"變更兩步驟登入規定", "Two-factor rule changed"},

		// Sessions and API tokens.
		"page.account.credentials":    {"登入裝置與 API 權杖", "Sessions and API tokens"},
		"label.credential":            {"項目", "What"},
		"label.created":               {"建立時間", "Created"},
		"label.last_used":             {"最後使用", "Last used"},
		"label.api_token":             {"API 權杖", "API token"},
		"label.browser_session":       {"瀏覽器登入", "Browser session"},
		"label.this_one":              {"目前這個", "This one"},
		"action.revoke":               {"撤銷", "Revoke"},
		"label.token_name":            {"新 API 權杖的名稱", "Name of a new API token"},
		"help.api_token":              {"例如「會計系統」。權杖 30 天有效,只會顯示一次。", "For example \"accounting\". It works for 30 days and is shown once."},
		"action.create_api_token":     {"建立 API 權杖", "Create API token"},
		"msg.api_token_once":          {"請現在複製這個權杖,之後不會再顯示:", "Copy this token now; it is not shown again:"},
		"action.signout_everywhere":   {"登出所有裝置(包括這個)", "Sign out everywhere (this one too)"},
		"flash.credential_revoked":    {"已撤銷。", "Revoked."},
		"flash.signed_out_everywhere": {"已登出所有裝置,所有 API 權杖也已失效。", "Signed out everywhere; every API token has ended too."},

		// The practitioner role.
		"label.linked_practitioner": {"連結的老師(角色為「老師」時)", "Linked practitioner (for the practitioner role)"},
		"label.linked_to":           {"連結:{name}", "Linked to {name}"},

		// Data and privacy.
		"nav.data":                 {"資料與隱私", "Data & privacy"},
		"page.data.title":          {"資料與隱私", "Data and privacy"},
		"help.data":                {"依個人資料保護法,客人可以要求取得或刪除工作室保存的個人資料。", "Under Taiwan's Personal Data Protection Act, a client may ask for the personal data the studio holds, or for its erasure."},
		"page.data.client_export":  {"匯出客人的資料", "Export a client's data"},
		"help.client_export":       {"下載這個 email 的所有預約、申請與寄給對方的信(JSON),可以交給提出要求的客人。", "Download every booking, request and email of that address (JSON) to give to the client who asked."},
		"label.client_email":       {"客人的 email", "Client's email"},
		"action.download_json":     {"下載 JSON", "Download JSON"},
		"action.download_csv":      {"下載預約 CSV", "Download bookings CSV"},
		"page.data.client_erase":   {"刪除客人的個人資料", "Erase a client's personal data"},
		"help.client_erase":        {"這個 email 的姓名、email、電話、備註、申請內容與寄給對方的信都會被清除,無法復原;預約的時間、服務與金額會保留以便對帳,之後也不會再寄信給對方。", "The name, email, phone, notes, request words and emails of that address are erased for good; bookings keep their times, services and amounts for the books, and no more emails go to them."},
		"label.confirm_erase":      {"我確定要刪除,且無法復原", "I am sure: this cannot be undone"},
		"action.erase_client":      {"刪除個人資料", "Erase personal data"},
		"error.confirm_erase":      {"請勾選確認。", "Tick the box to confirm."},
		"flash.client_erased":      {"已刪除 {n} 筆預約中的個人資料。", "Personal data erased from {n} bookings."},
		"page.data.studio_export":  {"匯出工作室的所有資料", "Export all of the studio's data"},
		"help.studio_export":       {"工作室設定、成員、老師、服務、所有預約、紀錄與寄出的信。不包含 Zoom 權杖與私密會議資訊。", "Settings, members, practitioners, services, every booking, the history and the emails. Zoom tokens and private meeting details are left out."},
		"page.data.studio_delete":  {"刪除工作室", "Delete the studio"},
		"help.studio_delete":       {"工作室會立刻消失:預約頁與後台都無法再打開,老師的 Zoom 連結會解除;7 天後所有資料(包括客人資料與紀錄)會被永久刪除。已建立的 Zoom 會議請老師自行在 Zoom 刪除。", "The studio disappears at once: its booking page and backend no longer open and the practitioners' Zoom connections end; 7 days later all its data (clients and history included) is erased for good. Meetings already in Zoom stay there for the practitioners to delete."},
		"label.confirm_slug":       {"輸入工作室代號 {slug} 以確認", "Type the studio's slug, {slug}, to confirm"},
		"action.delete_studio":     {"刪除工作室", "Delete the studio"},
		"error.confirm_slug":       {"請輸入這個工作室的代號以確認。", "Type this studio's slug to confirm."},
		"flash.studio_deleted":     {"工作室已刪除。", "The studio is deleted."},
		"audit.client.exported":    {"匯出客人資料", "Client data exported"},
		"audit.client.erased":      {"刪除客人個人資料", "Client personal data erased"},
		"audit.workspace.exported": {"匯出工作室資料", "Studio data exported"},
		"audit.workspace.deleted":  {"刪除工作室", "Studio deleted"},

		// Storage.
		"error.unavailable":          {"系統暫時無法儲存,什麼都沒有變更,請稍後再試。", "The system cannot save anything right now; nothing was changed. Please try again later."},
		"error.database_unavailable": {"系統暫時連不上資料庫,請稍後再試。剛才送出的內容若不確定是否已儲存,請重新整理頁面查看。", "The system cannot reach its database right now. Please try again in a moment; if you are not sure whether what you just sent was saved, reload the page to check."},
		"error.storage_full":         {"系統的儲存空間已滿,這次的內容沒有儲存,什麼都沒有變更。請稍後再試,或直接聯絡工作室。", "The system's storage is full: this was not saved, and nothing was changed. Please try again later, or contact the studio directly."},

		// The operator's command line.
		"error.user_exists": {"這個 email 已經有帳號:請用 daoyue user reset-password 變更密碼,或從成員頁邀請。", "This email already has an account: use daoyue user reset-password to change its password, or invite it from the members page."},

		// Booking limits.
		"error.booking_throttled":     {"短時間內送出的預約太多了,請稍後再試;如需協助請直接聯絡工作室。", "Too many bookings were sent in a short time. Please try again later, or contact the studio directly."},
		"audit.booking.burst_refused": {"擋下大量送出的預約", "Burst of bookings refused"},

		// Sign-in throttling.
		"error.login_wait_seconds": {"嘗試登入的次數太多,請等 {seconds} 秒後再試。", "Too many sign-in attempts. Please wait {seconds} s and try again."},

		// The email.
		"mail.invitation.subject":  {"{inviter} 邀請您加入「{studio}」的導約後台", "{inviter} invited you to {studio} on DaoYue"},
		"mail.invitation.greeting": {"您好:", "Hello,"},
		"mail.invitation.lead":     {"{inviter} 邀請您以「{role}」的身分加入「{studio}」的導約後台,一起管理預約。", "{inviter} invited you to join {studio}'s DaoYue backend as {role}, to help run its bookings."},
		"mail.invitation.studio":   {"工作室", "Studio"},
		"mail.invitation.role":     {"角色", "Role"},
		"mail.invitation.expires":  {"連結有效至", "Link valid until"},
		"mail.invitation.accept":   {"接受邀請", "Accept the invitation"},
		"mail.invitation.how":      {"沒有導約帳號的話,打開連結後設定自己的密碼即可;已有帳號的話,請登入後接受。連結只能使用一次,{days} 天後失效。", "Without a DaoYue account, open the link and choose your own password; with one, sign in and accept. The link works once and expires in {days} days."},
		"mail.invitation.ignore":   {"如果您不認識這個工作室,請忽略這封信:不會建立任何帳號。", "If you don't know this studio, ignore this email: no account is created."},
		"mail.invitation.footer":   {"這封信由 DaoYue 導約代 {studio} 寄出。", "Sent by DaoYue on behalf of {studio}."},
		"mail.kind.invitation":     {"成員邀請", "Member invitation"},
	})
}
