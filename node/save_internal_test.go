package node

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/train"
)

// TestMLPCount: the count Load checks a file against before it builds a
// model is the count New and NewCNF make.
func TestMLPCount(t *testing.T) {
	for _, c := range []Config{{}, {Hidden: []int{3}}, {Hidden: []int{5, 2, 7}, TimeInput: true}, {Hidden: []int{}}} {
		m, err := New(3, c)
		if err != nil {
			t.Fatal(err)
		}
		n, err := mlpCount(3, c.Hidden, c.TimeInput)
		if err != nil || n != len(m.Params()) {
			t.Errorf("%+v: mlpCount %d (%v), New made %d", c, n, err, len(m.Params()))
		}
	}
	cnf, err := NewCNF(2, CNFConfig{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := mlpCount(2, []int{4}, true); err != nil || n != len(cnf.Model().Params()) {
		t.Errorf("CNF: mlpCount %d (%v), NewCNF made %d", n, err, len(cnf.Model().Params()))
	}
}

// TestLoadInvalidConfig: a well-formed file whose Config New refuses is
// an error matching ErrCorrupt (and New's ErrInput), with "node: " once.
func TestLoadInvalidConfig(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := m.saveParams()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bad := savedModel{Dim: 2, Config: Config{Hidden: []int{3}, Activation: "no such"}}
	if err := train.SaveModel(&buf, modelKind, bad, params); err != nil {
		t.Fatal(err)
	}
	_, err = Load(&buf)
	if !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrInput) || strings.Count(err.Error(), "node: ") != 1 {
		t.Fatalf("Load of an invalid Config: %v", err)
	}
}
