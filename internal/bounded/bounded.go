// Package bounded is a map held to a budget, for caches: when an entry
// does not fit, entries are dropped at random (map order) until it does.
// Random is enough for what it holds (computed months of slots and their
// encodings): a popular entry is simply computed and kept again.
package bounded

import "sync"

// Map is safe for concurrent use; its zero value is an empty map.
type Map[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]entry[V]
	used    int
}

type entry[V any] struct {
	v      V
	weight int
}

// Get returns k's value, if held.
func (m *Map[K, V]) Get(k K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[k]
	return e.v, ok
}

// Put holds v under k with its weight, within a total of budget, replacing
// k's value; it reports false (and holds nothing under k) when v alone
// weighs more than the budget.
func (m *Map[K, V]) Put(k K, v V, weight, budget int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[K]entry[V]{}
	}
	if old, ok := m.entries[k]; ok {
		m.used -= old.weight
		delete(m.entries, k)
	}
	if weight > budget {
		return false
	}
	for k2, e := range m.entries {
		if m.used+weight <= budget {
			break
		}
		m.used -= e.weight
		delete(m.entries, k2)
	}
	m.entries[k] = entry[V]{v, weight}
	m.used += weight
	return true
}

// Used is the total weight held.
func (m *Map[K, V]) Used() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

// Len is the number of entries held.
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
