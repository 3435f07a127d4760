// Package e2e holds DaoYue's browser journeys: the whole product, built and
// run as `daoyue serve` on a free port, driven through headless Chromium
// (/usr/bin/chromium) with chromedp. The journeys follow the user's own
// Zoom integration document word for word: the Marketplace reviewer's steps
// 1–8 in English, and the studio's Chinese steps (連結 Zoom, 設為預設,
// accept, approved reschedule and cancel, 解除連結), plus the removal of
// the app in the Zoom Marketplace.
//
// They run only with DAOYUE_E2E=1 (CI sets it):
//
//	DAOYUE_E2E=1 go test ./e2e/ -v
//
// Screenshots of the key pages go to a temporary folder named in the test
// log; to refresh the committed ones in docs/screenshots:
//
//	DAOYUE_E2E=1 go test ./e2e/ -screenshots ../docs/screenshots
package e2e
