package ising

import (
	"strings"

	"github.com/physbias/physbias/internal/fail"
)

// The conditions ising's errors match with errors.Is. They are the shared
// sentinels of every physbias package (ising.ErrInput is hopfield.ErrInput
// is pinn.ErrInput), so one check works whichever package an error came
// from.
var (
	// ErrInput: an argument is invalid — a dimension, side, coupling,
	// field, temperature, edge, state, algorithm or record count (the
	// message says which and why).
	ErrInput = fail.ErrInput
	// ErrNotFinite: a series given to an autocorrelation estimate holds
	// NaN or Inf.
	ErrNotFinite = fail.ErrNotFinite
	// ErrZeroValue: a method was called on a nil or zero Lattice, Graph,
	// Chain or Series (make them with NewLattice, NewGraph, NewChain and
	// Chain.Run).
	ErrZeroValue = fail.ErrZeroValue
)

// inputErr returns a cause from internal/spin as an ising error: the
// message starts "ising: " (not "ising: spin: "), and it matches ErrInput
// and, through Unwrap, the cause itself.
func inputErr(err error) error {
	if err == nil {
		return nil
	}
	return &wrapped{msg: "ising: " + strings.TrimPrefix(err.Error(), "spin: "), err: err}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string   { return w.msg }
func (w *wrapped) Unwrap() []error { return []error{ErrInput, w.err} }
