package i18n

// My bookings (我的預約): the client's list of their bookings at a studio,
// opened by an emailed single-use link. Each key with its two languages.
func init() {
	registerPairs(map[string][2]string{
		"mail.link.my":            {"我的預約(在這間工作室的所有預約)", "My bookings (all yours at this studio)"},
		"page.my.title":           {"我的預約", "My bookings"},
		"page.my.heading":         {"我的預約", "My bookings"},
		"page.my.intro":           {"輸入您預約時填寫的 email,我們會寄一個連結給您,打開後就能看到您在這間工作室的所有預約。", "Enter the email you booked with: we send you a link that shows all your bookings at this studio."},
		"page.my.sent":            {"如果 {email} 在這間工作室有預約,連結已寄出,請到信箱查看(30 分鐘內有效)。", "If {email} has bookings at this studio, a link is on its way: check your mailbox (it works for 30 minutes)."},
		"page.my.open_help":       {"按下按鈕即可查看您的預約。這個連結只能使用一次。", "Press the button to see your bookings. The link works once."},
		"page.my.signed_in_as":    {"以 {email} 的預約", "Bookings made with {email}"},
		"page.my.upcoming":        {"即將到來", "Upcoming"},
		"page.my.past":            {"已結束", "Past"},
		"page.my.ended":           {"已取消或未成立", "Cancelled or not held"},
		"page.my.none_upcoming":   {"沒有即將到來的預約。", "No upcoming bookings."},
		"page.my.none_past":       {"沒有已結束的預約。", "No past bookings."},
		"page.my.none_ended":      {"沒有取消的預約。", "No cancelled bookings."},
		"action.send_my_link":     {"寄連結給我", "Email me a link"},
		"action.open_my_bookings": {"查看我的預約", "Show my bookings"},
		"action.open_booking":     {"查看與變更", "View and change"},
		"action.my_sign_out":      {"登出我的預約", "Sign out of My bookings"},
		"action.book_again":       {"預約其他時段", "Book another time"},
		"flash.my_signed_out":     {"已登出。", "Signed out."},
		"error.my_link_gone":      {"這個連結已使用過或已過期。請再輸入 email 取得新連結。", "This link was used or has expired. Enter your email for a new one."},
		"error.my_link_throttled": {"要求太頻繁,請稍後再試。", "Too many requests: please try again later."},
	})
}
