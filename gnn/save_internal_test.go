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

// TestPaperInteractionNetwork: the paper's networks for 2-D particles
// (node features 6, messages 100) have the parameter count of their
// PyTorch models, counted by hand: message network 12→300→300→300→100,
// (12+1)·300 + 2·(300+1)·300 + (300+1)·100 = 214,600; node network
// 106→300→300→300→2, (106+1)·300 + 2·(300+1)·300 + (300+1)·2 = 213,302.
func TestPaperInteractionNetwork(t *testing.T) {
	m, err := New(PaperInteractionNetwork(6, 100, 2))
	if err != nil {
		t.Fatal(err)
	}
	if n := m.NumParams(); n != 214600+213302 {
		t.Fatalf("%d parameters, want %d", n, 214600+213302)
	}
	if c := m.Config(); c.Activation != ReLU || c.Aggregation != Sum || len(c.Hidden) != 3 {
		t.Fatalf("config %+v", c)
	}
}
