package web

import (
	"errors"

	"github.com/daoyue/daoyue"
)

// fieldLimits are the lengths, in characters, of the fields a page can say
// "too long" about; the page then says the limit.
var fieldLimits = map[string]int{
	"client.name": daoyue.MaxClientName,
	"note":        daoyue.MaxNote,
	"reason":      daoyue.MaxRequestReason,
}

// sayLimits turns a page's "too long" into "too long: N characters at
// most" where the field's limit is known. (The API keeps its field
// messages as they are.)
func sayLimits(v *view, err error) {
	var e *daoyue.Error
	if !errors.As(err, &e) {
		return
	}
	for f, key := range e.Fields {
		if max, ok := fieldLimits[f]; ok && key == "error.too_long" {
			v.Fields[f] = v.Tf("error.too_long_max", "max", max)
		}
	}
}
