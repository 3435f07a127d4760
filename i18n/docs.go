package i18n

// Messages of the public documentation pages (web/page_docs.go,
// web/templates/docs_zoom.html, privacy.html, terms.html). The long texts
// of /docs/zoom, /privacy and /terms live in their templates as one block
// per language (docs/decisions.md); only the words they share with the
// rest of the site and their titles are here.
func init() {
	registerPairs(map[string][2]string{
		// Shared by the three pages.
		"docs.back_home":       {"返回導約首頁", "Back to the DaoYue home page"},
		"docs.toc":             {"目錄", "Contents"},
		"docs.effective":       {"生效日期:2026年11月26日", "Effective date: 26 November 2026"},
		"docs.contact.heading": {"聯絡我們", "Contact us"},
		"docs.see_also":        {"相關文件", "Related documents"},
		"docs.to_top":          {"回到目錄", "Back to contents"},

		// /docs/zoom's title (also its <title>); its text is in the template.
		"docs.payments.title": {"收款、退款與電子發票", "Getting paid, refunds and e-invoices"},
		"nav.docs_payments":   {"收款說明", "Getting paid"},
		"docs.zoom.title":     {"在導約連結、使用與移除 Zoom", "Connecting, using and removing Zoom in DaoYue"},
	})
}
