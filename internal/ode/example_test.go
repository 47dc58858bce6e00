package ode_test

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ode"
)

// Integrate y' = −y from y(0) = 1 to t = 1 with RK4 and compare with e⁻¹.
func ExampleSolve() {
	decay := func(t float64, y, dydt []float64) { dydt[0] = -y[0] }
	y, st, err := ode.Solve(decay, ode.RK4(), []float64{1}, 0, 1, 0.1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("y(1) = %.8f, exact %.8f, %d steps, %d evaluations\n", y[0], math.Exp(-1), st.Steps, st.NFE)
	// Output:
	// y(1) = 0.36787977, exact 0.36787944, 10 steps, 40 evaluations
}

// A pendulum H = p²/2 − cos q as y = (q, p) under leapfrog: the energy
// error stays bounded over 10⁴ steps.
func ExampleLeapfrog() {
	pendulum := func(t float64, y, dydt []float64) {
		dydt[0] = y[1]            // dq/dt = ∂H/∂p = p
		dydt[1] = -math.Sin(y[0]) // dp/dt = −∂H/∂q = −sin q
	}
	energy := func(y []float64) float64 { return y[1]*y[1]/2 - math.Cos(y[0]) }
	y0 := []float64{1, 0}
	e0, worst := energy(y0), 0.0
	_, _, err := ode.Solve(pendulum, ode.Leapfrog(), y0, 0, 1000, 0.1, func(t float64, y []float64) {
		worst = math.Max(worst, math.Abs(energy(y)-e0))
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("max |E − E0| over 10⁴ steps: %.1e\n", worst)
	// Output:
	// max |E − E0| over 10⁴ steps: 1.1e-03
}

// Dormand–Prince on the logistic equation y' = y(1 − y), y(0) = 0.1, whose
// solution is y = 1/(1 + 9e^(−t)). The tolerances are required.
func ExampleAdaptive_Solve() {
	logistic := func(t float64, y, dydt []float64) { dydt[0] = y[0] * (1 - y[0]) }
	a := ode.Adaptive{RTol: 1e-6, ATol: 1e-9}
	y, st, err := a.Solve(logistic, []float64{0.1}, 0, 10, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	exact := 1 / (1 + 9*math.Exp(-10))
	fmt.Printf("y(10) = %.6f, error %.0e, %d steps, %d rejected, %d evaluations\n", y[0], math.Abs(y[0]-exact), st.Steps, st.Rejected, st.NFE)

	_, _, err = ode.Adaptive{}.Solve(logistic, []float64{0.1}, 0, 10, nil)
	fmt.Println(err)
	// Output:
	// y(10) = 0.999591, error 1e-07, 22 steps, 1 rejected, 140 evaluations
	// ode: Adaptive needs RTol and ATol: there is no default accuracy; set both, e.g. Adaptive{RTol: 1e-6, ATol: 1e-9}
}

// SolveAt reads the solution at chosen times from the dense output.
func ExampleAdaptive_SolveAt() {
	oscillator := func(t float64, y, dydt []float64) { dydt[0], dydt[1] = y[1], -y[0] }
	ts := []float64{0, math.Pi / 2, math.Pi, 3 * math.Pi / 2}
	out, _, err := ode.Adaptive{RTol: 1e-8, ATol: 1e-8}.SolveAt(oscillator, []float64{1, 0}, ts)
	if err != nil {
		fmt.Println(err)
		return
	}
	round := func(v float64) float64 { return math.Round(v*1e6)/1e6 + 0 } // +0 turns −0 into 0
	for i, y := range out {
		fmt.Printf("t=%.4f q=%.6f p=%.6f\n", ts[i], round(y[0]), round(y[1]))
	}
	// Output:
	// t=0.0000 q=1.000000 p=0.000000
	// t=1.5708 q=0.000000 p=-1.000000
	// t=3.1416 q=-1.000000 p=0.000000
	// t=4.7124 q=0.000000 p=1.000000
}
