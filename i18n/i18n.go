// Package i18n holds every user-facing string in Traditional Chinese
// (zh-TW, the default) and English. Messages are plain Go maps, one file per
// area, each key with its two texts side by side (registerPairs), so a
// missing translation is a failing test rather than a runtime surprise;
// placeholders are written {name}.
package i18n

import (
	"fmt"
	"strings"
	"sync"
)

// Languages, the default first.
const (
	ZH = "zh-TW"
	EN = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []string{ZH, EN}

var (
	mu      sync.RWMutex
	catalog = map[string]map[string]string{ZH: {}, EN: {}}
)

// register adds messages for one language; a key defined twice is a bug.
func register(lang string, msgs map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	for k, v := range msgs {
		if _, dup := catalog[lang][k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[lang][k] = v
	}
}

// registerPairs adds messages written side by side: each key with its
// zh-TW and English text.
func registerPairs(pairs map[string][2]string) {
	zh, en := map[string]string{}, map[string]string{}
	for k, v := range pairs {
		zh[k], en[k] = v[0], v[1]
	}
	register(ZH, zh)
	register(EN, en)
}

// Match picks a supported language from a tag or an Accept-Language header.
func Match(s string) string {
	for _, part := range strings.Split(s, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "en"):
			return EN
		case strings.HasPrefix(tag, "zh"):
			return ZH
		}
	}
	return ZH
}

// T returns the message key in lang with {placeholders} filled from args.
// An unknown key falls back to zh-TW and then to the key itself, so a gap
// shows up visibly instead of as an empty string.
func T(lang, key string, args map[string]any) string {
	mu.RLock()
	msg, ok := catalog[lang][key]
	if !ok {
		msg, ok = catalog[ZH][key]
	}
	mu.RUnlock()
	if !ok {
		return key
	}
	for k, v := range args {
		msg = strings.ReplaceAll(msg, "{"+k+"}", fmt.Sprint(v))
	}
	return msg
}

// Has reports whether key is defined in lang.
func Has(lang, key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalog[lang][key]
	return ok
}

// Keys returns every key of lang.
func Keys(lang string) []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(catalog[lang]))
	for k := range catalog[lang] {
		out = append(out, k)
	}
	return out
}
