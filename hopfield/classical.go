package hopfield

import (
	"fmt"

	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Network is the classical binary Hopfield network (Hopfield 1982): N units
// s_i = ±1, symmetric weights w_ij with w_ii = 0 and thresholds θ_i. Its
// energy is
//
//	E(s) = −½ Σ_ij w_ij s_i s_j + Σ_i θ_i s_i,
//
// and a unit update s_i ← sign(h_i − θ_i), h_i = Σ_j w_ij s_j, never raises
// it. Patterns are stored with the Hebbian or the Storkey rule; both add to
// the weights already there, so a network can learn in several calls. Make
// one with New: the methods of a zero Network return errors.
type Network struct {
	n     int
	w     []float64 // n×n row-major, symmetric, zero diagonal
	theta []float64 // thresholds
}

// MaxUnits is the largest N of a Network or Continuous network: their
// N×N weights then take 8 GiB.
const MaxUnits = 1 << 15

// checkUnits returns an error unless 0 < n ≤ MaxUnits.
func checkUnits(what string, n int) error {
	if n <= 0 || n > MaxUnits {
		return errorf(ErrInput, "%s needs 0 < N ≤ MaxUnits = %d units, got %d", what, MaxUnits, n)
	}
	return nil
}

// New returns a network of n units (0 < n ≤ MaxUnits) with zero weights
// and thresholds.
func New(n int) (*Network, error) {
	if err := checkUnits("network", n); err != nil {
		return nil, err
	}
	return &Network{n: n, w: make([]float64, n*n), theta: make([]float64, n)}, nil
}

// N returns the number of units.
func (net *Network) N() int { return net.n }

// Weight returns w_ij. Like a slice index, it panics if i or j is outside
// [0, N).
func (net *Network) Weight(i, j int) float64 { return net.w[i*net.n+j] }

// Weights returns a copy of the weights, row-major N×N.
func (net *Network) Weights() []float64 { return append([]float64(nil), net.w...) }

// SetThresholds sets θ (length N, finite values).
func (net *Network) SetThresholds(theta []float64) error {
	if len(theta) != net.n {
		return errorf(ErrInput, "%d thresholds for %d units", len(theta), net.n)
	}
	if err := checkFinite("thresholds", theta); err != nil {
		return err
	}
	copy(net.theta, theta)
	return nil
}

// Thresholds returns a copy of θ.
func (net *Network) Thresholds() []float64 { return append([]float64(nil), net.theta...) }

func (net *Network) checkState(s []int8) error {
	if net == nil || net.n == 0 {
		return errZero("Network", "New")
	}
	if len(s) != net.n {
		return errorf(ErrInput, "state has %d units, network has %d", len(s), net.n)
	}
	if err := checkSpins(s); err != nil {
		return errorf(ErrInput, "state: %w", err)
	}
	return nil
}

// Energy returns E(s) = −½ sᵀWs + θᵀs.
func (net *Network) Energy(s []int8) (float64, error) {
	if err := net.checkState(s); err != nil {
		return 0, err
	}
	return net.energy(s), nil
}

func (net *Network) energy(s []int8) float64 {
	h := make([]float64, net.n)
	net.fields(h, s)
	var e float64
	for i, v := range s {
		e += (-0.5*h[i] + net.theta[i]) * float64(v)
	}
	return e
}

// fields sets h = W s (one matrix-vector product).
func (net *Network) fields(h []float64, s []int8) {
	x := Spins(s)
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: net.n, Cols: net.n, Stride: net.n, Data: net.w},
		blas64.Vector{N: net.n, Inc: 1, Data: x}, 0, blas64.Vector{N: net.n, Inc: 1, Data: h})
}

// Update says how units are updated during recall.
type Update int

const (
	// Async updates one unit at a time, in a fresh random order each sweep
	// (the default). The energy never rises; recall ends at a fixed point.
	Async Update = iota
	// Sync updates every unit at once from the same old state. The energy
	// can rise and the state can end in a cycle of length two.
	Sync
)

// String names the update rule.
func (u Update) String() string {
	switch u {
	case Async:
		return "async"
	case Sync:
		return "sync"
	}
	return fmt.Sprintf("Update(%d)", int(u))
}

// RecallConfig sets how Recall runs. The zero value is asynchronous
// updates, at most 100 sweeps, seed 0.
type RecallConfig struct {
	// Update is Async (the zero value) or Sync.
	Update Update
	// MaxSweeps bounds the number of sweeps (one sweep updates every unit
	// once); zero means 100.
	MaxSweeps int
	// Seed draws the random update order of Async.
	Seed uint64
	// Trace records the energy after every sweep in RecallResult.Energies
	// (and, for Async, after every single unit update in UnitEnergies).
	Trace bool
}

// RecallResult is the outcome of a recall.
type RecallResult struct {
	// State is the final state.
	State     []int8
	Sweeps    int  // sweeps run
	Converged bool // a whole sweep changed no unit: State is a fixed point
	// Cycle is true when synchronous updates returned to the state of two
	// sweeps before (a two-cycle) and recall stopped there.
	Cycle    bool
	Energy   float64   // energy of State
	Energies []float64 // with Trace: energy at the start and after each sweep
	// UnitEnergies, with Trace and Async: energy at the start and after
	// every unit update.
	UnitEnergies []float64
}

// Recall runs the network from the cue until a fixed point or MaxSweeps. A
// unit whose local field equals its threshold keeps its value.
func (net *Network) Recall(cue []int8, cfg RecallConfig) (RecallResult, error) {
	if err := net.checkState(cue); err != nil {
		return RecallResult{}, err
	}
	maxSweeps := cfg.MaxSweeps
	if maxSweeps < 0 {
		return RecallResult{}, errorf(ErrInput, "MaxSweeps %d < 0", maxSweeps)
	}
	if maxSweeps == 0 {
		maxSweeps = 100
	}
	s := append([]int8(nil), cue...)
	res := RecallResult{}
	if cfg.Trace {
		res.Energies = append(res.Energies, net.energy(s))
	}
	h := make([]float64, net.n)
	var fresh bool // h = W s on return
	switch cfg.Update {
	case Async:
		fresh = net.recallAsync(s, h, maxSweeps, cfg, &res)
	case Sync:
		fresh = net.recallSync(s, h, maxSweeps, cfg, &res)
	default:
		return RecallResult{}, errorf(ErrInput, "unknown update rule %d", int(cfg.Update))
	}
	res.State = s
	if fresh {
		// E = −½ sᵀh + θᵀs, O(N) from the fields.
		for i, v := range s {
			res.Energy += (-0.5*h[i] + net.theta[i]) * float64(v)
		}
	} else {
		res.Energy = net.energy(s)
	}
	return res, nil
}

// recallAsync runs asynchronous sweeps; h ends as W s.
func (net *Network) recallAsync(s []int8, h []float64, maxSweeps int, cfg RecallConfig, res *RecallResult) bool {
	n := net.n
	r := rng.New(cfg.Seed)
	net.fields(h, s)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	e := 0.0
	if cfg.Trace {
		e = res.Energies[0]
		res.UnitEnergies = append(res.UnitEnergies, e)
	}
	for sweep := 0; sweep < maxSweeps; sweep++ {
		r.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		changed := 0
		for _, i := range order {
			d := h[i] - net.theta[i]
			var v int8
			switch {
			case d > 0:
				v = 1
			case d < 0:
				v = -1
			default:
				v = s[i]
			}
			if v != s[i] {
				changed++
				// ΔE = −Δs_i (h_i − θ_i) with w_ii = 0.
				ds := float64(v - s[i])
				e -= ds * d
				s[i] = v
				col := net.w[i*n : (i+1)*n] // row i = column i (symmetric)
				for j, wij := range col {
					h[j] += wij * ds
				}
			}
			if cfg.Trace {
				res.UnitEnergies = append(res.UnitEnergies, e)
			}
		}
		res.Sweeps = sweep + 1
		if cfg.Trace {
			res.Energies = append(res.Energies, net.energy(s))
		}
		if changed == 0 {
			res.Converged = true
			return true
		}
	}
	return true
}

// recallSync runs synchronous sweeps; it reports whether h ends as W s.
func (net *Network) recallSync(s []int8, h []float64, maxSweeps int, cfg RecallConfig, res *RecallResult) bool {
	n := net.n
	prev := make([]int8, n) // state two sweeps back
	copy(prev, s)
	havePrev := false
	next := make([]int8, n)
	for sweep := 0; sweep < maxSweeps; sweep++ {
		net.fields(h, s)
		changed := 0
		for i := range s {
			d := h[i] - net.theta[i]
			switch {
			case d > 0:
				next[i] = 1
			case d < 0:
				next[i] = -1
			default:
				next[i] = s[i]
			}
			if next[i] != s[i] {
				changed++
			}
		}
		res.Sweeps = sweep + 1
		if changed == 0 {
			res.Converged = true
			if cfg.Trace {
				res.Energies = append(res.Energies, net.energy(s))
			}
			return true
		}
		cycle := havePrev && equalSpins(prev, next)
		copy(prev, s)
		havePrev = true
		copy(s, next)
		if cfg.Trace {
			res.Energies = append(res.Energies, net.energy(s))
		}
		if cycle {
			res.Cycle = true
			return false
		}
	}
	return false
}

func equalSpins(a, b []int8) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Overlap returns m = (1/N) Σ a_i b_i, the overlap of two ±1 states
// (1 when equal, −1 when opposite).
func Overlap(a, b []int8) (float64, error) {
	if len(a) != len(b) || len(a) == 0 {
		return 0, errorf(ErrInput, "overlap of states of %d and %d units", len(a), len(b))
	}
	var m int
	for i := range a {
		m += int(a[i]) * int(b[i])
	}
	return float64(m) / float64(len(a)), nil
}
