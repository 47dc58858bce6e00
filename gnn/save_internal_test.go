package gnn

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/train"
)

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

// TestLoadInvalidConfig: a well-formed file whose Config New refuses is
// an error matching ErrCorrupt (and New's ErrInput), with "gnn: " once.
func TestLoadInvalidConfig(t *testing.T) {
	m, err := New(Config{NodeIn: 2, NodeOut: 1, Hidden: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	params, err := m.graphParams()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bad := m.cfg
	bad.Aggregation = 7
	if err := train.SaveModel(&buf, modelKind, bad, params); err != nil {
		t.Fatal(err)
	}
	_, err = Load(&buf)
	if !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrInput) || strings.Count(err.Error(), "gnn: ") != 1 {
		t.Fatalf("Load of an invalid Config: %v", err)
	}
}
