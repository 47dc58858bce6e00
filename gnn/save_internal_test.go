package gnn

import "testing"

// TestNumParams: the count Load checks a file against before it builds a
// model is the count New makes, for every kind of block.
func TestNumParams(t *testing.T) {
	for _, c := range []Config{
		{NodeIn: 3, NodeOut: 2},
		{NodeIn: 3, EdgeIn: 2, EdgeOut: 4, NodeOut: 2, GlobalIn: 1, GlobalOut: 5, Hidden: []int{7, 3}},
		DeepSets(2, 6, 1, []int{5}),
		InteractionNetwork(6, 2, 2, []int{}),
	} {
		m, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.cfg.numParams(), m.NumParams(); got != want {
			t.Errorf("%+v: numParams %d, New made %d", c, got, want)
		}
	}
}
