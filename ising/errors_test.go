package ising_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/physbias/physbias/ising"
)

// Every error a user can provoke matches its sentinel with errors.Is and
// starts with "ising: " exactly once.
func TestErrorsMatchSentinels(t *testing.T) {
	lat, err := ising.NewLattice(2, 4, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var zeroChain ising.Chain
	var zeroLattice ising.Lattice
	var zeroGraph ising.Graph
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"d = 0", second(ising.NewLattice(0, 4, 1, 0)), ising.ErrInput},
		{"L = 1", second(ising.NewLattice(2, 1, 1, 0)), ising.ErrInput},
		{"NaN J", second(ising.NewLattice(2, 4, math.NaN(), 0)), ising.ErrInput},
		{"self-loop", second(ising.NewGraph(3, []ising.Edge{{I: 1, J: 1, W: 1}}, nil)), ising.ErrInput},
		{"T = 0", second(ising.NewChain(lat, ising.Config{T: 0})), ising.ErrInput},
		{"Checkerboard on odd L", func() error {
			l3, err := ising.NewLattice(2, 3, 1, 0)
			if err != nil {
				return err
			}
			return second(ising.NewChain(l3, ising.Config{T: 1, Algorithm: ising.Checkerboard}))
		}(), ising.ErrInput},
		{"state of wrong length", second(lat.Energy([]int8{1, 1})), ising.ErrInput},
		{"NaN series", second(ising.IntegratedTime([]float64{1, 2, math.NaN(), 4, 5})), ising.ErrNotFinite},
		{"zero Chain", zeroChain.Sweep(1), ising.ErrZeroValue},
		{"zero Lattice", second(zeroLattice.Energy(nil)), ising.ErrZeroValue},
		{"zero Graph", second(zeroGraph.Energy(nil)), ising.ErrZeroValue},
		{"nil Series", second((*ising.Series)(nil).Observables()), ising.ErrZeroValue},
		{"KaufmanSquare L = 1", second(ising.KaufmanSquare(1, 2)), ising.ErrInput},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v does not match %v", c.name, c.err, c.want)
		}
		if msg := c.err.Error(); !strings.HasPrefix(msg, "ising: ") || strings.Count(msg, "ising:") != 1 {
			t.Errorf("%s: message %q", c.name, msg)
		}
	}
}

func second[T any](_ T, err error) error { return err }
