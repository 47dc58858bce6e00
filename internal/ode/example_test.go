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
