package ising

import (
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/spin"
)

// Model is an Ising model a Chain can sample: a *Lattice or a *Graph.
type Model interface {
	// N returns the number of spins.
	N() int
	// Energy returns E(s), or an error if s is not a state of the model.
	Energy(s []int8) (float64, error)
	spinGraph() (*spin.Graph, error)
	// check returns an error for a model not made by its constructor (a
	// nil pointer or a zero value).
	check() error
}

var (
	_ Model = (*Lattice)(nil)
	_ Model = (*Graph)(nil)
)

func checkState(s []int8, n int) error {
	if len(s) != n {
		return fail.Errorf(fail.ErrInput, "ising", "state has %d spins, the model %d", len(s), n)
	}
	for i, v := range s {
		if v != 1 && v != -1 {
			return fail.Errorf(fail.ErrInput, "ising", "spin %d is %d, not ±1", i, v)
		}
	}
	return nil
}

func checkTemperature(T float64) error {
	if spin.CheckTemperature(T) != nil {
		return fail.Errorf(fail.ErrInput, "ising", "temperature T must be finite and > 0, got %v", T)
	}
	return nil
}
