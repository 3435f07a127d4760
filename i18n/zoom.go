package i18n

// Zoom connection errors and the plain-words meeting status shown on a
// booking: each says what happened and, where a person must act, what to do.
func init() {
	registerPairs(map[string][2]string{
		"error.zoom_not_configured":        {"這個 DaoYue 尚未設定 Zoom 應用程式,請聯絡系統管理員。", "Zoom is not set up on this DaoYue installation. Please contact the administrator."},
		"error.zoom_not_connected":         {"這位老師尚未連結 Zoom,請先點選「連結 Zoom」。", "This practitioner has not connected Zoom yet. Click Connect Zoom first."},
		"error.zoom_state":                 {"這個 Zoom 授權連結已使用過或已過期(10 分鐘),請回到「老師設定」重新點選「連結 Zoom」。", "This Zoom authorization link was used already or has expired (after 10 minutes). Go back to the practitioner settings and click Connect Zoom again."},
		"error.zoom_state_other_member":    {"這個 Zoom 授權是由另一位成員開始的,請用開始授權的帳號登入後再試。", "Another member started this Zoom authorization. Sign in as that member and try again."},
		"error.zoom_exchange":              {"Zoom 沒有完成授權,請再點選一次「連結 Zoom」。若持續發生,請確認 Zoom 帳號可正常登入。", "Zoom did not complete the authorization. Click Connect Zoom once more; if it keeps happening, check that the Zoom account can sign in."},
		"error.zoom_user_already_bound":    {"這個 Zoom 帳號已連結到另一位老師。一個 Zoom 帳號只能連結一位老師。", "This Zoom account is already connected to another practitioner. A Zoom account can be connected to one practitioner only."},
		"error.zoom_user_bound_elsewhere":  {"Zoom 帳號 {account} 已連結到另一位老師。一個 Zoom 帳號只能連結一位老師;那邊的連結會繼續正常運作。請改用另一個 Zoom 帳號。", "The Zoom account {account} is already connected to another practitioner. A Zoom account can be connected to one practitioner only; that connection keeps working. Use another Zoom account."},
		"error.zoom_user_bound":            {"Zoom 帳號 {account} 已連結到老師「{practitioner}」。一個 Zoom 帳號只能連結一位老師;那位老師的連結會繼續正常運作。", "The Zoom account {account} is already connected to the practitioner {practitioner}. A Zoom account can be connected to one practitioner only; that connection keeps working."},
		"error.meeting_no_retry":           {"這筆預約的會議目前不需要重試。", "This booking's meeting does not need a retry."},
		"meeting.note.in_person":           {"實體服務,不需要線上會議。", "In-person service: no online meeting is needed."},
		"meeting.note.not_confirmed":       {"預約成立後才會建立 Zoom 會議。", "The Zoom meeting is created once the booking is confirmed."},
		"meeting.note.cancelled":           {"預約已取消,沒有會議。", "The booking is cancelled; there is no meeting."},
		"meeting.note.ended":               {"這堂課已結束。", "This session has ended."},
		"meeting.note.host_no_zoom":        {"主持老師尚未連結 Zoom,所以沒有建立會議。請到「老師設定」→「線上會議工具」點選「連結 Zoom」並「設為預設」,之後按「重試」。", "The hosting practitioner has not connected Zoom, so no meeting was created. In the practitioner settings, under Online meeting tools, click Connect Zoom and Set as default, then click Retry."},
		"meeting.note.host_not_default":    {"主持老師已連結 Zoom,但尚未設為預設線上會議工具。請到「老師設定」點選「設為預設」。", "The hosting practitioner has connected Zoom but not set it as the default online meeting tool. Click Set as default in the practitioner settings."},
		"meeting.note.needs_reauth":        {"Zoom 授權已失效(可能已在 Zoom 撤銷或過期)。請到「老師設定」點選「重新連結」,完成後會自動同步。", "The Zoom authorization is no longer valid (revoked in Zoom or expired). Click Reconnect in the practitioner settings; the meeting syncs by itself afterwards."},
		"meeting.note.syncing":             {"正在與 Zoom 同步會議…", "Syncing the meeting with Zoom…"},
		"meeting.note.created":             {"Zoom 會議已建立。", "The Zoom meeting is created."},
		"meeting.note.moved":               {"Zoom 會議已改到新的時間。", "The Zoom meeting was moved to the new time."},
		"meeting.note.recreated":           {"原本的 Zoom 會議已在 Zoom 中被刪除,DaoYue 已重新建立會議;會議 ID 與連結已更新,請把新連結提供給客戶。", "The original Zoom meeting had been deleted in Zoom, so DaoYue created a new one. The meeting ID and link have changed: send the client the new link."},
		"meeting.note.deleted":             {"預約取消後,Zoom 會議已刪除。", "The Zoom meeting was deleted after the booking was cancelled."},
		"meeting.note.disconnected":        {"主持這場會議的 Zoom 帳號已解除連結,DaoYue 無法更新它。請重新連結同一個 Zoom 帳號,或在 Zoom 中自行修改會議。", "The Zoom account hosting this meeting was disconnected, so DaoYue cannot update it. Reconnect the same Zoom account, or change the meeting in Zoom yourself."},
		"msg.meeting.delete_this":          {"要在 Zoom 中刪除的會議:會議 ID {id},主題「{topic}」,時間 {start}。", "The meeting to delete in Zoom: meeting ID {id}, topic \"{topic}\", at {start}."},
		"meeting.note.disconnected_delete": {"主持這場會議的 Zoom 帳號已解除連結,DaoYue 無法刪除它。請在 Zoom 中自行刪除,或重新連結同一個帳號後按「重試」。", "The Zoom account hosting this meeting was disconnected, so DaoYue cannot delete it. Delete it in Zoom yourself, or reconnect the same account and click Retry."},
		"meeting.note.rate_limited":        {"Zoom 暫時限制請求次數,DaoYue 會在 Zoom 指定的時間後自動重試。", "Zoom is limiting requests for a moment; DaoYue retries by itself when Zoom says it may."},
		"meeting.note.retrying":            {"暫時無法連上 Zoom,DaoYue 正在自動重試。", "Zoom cannot be reached right now; DaoYue is retrying by itself."},
		"meeting.note.retries_exhausted":   {"多次重試後仍無法連上 Zoom。請稍後按「重試」;若持續發生,請聯絡客服。", "Zoom still could not be reached after many tries. Click Retry later; if it keeps happening, contact support."},
		"meeting.note.zoom_rejected":       {"Zoom 拒絕了這個會議請求。請按「重試」;若持續發生,請聯絡客服並附上預約時間。", "Zoom refused this meeting request. Click Retry; if it keeps happening, contact support with the booking time."},
		"meeting.note.zoom_removed":        {"DaoYue 已從 Zoom App Marketplace 移除,這筆預約的 Zoom 會議資料已依規定清除。", "DaoYue was removed from the Zoom App Marketplace, so this booking's Zoom meeting data was erased as required."},
	})
}
