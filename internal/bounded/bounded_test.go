package bounded

import "testing"

// The map never holds more than its budget, replaces a key's value, and
// refuses a value heavier than the whole budget.
func TestMapBudget(t *testing.T) {
	var m Map[int, string]
	for i := 0; i < 1000; i++ {
		if !m.Put(i, "v", 7, 100) {
			t.Fatalf("put %d refused", i)
		}
		if m.Used() > 100 {
			t.Fatalf("after %d puts: %d held", i+1, m.Used())
		}
		if v, ok := m.Get(i); !ok || v != "v" {
			t.Fatalf("the entry just put is gone: %q %v", v, ok)
		}
	}
	if m.Len() != 14 || m.Used() != 98 {
		t.Errorf("%d entries weighing %d", m.Len(), m.Used())
	}
	m.Put(999, "w", 30, 100)
	if v, _ := m.Get(999); v != "w" || m.Used() > 100 {
		t.Errorf("replaced: %q, %d held", v, m.Used())
	}
	if m.Put(5000, "huge", 101, 100) {
		t.Error("a value over the budget was held")
	}
	if _, ok := m.Get(5000); ok {
		t.Error("a refused value is held")
	}
}
