package web

// The sentences of /docs/zoom the tests look for, in both languages. The
// guide's words live in its template (docs_zoom.html), one block per
// language; these are what it said when they were message keys, so the
// tests still check the same words. A change to one of these sentences in
// the template changes it here too.
var docsZoomWords = map[string][2]string{
	"add.s1":                 {"登入導約後台,打開「老師設定」。", "Sign in to the DaoYue backend and open the practitioner settings (老師設定, Practitioners in the menu)."},
	"add.s2":                 {"選擇要管理的老師。", "Choose the practitioner you want to manage."},
	"add.s3":                 {"在「線上會議工具」區塊點選「連結 Zoom」。", "In the Online meeting tools (線上會議工具) section, click Connect Zoom (連結 Zoom)."},
	"add.s4":                 {"在 Zoom 授權頁確認權限,點選 Allow。", "On Zoom's authorization page, review the permissions and click Allow."},
	"add.s5":                 {"回到導約後,確認 Zoom 狀態顯示為已連結。", "Back in DaoYue, check that the Zoom status shows Connected."},
	"add.s6":                 {"需要預設使用 Zoom 時,點選「設為預設」。", "If Zoom should be used by default, click Set as default (設為預設)."},
	"add.entry_note":         {"「連結 Zoom」按鈕只出現在登入後的導約後台「老師設定」頁。每間工作室的後台網址都不同,所以這份公開文件不列出工作室專屬的後台連結。", "The Connect Zoom button is only on the practitioner settings page inside the signed-in DaoYue backend. Each studio's backend has its own address, so these public docs do not list studio-specific backend links."},
	"use.changes_body":       {"預約成立後,工作室在後台核准改期(包括直接在後台改期)時,導約會同步更新同一場 Zoom 會議的開始時間與長度,加入連結與會議 ID 不變;核准取消(包括直接在後台取消)時,導約會同步刪除這場 Zoom 會議。", "After a booking is confirmed, when the studio approves a reschedule in the backend (or reschedules it there directly), DaoYue updates the start time and duration of the same Zoom meeting, so the join URL and meeting ID stay the same; when the studio approves a cancellation (or cancels it there directly), DaoYue deletes that Zoom meeting."},
	"use.privacy_body":       {"付款前的通知與客人的「我的預約」頁,只會顯示工作室填寫的公開線上說明,不會出現 Zoom 加入連結、會議 ID 或密碼。預約成立後(需要付款的服務則是付款完成後),客人會在確認信中收到加入連結。", "Notices sent before payment and the client's My bookings page (我的預約) show only the public online instructions the studio wrote; they never show the Zoom join URL, meeting ID or passcode. Once the booking is confirmed (for services paid in advance, once payment is complete), the client receives the join link in the confirmation email."},
	"remove.after_market":    {"從 Zoom App Marketplace 移除:Zoom 通知導約後,導約立即刪除 token,並立即清除這個 Zoom 使用者的資料:Zoom 使用者 ID 與帳號 ID、已連結帳號的名稱,以及各預約的會議 ID、加入連結與密碼。這遠早於 Zoom 要求的 10 天期限。", "Removing in the Zoom App Marketplace: when Zoom notifies DaoYue, DaoYue deletes the tokens at once and immediately erases the Zoom data it holds for that user: the Zoom user ID and account ID, the connected account's name, and each booking's meeting ID, join URL and passcode. That is well within the 10 days Zoom allows."},
	"data.write":             {"線上預約正式成立時,在主持老師的 Zoom 帳號建立排程會議。", "Creating the scheduled meeting in the hosting practitioner's Zoom account when an online booking is confirmed."},
	"data.update":            {"工作室在後台核准改期後,更新同一場會議的開始時間與長度。", "Updating the start time and duration of the same meeting after the studio approves a reschedule in the backend."},
	"data.delete":            {"工作室在後台核准取消後,刪除這筆預約對應的 Zoom 會議。", "Deleting the booking's Zoom meeting after the studio approves a cancellation in the backend."},
	"data.user":              {"只用於讀取授權使用者的基本帳號資料,讓後台顯示已連結的帳號,並避免同一個 Zoom 使用者重複綁定。", "Only reading the authorizing user's basic account details, so that the backend can show which account is connected and the same Zoom user cannot be bound twice."},
	"data.never":             {"導約不會讀取 Zoom 錄影、聊天內容或聯絡人清單,也不讀取您的會議清單或任何會議內容:導約只會建立、更新與刪除它為預約建立的會議。", "DaoYue never reads Zoom recordings, chat content or contact lists, and it does not read your meeting list or the content of any meeting: it only creates, updates and deletes the meetings it created for bookings."},
	"data.share":             {"導約不會把 Zoom token 或私密會議連結提供給無關的第三方,也不會將 Zoom 資料用於廣告投放。會議加入連結只會寄給這筆預約的客人。", "DaoYue does not give Zoom tokens or private meeting links to unrelated third parties, and does not use Zoom data for advertising. A meeting's join link is sent only to the client of that booking."},
	"support.hours_body":     {"週一至週五 09:00–18:00(台北時間),台灣國定假日除外。", "Monday to Friday, 09:00–18:00 Taipei time, excluding Taiwan public holidays."},
	"support.sla_body":       {"一般支援需求在一個工作天內回覆;Zoom Marketplace 審核卡關與正式環境的授權問題會優先處理。", "Within one business day for standard support requests. Zoom Marketplace review blockers and production authorization issues are handled as priority requests."},
	"support.channels":       {"目前不提供電話、線上即時客服或社群論壇。請一律以電子郵件聯絡,方便我們追蹤案件,並依您的工作室狀況回覆。", "Phone support, live chat and community forums are not offered at present. Please send every request by email, so that we can track the case and answer with your studio's context."},
	"trouble.no_meeting.t":   {"預約成立了,卻沒有建立 Zoom 會議", "A booking was confirmed but no Zoom meeting was created"},
	"trouble.no_meeting.c":   {"只有同時符合這些條件時才會建立會議:服務是線上服務、預約已正式成立(需要付款的服務已付款完成),而且主持這筆預約的老師已連結 Zoom 並設為預設。預約詳細頁的會議狀態會說明缺少哪一項。", "A meeting is created only when all of these hold: the service is online, the booking is confirmed (and paid, where payment is required first), and the practitioner hosting it has connected Zoom and set it as default. The meeting status on the booking's page says which one is missing."},
	"trouble.no_meeting.f":   {"依會議狀態的說明補上缺少的設定,例如連結 Zoom 或點選「設為預設」。", "Fix what the meeting status names, for example connect Zoom or click Set as default."},
	"trouble.not_conn.t":     {"Zoom 狀態顯示「尚未連結」", "Zoom shows \"Not connected\" (尚未連結)"},
	"trouble.not_conn.c":     {"這位老師還沒有連結 Zoom,或先前已解除連結。線上預約仍會照常成立,但不會建立 Zoom 會議。", "This practitioner has not connected Zoom yet, or the connection was removed. Online bookings are still confirmed as usual, but no Zoom meeting is created."},
	"trouble.not_conn.f":     {"依照「新增 Zoom 連結」的步驟點選「連結 Zoom」並完成授權,再點選「設為預設」。", "Follow the steps in Adding Zoom: click Connect Zoom, complete the authorization, then click Set as default."},
	"trouble.not_default.t":  {"已連結,但還沒「設為預設」", "Connected, but not set as default"},
	"trouble.not_default.c":  {"Zoom 已連結,但還不是這位老師的預設線上會議工具,所以導約不會為成立的預約建立 Zoom 會議。", "Zoom is connected but is not yet this practitioner's default online meeting tool, so DaoYue does not create Zoom meetings for confirmed bookings."},
	"trouble.not_default.f":  {"在「線上會議工具」區塊的 Zoom 項目點選「設為預設」。之後成立的線上預約就會自動建立 Zoom 會議。", "Click Set as default on the Zoom entry in the Online meeting tools section. Online bookings confirmed from then on get their Zoom meeting automatically."},
	"trouble.reauth.t":       {"顯示「需要重新連結」", "Zoom shows \"Needs re-authorization\" (需要重新連結)"},
	"trouble.reauth.c":       {"Zoom 不再接受導約保存的授權,例如授權在 Zoom 端被撤銷或已經過期。導約遇到 Zoom 拒絕授權時,會先自動更新一次授權;仍然失敗才會標示為需要重新連結,並暫停這位老師的會議同步。", "Zoom no longer accepts the authorization DaoYue holds, for example because it was revoked in Zoom or has expired. When Zoom refuses the authorization, DaoYue first renews it once by itself; only if that fails is the connection marked as needing re-authorization, and meeting sync for this practitioner pauses."},
	"trouble.reauth.f":       {"點選「重新連結」,用同一個 Zoom 帳號再授權一次。若有預約因此沒有同步,重新連結後到該預約的詳細頁點選「重試」。", "Click Reconnect (重新連結) and authorize again with the same Zoom account. If any booking could not sync meanwhile, open it after reconnecting and click Retry."},
	"trouble.bound.t":        {"「這個 Zoom 帳號已連結到另一位老師」", "\"This Zoom account is already connected to another practitioner\""},
	"trouble.bound.c":        {"一個 Zoom 使用者只能連結一位老師,避免兩位老師的預約混用同一個 Zoom 帳號。原本的連結不受影響,會繼續正常運作。原本那位老師可能在您的工作室,也可能在另一間使用導約的工作室。", "One Zoom user can be connected to one practitioner only, so that two practitioners' bookings never share a Zoom account. The existing connection is not affected and keeps working. That other practitioner may be in your studio or in another studio that uses DaoYue."},
	"trouble.bound.f":        {"若要改連到這位老師,請先在原本那位老師的「線上會議工具」點選「解除連結」,再回來連結;若那不是您能管理的老師,請改用另一個 Zoom 帳號授權。", "To move the connection to this practitioner, first click Disconnect (解除連結) in the other practitioner's Online meeting tools section, then connect again here; if that is not a practitioner you manage, authorize with a different Zoom account."},
	"trouble.state.t":        {"「授權連結已過期或已使用過」", "\"The authorization link has expired or was already used\""},
	"trouble.state.c":        {"每次點選「連結 Zoom」產生的授權連結只能使用一次,10 分鐘後失效,並且只對點選它的後台成員與那位老師有效。常見原因是在 Zoom 授權頁停留太久,或重新整理、按了瀏覽器的「上一頁」後又送出一次。", "Each click on Connect Zoom creates an authorization link that works once, expires after 10 minutes, and is valid only for the member who clicked it and that practitioner. This usually happens after staying too long on Zoom's authorization page, or after reloading or going back in the browser and submitting again."},
	"trouble.state.f":        {"回到「老師設定」,再點一次「連結 Zoom」,並在 10 分鐘內完成授權。", "Go back to the practitioner settings, click Connect Zoom again and finish the authorization within 10 minutes."},
	"trouble.denied.t":       {"在 Zoom 授權頁按了 Deny(拒絕)", "You clicked Deny on Zoom's authorization page"},
	"trouble.denied.c":       {"您沒有同意授權,所以導約沒有取得任何 Zoom 權限,Zoom 狀態維持「尚未連結」。直接關閉授權頁也是一樣。", "You did not grant the authorization, so DaoYue received no Zoom permissions and the Zoom status stays Not connected. Closing the authorization page has the same effect."},
	"trouble.denied.f":       {"回到「老師設定」重新點選「連結 Zoom」,這次在授權頁點選 Allow。", "Go back to the practitioner settings, click Connect Zoom again, and this time click Allow."},
	"trouble.syncing.t":      {"會議狀態一直顯示「同步中」", "The meeting status stays at \"Syncing\" (同步中)"},
	"trouble.syncing.c":      {"導約正在等 Zoom 回應。Zoom 回應緩慢或暫時無法使用時,導約會自動重試,間隔逐次拉長(約 1 秒、2 秒、4 秒……最長 5 分鐘);若 Zoom 表示請求太多(HTTP 429),導約會依 Zoom 指定的時間等候後再試。預約本身不受影響。", "DaoYue is waiting for Zoom. When Zoom is slow or unavailable, DaoYue retries by itself with growing pauses (about 1 s, 2 s, 4 s … up to 5 minutes); when Zoom answers that there are too many requests (HTTP 429), DaoYue waits as long as Zoom asks before trying again. The booking itself is not affected."},
	"trouble.syncing.f":      {"通常不需要處理,Zoom 恢復後會自動完成。想確認 Zoom 是否正常,可以查看 Zoom 的服務狀態頁。", "Usually nothing: the sync completes by itself once Zoom recovers. To check whether Zoom is working normally, see Zoom's status page."},
	"trouble.exhausted.t":    {"會議狀態顯示「重試次數已用完」", "The meeting status says \"Retries exhausted\" (重試次數已用完)"},
	"trouble.exhausted.c":    {"導約多次重試仍無法完成同步,已停止自動重試。預約仍然有效,只是 Zoom 會議還沒有與預約一致。", "DaoYue tried many times and could not complete the sync, so it stopped retrying by itself. The booking still stands; only its Zoom meeting does not match it yet."},
	"trouble.exhausted.f":    {"確認 Zoom 已恢復正常、老師的 Zoom 狀態為已連結後,在該預約的詳細頁點選「重試」。若仍然失敗,請寫信給支援團隊並附上預約時間。", "Once Zoom works normally again and the practitioner's Zoom status is Connected, open the booking and click Retry. If it still fails, email support with the booking's time."},
	"trouble.recreated.t":    {"改期前,會議已在 Zoom 被刪除", "The meeting was deleted in Zoom before a reschedule"},
	"trouble.recreated.c":    {"有人直接在 Zoom 刪除了這場會議。導約核准改期時找不到原本的會議,就會在新的時間重新建立一場,並在預約詳細頁註明會議已重新建立。新會議的加入連結、會議 ID 與密碼都和原本不同。", "Someone deleted the meeting directly in Zoom. When the reschedule was approved DaoYue could not find the old meeting, so it created a new one at the new time, and the booking's page says that the meeting was re-created. The new meeting has a different join URL, meeting ID and passcode."},
	"trouble.recreated.f":    {"把新的加入連結傳給客人。為了避免這種情況,請一律透過導約後台改期或取消,不要直接在 Zoom 刪除預約建立的會議。", "Send the client the new join link. To avoid this, always reschedule or cancel in the DaoYue backend and do not delete meetings DaoYue created directly in Zoom."},
	"trouble.disconnected.t": {"老師的 Zoom 已解除連結", "The practitioner's Zoom account was disconnected"},
	"trouble.disconnected.c": {"解除連結後,導約已刪除這個 Zoom 帳號的授權,無法再更新或刪除先前建立的會議。已成立的預約保留原本的會議資訊;之後若改期或取消,會議狀態會顯示 Zoom 已解除連結。", "After a disconnect DaoYue has deleted that Zoom account's authorization, so it can no longer move or delete the meetings it created earlier. Confirmed bookings keep their meeting details; if one is later rescheduled or cancelled, its meeting status says that Zoom was disconnected."},
	"trouble.disconnected.f": {"先前建立的會議請直接在 Zoom 修改或刪除,並視需要通知客人。要讓新的預約繼續自動建立會議,請重新連結 Zoom 並設為預設。", "Change or delete those earlier meetings directly in Zoom, and let the client know where needed. To have new bookings get meetings again, reconnect Zoom and set it as default."},
	"trouble.removed.t":      {"導約已從 Zoom App Marketplace 移除", "DaoYue was removed in the Zoom App Marketplace"},
	"trouble.removed.c":      {"移除後,Zoom 會通知導約;導約立即刪除這個 Zoom 使用者的授權,並清除相關的 Zoom 資料,包括各預約的會議 ID、加入連結與密碼。預約本身保留,預約詳細頁會註明 Zoom 資料已因移除 app 而清除。會議本身仍留在老師的 Zoom 帳號中。", "After the removal Zoom notifies DaoYue; DaoYue deletes that Zoom user's authorization at once and erases the related Zoom data, including each booking's meeting ID, join URL and passcode. The bookings themselves stay, and their pages say that the Zoom data was erased because the app was removed. The meetings themselves remain in the practitioner's Zoom account."},
	"trouble.removed.f":      {"已排定的會議請在 Zoom 中查看、修改或刪除,必要時重新通知客人。要繼續使用,請回到「老師設定」重新連結 Zoom;已清除的會議資訊不會恢復。", "Review, change or delete the scheduled meetings in Zoom, and let clients know again where needed. To keep using Zoom, reconnect it in the practitioner settings; the erased meeting details cannot be restored."},
}

// zoomWords is the sentence named k of /docs/zoom in lang.
func zoomWords(lang, k string) string {
	w, ok := docsZoomWords[k]
	if !ok {
		panic("docsZoomWords: no " + k)
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

// docsZoomTrouble are the troubleshooting entries of /docs/zoom, in order:
// each entry's anchor and the name of its words (title .t, cause .c, fix .f).
var docsZoomTrouble = []struct{ ID, Words string }{
	{"no-meeting", "trouble.no_meeting"},
	{"not-connected", "trouble.not_conn"},
	{"not-default", "trouble.not_default"},
	{"needs-reauth", "trouble.reauth"},
	{"already-bound", "trouble.bound"},
	{"link-expired", "trouble.state"},
	{"denied", "trouble.denied"},
	{"syncing", "trouble.syncing"},
	{"retries-exhausted", "trouble.exhausted"},
	{"meeting-recreated", "trouble.recreated"},
	{"disconnected", "trouble.disconnected"},
	{"app-removed", "trouble.removed"},
}
