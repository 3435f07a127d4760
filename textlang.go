package daoyue

import "strings"

// EnglishMarker, alone on a line of a studio text (a service's description
// or online instructions), starts that text's English version: what comes
// before it is shown on zh-TW pages and in zh-TW emails, what follows it
// on English ones. A text without the marker is shown as it is in both.
const EnglishMarker = "[en]"

// InLanguage is the part of text for lang (see EnglishMarker).
func InLanguage(text, lang string) string {
	zh, en, ok := cutEnglish(text)
	if !ok {
		return text
	}
	if NormalizeLanguage(lang) == LangEN && en != "" {
		return en
	}
	if zh == "" {
		return en
	}
	return zh
}

func cutEnglish(text string) (zh, en string, ok bool) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == EnglishMarker {
			return strings.TrimSpace(strings.Join(lines[:i], "\n")), strings.TrimSpace(strings.Join(lines[i+1:], "\n")), true
		}
	}
	return "", "", false
}
