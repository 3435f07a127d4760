package store

import (
	"slices"
	"testing"

	"github.com/daoyue/daoyue"
)

func TestInSet(t *testing.T) {
	for _, tc := range []struct {
		set  []daoyue.Status
		want string
	}{
		{nil, `FALSE`},
		{[]daoyue.Status{daoyue.StatusPending}, `b.status = 'pending'`},
		{daoyue.FinalStatuses(), `b.status IN ('declined', 'cancelled', 'expired')`},
		{[]daoyue.Status{"it's"}, `b.status = 'it''s'`},
	} {
		if got := inSet("b.status", tc.set); got != tc.want {
			t.Errorf("inSet(%q) = %s, want %s", tc.set, got, tc.want)
		}
	}
}

// Statements built from columns number their placeholders in binding order,
// after those already bound.
func TestColumnStatements(t *testing.T) {
	cols := []column{{"a", 1}, {"b", "two"}, {"c", nil}}
	q, args := insert("t", cols)
	if want := `INSERT INTO t (a, b, c) VALUES ($1, $2, $3)`; q != want {
		t.Errorf("insert = %s, want %s", q, want)
	}
	if !slices.Equal(args, params{1, "two", nil}) {
		t.Errorf("insert args = %v", args)
	}
	a := params{"x"}
	set := a.set(except(cols, "b"))
	if want := `a = $2, c = $3`; set != want {
		t.Errorf("set = %s, want %s", set, want)
	}
	if where := a.add("y"); where != "$4" || !slices.Equal(a, params{"x", 1, nil, "y"}) {
		t.Errorf("after set: %s, %v", where, a)
	}
	if got := columnNames(cols, "p."); got != `p.a, p.b, p.c` {
		t.Errorf("columnNames = %s", got)
	}
}

func TestExceptUnknownColumnPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("except of a name that is no column did not panic")
		}
	}()
	except([]column{{"a", 1}, {"b", 2}}, "a", "workspace")
}
