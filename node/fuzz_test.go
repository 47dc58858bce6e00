package node_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/physbias/physbias/node"
)

// FuzzLoad feeds Load and LoadCNF arbitrary bytes, seeded with a valid
// model file and a valid CNF file: they must return a model or an error
// matching ErrCorrupt, never panic.
func FuzzLoad(f *testing.F) {
	m, err := node.New(2, node.Config{Hidden: []int{3}, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	c, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{3}, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	buf.Reset()
	if err := c.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:len(buf.Bytes())/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := node.Load(bytes.NewReader(data)); err != nil && !errors.Is(err, node.ErrCorrupt) {
			t.Errorf("Load: %v", err)
		}
		if _, err := node.LoadCNF(bytes.NewReader(data)); err != nil && !errors.Is(err, node.ErrCorrupt) {
			t.Errorf("LoadCNF: %v", err)
		}
	})
}
