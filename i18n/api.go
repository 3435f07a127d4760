package i18n

// Messages of the JSON API v1 (web/api*.go).
func init() {
	registerPairs(map[string][2]string{
		"error.api_body_too_large":      {"送出的內容太大了(上限 64 KiB)。", "The request body is too large (at most 64 KiB)."},
		"error.api_type":                {"這個欄位的資料型別不正確。", "This field has the wrong type."},
		"error.api_unknown_field":       {"送出的 JSON 含有不認得的欄位「{field}」,請對照 API 文件移除或更正。", "The JSON sent has a field we don't know, \"{field}\". Remove or correct it as the API documentation describes."},
		"error.api_unknown_field_here":  {"不認得的欄位。", "Unknown field."},
		"error.api_clock":               {"時間格式應為 HH:MM(00:00–24:00)。", "Times of day are written HH:MM (00:00–24:00)."},
		"error.api_weekday":             {"星期應為 0(星期日)到 6(星期六)。", "The weekday is 0 (Sunday) to 6 (Saturday)."},
		"error.api_override_range":      {"一次最多查詢 366 天。", "At most 366 days can be asked for at once."},
		"error.api_id_mismatch":         {"內容中的 id 與網址中的不同。", "The id in the body differs from the one in the address."},
		"msg.api_meeting_in_person":     {"這是實體服務,不需要線上會議。", "This is an in-person service: no online meeting is needed."},
		"msg.api_meeting_ended":         {"這筆預約已不再進行,不需要線上會議。", "This booking is no longer going ahead: no online meeting is needed."},
		"msg.api_meeting_not_confirmed": {"預約尚未成立;成立後才會建立線上會議。", "The booking isn't confirmed yet; its online meeting is created once it is."},
		"msg.api_meeting_no_tool":       {"主持老師({host})尚未設定預設的線上會議工具,因此不會建立 Zoom 會議。請到老師設定 → 線上會議工具連結 Zoom 並設為預設。", "The host ({host}) has no default online meeting tool yet, so no Zoom meeting is created. Connect Zoom and set it as default in the practitioner's settings under Online meeting tools."},
	})
}
