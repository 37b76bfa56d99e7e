package output

import (
	"fmt"
	"sort"
	"sync"
)

// Memory is an output held in memory, for tests and previews.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemory returns an empty in-memory output.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores a copy of data at rel.
func (m *Memory) WriteFile(rel string, data []byte) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.files[rel]; dup {
		return fmt.Errorf("output path %s is produced twice", rel)
	}
	m.files[rel] = append([]byte(nil), data...)
	return nil
}

// File returns the content at rel and whether it exists.
func (m *Memory) File(rel string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[rel]
	return data, ok
}

// Paths lists every stored path, sorted.
func (m *Memory) Paths() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.files))
	for p := range m.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
