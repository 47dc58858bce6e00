package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/ode"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Continuous is Hopfield's (1984) network of graded units: internal states
// u_i, outputs V_i = g(u_i) = tanh(λ u_i), symmetric weights W, inputs I,
// following
//
//	τ du_i/dt = −u_i + Σ_j w_ij V_j + I_i.
//
// Its Lyapunov energy
//
//	E = −½ VᵀWV − IᵀV + Σ_i ∫_0^{V_i} g⁻¹(x) dx
//	  = −½ VᵀWV − IᵀV + Σ_i [V_i u_i − λ⁻¹ log cosh(λ u_i)]
//
// has dE/dt = −τ Σ_i g′(u_i) (du_i/dt)² ≤ 0: it never rises along a
// trajectory, and the trajectory ends at an equilibrium. At high gain λ
// the minima sit near the corners V = ±1 of the classical network. Make
// one with NewContinuous or Network.Continuous: Energy and Run of a zero
// Continuous return errors.
type Continuous struct {
	n    int
	w    []float64 // n×n row-major, symmetric
	in   []float64 // inputs I
	gain float64
	tau  float64
}

// ContinuousConfig sets the gain and time constant. The zero value means
// λ = 1 and τ = 1.
type ContinuousConfig struct {
	// Gain λ of V = tanh(λu); zero means 1.
	Gain float64
	// Tau is the time constant τ; zero means 1.
	Tau float64
}

func (c ContinuousConfig) values() (gain, tau float64, err error) {
	gain, tau = c.Gain, c.Tau
	if gain == 0 {
		gain = 1
	}
	if tau == 0 {
		tau = 1
	}
	if !(gain > 0) || math.IsInf(gain, 0) || !(tau > 0) || math.IsInf(tau, 0) {
		return 0, 0, errorf(ErrInput, "gain %v and time constant %v must be positive and finite", c.Gain, c.Tau)
	}
	return gain, tau, nil
}

// NewContinuous returns the network of n units (0 < n ≤ MaxUnits) with
// weights w (n×n row-major, symmetric, finite; copied) and inputs in (length n, or nil
// for zero).
func NewContinuous(n int, w, in []float64, cfg ContinuousConfig) (*Continuous, error) {
	if err := checkUnits("continuous network", n); err != nil {
		return nil, err
	}
	gain, tau, err := cfg.values()
	if err != nil {
		return nil, err
	}
	if len(w) != n*n {
		return nil, errorf(ErrInput, "%d weights for %d units, want %d", len(w), n, n*n)
	}
	if err := checkFinite("weights", w); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			if w[i*n+j] != w[j*n+i] {
				return nil, errorf(ErrInput, "weights not symmetric: w[%d][%d] = %v, w[%d][%d] = %v", i, j, w[i*n+j], j, i, w[j*n+i])
			}
		}
	}
	if in == nil {
		in = make([]float64, n)
	}
	if len(in) != n {
		return nil, errorf(ErrInput, "%d inputs for %d units", len(in), n)
	}
	if err := checkFinite("inputs", in); err != nil {
		return nil, err
	}
	return &Continuous{n: n, w: append([]float64(nil), w...), in: append([]float64(nil), in...), gain: gain, tau: tau}, nil
}

// Continuous returns the graded-unit network with the weights of the
// classical network and inputs I = −θ.
func (net *Network) Continuous(cfg ContinuousConfig) (*Continuous, error) {
	in := make([]float64, net.n)
	for i, th := range net.theta {
		in[i] = -th
	}
	return NewContinuous(net.n, net.w, in, cfg)
}

// N returns the number of units.
func (c *Continuous) N() int { return c.n }

// Output returns V = tanh(λu).
func (c *Continuous) Output(u []float64) []float64 {
	v := make([]float64, len(u))
	for i, x := range u {
		v[i] = math.Tanh(c.gain * x)
	}
	return v
}

// Derivative writes du/dt = (−u + W tanh(λu) + I)/τ into dudt; it is the
// right-hand side given to the ODE solver (t is unused). Like any ODE
// right-hand side it has no error result: u and dudt must have length N,
// and it panics otherwise.
func (c *Continuous) Derivative(t float64, u, dudt []float64) {
	n := c.n
	// V is needed whole by the product, so it cannot live in dudt.
	var buf [64]float64
	var v []float64
	if n <= len(buf) {
		v = buf[:n]
	} else {
		v = make([]float64, n)
	}
	for i, x := range u[:n] {
		v[i] = math.Tanh(c.gain * x)
	}
	c.mulW(dudt, v)
	inv := 1 / c.tau
	for i := range dudt[:n] {
		dudt[i] = (dudt[i] + c.in[i] - u[i]) * inv
	}
}

// mulW sets dst = W v.
func (c *Continuous) mulW(dst, v []float64) {
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: c.n, Cols: c.n, Stride: c.n, Data: c.w},
		blas64.Vector{N: c.n, Inc: 1, Data: v}, 0, blas64.Vector{N: c.n, Inc: 1, Data: dst})
}

// Energy returns the Lyapunov energy E at internal state u.
func (c *Continuous) Energy(u []float64) (float64, error) {
	if c == nil || c.n == 0 {
		return 0, errZero("Continuous", "NewContinuous")
	}
	if len(u) != c.n {
		return 0, errorf(ErrInput, "state has %d units, network has %d", len(u), c.n)
	}
	if err := checkFinite("state", u); err != nil {
		return 0, err
	}
	return c.energy(u), nil
}

func (c *Continuous) energy(u []float64) float64 {
	v := c.Output(u)
	h := make([]float64, c.n)
	c.mulW(h, v)
	var e float64
	for i := range v {
		e += -0.5*h[i]*v[i] - c.in[i]*v[i] + v[i]*u[i] - logCosh(c.gain*u[i])/c.gain
	}
	return e
}

// logCosh returns log cosh x without overflow.
func logCosh(x float64) float64 {
	a := math.Abs(x)
	return a + math.Log1p(math.Exp(-2*a)) - math.Ln2
}

// RunConfig sets a run of the continuous network. The zero value runs for
// 20τ with RK4 steps of τ/20.
type RunConfig struct {
	// Duration of the run; zero means 20τ.
	Duration float64
	// Dt is the RK4 step; zero means τ/20. Stiff settings (large gain
	// times large weights) need smaller steps.
	Dt float64
	// RTol and ATol, when set (both > 0), switch to the core's adaptive
	// Dormand–Prince 5(4) solver with these tolerances; Dt must then be
	// zero.
	RTol, ATol float64
}

// Trajectory is a run's record: the times, the energy at each time and
// the final internal state.
type Trajectory struct {
	// T holds the times, from 0, and Energy the Lyapunov energy at each.
	T      []float64
	Energy []float64
	U      []float64 // internal state at the end
	Steps  int       // solver steps taken
}

// Run integrates the network from u0 with the core's ODE solvers (RK4, or
// adaptive Dormand–Prince when RTol and ATol are set) and records the
// energy after every step.
func (c *Continuous) Run(u0 []float64, cfg RunConfig) (Trajectory, error) {
	if c == nil || c.n == 0 {
		return Trajectory{}, errZero("Continuous", "NewContinuous")
	}
	if len(u0) != c.n {
		return Trajectory{}, errorf(ErrInput, "initial state has %d units, network has %d", len(u0), c.n)
	}
	if err := checkFinite("initial state", u0); err != nil {
		return Trajectory{}, err
	}
	dur, dt := cfg.Duration, cfg.Dt
	if dur == 0 {
		dur = 20 * c.tau
	}
	if dt == 0 {
		dt = c.tau / 20
	}
	if !(dur > 0) || math.IsInf(dur, 0) || !(dt > 0) || math.IsInf(dt, 0) {
		return Trajectory{}, errorf(ErrInput, "run duration %v and step %v must be positive and finite", cfg.Duration, cfg.Dt)
	}
	adaptive := cfg.RTol != 0 || cfg.ATol != 0
	if adaptive && (!(cfg.RTol > 0) || !(cfg.ATol > 0) || cfg.Dt != 0) {
		return Trajectory{}, errorf(ErrInput, "adaptive run needs RTol > 0 and ATol > 0 and no Dt, got RTol %v, ATol %v, Dt %v", cfg.RTol, cfg.ATol, cfg.Dt)
	}
	tr := Trajectory{T: []float64{0}, Energy: []float64{c.energy(u0)}}
	obs := func(t float64, y []float64) {
		tr.T = append(tr.T, t)
		tr.Energy = append(tr.Energy, c.energy(y))
	}
	var (
		u   []float64
		st  ode.Stats
		err error
	)
	if adaptive {
		u, st, err = ode.Adaptive{RTol: cfg.RTol, ATol: cfg.ATol}.Solve(c.Derivative, u0, 0, dur, obs)
	} else {
		u, st, err = ode.Solve(c.Derivative, ode.RK4(), u0, 0, dur, dt, obs)
	}
	if err != nil {
		return Trajectory{}, wrap(err, "continuous run")
	}
	tr.U = u
	tr.Steps = st.Steps
	return tr, nil
}
