package i18n

// The words the pages show for domain values: states, tabs, roles and
// weekdays (web/page_words.go).
func init() {
	registerPairs(map[string][2]string{
		// Words for states.
		"status.pending":              {"待確認", "Pending"},
		"status.awaiting_payment":     {"待付款", "Awaiting payment"},
		"status.confirmed":            {"已排程", "Confirmed"},
		"status.declined":             {"已婉拒", "Declined"},
		"status.cancelled":            {"已取消", "Cancelled"},
		"status.expired":              {"已逾期", "Expired"},
		"status.unknown":              {"—", "—"},
		"status.payment.not_required": {"不需付款", "No payment needed"},
		"status.payment.unpaid":       {"尚未付款", "Not paid yet"},
		"status.payment.paid":         {"已付款", "Paid"},
		"status.payment.reported":     {"客人已回報匯款，待確認", "Transfer reported, to check"},
		"status.request.open":         {"等待工作室回覆", "Waiting for the studio"},
		"status.request.approved":     {"已核准", "Approved"},
		"status.request.rejected":     {"未核准", "Not approved"},
		"status.request.withdrawn":    {"已撤回", "Withdrawn"},
		"status.tool.not_connected":   {"尚未連結", "Not connected"},
		"tab.pending":                 {"待確認", "Pending"},
		"tab.upcoming":                {"已排程", "Upcoming"},
		"tab.past":                    {"過去", "Past"},
		"tab.cancelled":               {"已取消", "Cancelled"},
		"role.owner":                  {"擁有者", "Owner"},
		"role.admin":                  {"管理員", "Admin"},
		"role.staff":                  {"工作人員", "Staff"},
		"role.practitioner":           {"老師", "Practitioner"},
		"role.unknown":                {"—", "—"},
		"weekday.sun":                 {"星期日", "Sunday"},
		"weekday.mon":                 {"星期一", "Monday"},
		"weekday.tue":                 {"星期二", "Tuesday"},
		"weekday.wed":                 {"星期三", "Wednesday"},
		"weekday.thu":                 {"星期四", "Thursday"},
		"weekday.fri":                 {"星期五", "Friday"},
		"weekday.sat":                 {"星期六", "Saturday"},
		"weekday.short.sun":           {"日", "Sun"},
		"weekday.short.mon":           {"一", "Mon"},
		"weekday.short.tue":           {"二", "Tue"},
		"weekday.short.wed":           {"三", "Wed"},
		"weekday.short.thu":           {"四", "Thu"},
		"weekday.short.fri":           {"五", "Fri"},
		"weekday.short.sat":           {"六", "Sat"},
	})
}
