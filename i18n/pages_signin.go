package i18n

// Signing in and choosing a studio (web/page_auth.go, login.html,
// chooser.html).
func init() {
	registerPairs(map[string][2]string{
		// Sign-in.
		"page.login.title":     {"登入", "Sign in"},
		"page.login.heading":   {"登入導約後台", "Sign in to DaoYue"},
		"page.login.intro":     {"請使用工作室成員的電子郵件與密碼登入。", "Use the email and password of your studio membership."},
		"page.chooser.title":   {"選擇工作室", "Choose a workspace"},
		"page.chooser.heading": {"選擇要管理的工作室", "Which studio do you want to manage?"},
		"msg.no_workspaces":    {"您目前不是任何工作室的成員。請聯絡工作室的擁有者將您加入。", "You aren't a member of any studio yet. Ask the studio's owner to add you."},
		"action.sign_in":       {"登入", "Sign in"},
		"label.password":       {"密碼", "Password"},
		"flash.signed_out":     {"您已登出。", "You have signed out."},
	})
}
