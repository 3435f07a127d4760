package web

import "github.com/daoyue/daoyue"

// Local is the part of a studio text for the page's language: the text
// before a line "[en]" on zh-TW pages, after it on English ones
// (daoyue.EnglishMarker); a text without the line is shown whole.
func (v *view) Local(text string) string { return daoyue.InLanguage(text, v.Lang) }
