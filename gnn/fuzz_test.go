package gnn_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/physbias/physbias/gnn"
)

// FuzzLoad: Load never panics, and whatever it does not accept is an
// error matching ErrCorrupt.
func FuzzLoad(f *testing.F) {
	m, err := gnn.New(gnn.Config{NodeIn: 2, EdgeOut: 2, NodeOut: 1, GlobalOut: 1, Hidden: []int{3}})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:len(buf.Bytes())/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := gnn.Load(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, gnn.ErrCorrupt) {
				t.Fatalf("error %v does not match ErrCorrupt", err)
			}
			return
		}
		if _, err := m.Apply([]gnn.Graph{{Nodes: [][]float64{{1, 2}, {3, 4}}, Senders: []int{0}, Receivers: []int{1}}}); err != nil {
			t.Fatalf("a loaded model fails: %v", err)
		}
	})
}
