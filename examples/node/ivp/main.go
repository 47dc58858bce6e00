// Command ivp solves the initial value problems of bench/node_scipy.sh with
// node's Dormand–Prince 5(4) and prints, for each problem and tolerance, the
// work and the final state, for the script to compare with SciPy's
// solve_ivp(method="RK45"):
//
//	go <problem> <tol> <nfe> <seconds per solve> <y(T) ...>
//
//	go run ./examples/node/ivp
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/physbias/physbias/node"
)

// A problem is y' = f(t, y), y(0) = y0, solved to T.
type problem struct {
	name string
	f    node.Func
	y0   []float64
	T    float64
}

// Arenstorf's orbit (Hairer, Nørsett and Wanner, Solving ODEs I, §II.0): a
// periodic restricted three-body orbit, back at y0 after one period.
const arenstorfT = 17.0652165601579625588917206249

func arenstorf(t float64, y, d []float64) error {
	const mu = 0.012277471
	mp := 1 - mu
	d1 := math.Pow((y[0]+mu)*(y[0]+mu)+y[1]*y[1], 1.5)
	d2 := math.Pow((y[0]-mp)*(y[0]-mp)+y[1]*y[1], 1.5)
	d[0], d[1] = y[2], y[3]
	d[2] = y[0] + 2*y[3] - mp*(y[0]+mu)/d1 - mu*(y[0]-mp)/d2
	d[3] = y[1] - 2*y[2] - mp*y[1]/d1 - mu*y[1]/d2
	return nil
}

// kepler is the two-body problem; with eccentricity 0.6 started at
// perihelion it returns to y0 every 2π.
func kepler(t float64, y, d []float64) error {
	r2 := y[0]*y[0] + y[1]*y[1]
	r3 := r2 * math.Sqrt(r2)
	d[0], d[1], d[2], d[3] = y[2], y[3], -y[0]/r3, -y[1]/r3
	return nil
}

// vdp is the Van der Pol oscillator with μ = 10: mildly stiff.
func vdp(t float64, y, d []float64) error {
	d[0] = y[1]
	d[1] = 10*(1-y[0]*y[0])*y[1] - y[0]
	return nil
}

// spiral is a damped rotation y' = [[−0.5, 2], [−2, −0.5]]y with the closed
// form e^{−t/2}·R(−2t)·y0.
func spiral(t float64, y, d []float64) error {
	d[0] = -0.5*y[0] + 2*y[1]
	d[1] = -2*y[0] - 0.5*y[1]
	return nil
}

func main() {
	minTime := flag.Duration("mintime", 200*time.Millisecond, "time each solve at least this long")
	flag.Parse()
	e := 0.6
	problems := []problem{
		{"arenstorf", arenstorf, []float64{0.994, 0, 0, -2.00158510637908252240537862224}, arenstorfT},
		{"kepler-e0.6", kepler, []float64{1 - e, 0, 0, math.Sqrt((1 + e) / (1 - e))}, 4 * math.Pi},
		{"vanderpol-mu10", vdp, []float64{2, 0}, 20},
		{"spiral", spiral, []float64{1, 0}, 10},
	}
	for _, p := range problems {
		for _, tol := range []float64{1e-6, 1e-9} {
			o := node.Options{RTol: tol, ATol: tol}
			var sol *node.Solution
			var err error
			n := 0
			start := time.Now()
			for n == 0 || time.Since(start) < *minTime {
				sol, err = node.Solve(p.f, p.y0, []float64{0, p.T}, node.DormandPrince(), o)
				if err != nil {
					fmt.Fprintln(os.Stderr, "ivp:", p.name, err)
					os.Exit(1)
				}
				n++
			}
			sec := time.Since(start).Seconds() / float64(n)
			fmt.Printf("go %s %g %d %.6g", p.name, tol, sol.NFE, sec)
			for _, v := range sol.Y[1] {
				fmt.Printf(" %.17g", v)
			}
			fmt.Println()
		}
	}
}
