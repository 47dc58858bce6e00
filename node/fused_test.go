package node_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/node"
)

// maxRelDiff returns ‖a − b‖∞ / ‖b‖∞.
func maxRelDiff(a, b []float64) float64 {
	d, n := 0.0, 0.0
	for i := range b {
		d = math.Max(d, math.Abs(a[i]-b[i]))
		n = math.Max(n, math.Abs(b[i]))
	}
	return d / n
}

// TestFusedMatchesGorgonia: the fused plain-Go path of the built-in MLP and
// the gorgonia kernel give the same solutions and gradients (both methods,
// every activation, with and without the time input) on the same weights,
// to rounding. With fixed RK4 steps within 1e-14 relative, norm-wise
// (measured at most 1.3e-15). With adaptive Dormand–Prince steps within
// 5e-13 (measured 7.4e-14; up to 1.3e-13 with other orders of the sums): rounding
// moves the controller's error estimates, and so the chosen steps, a
// little. ReLU is left out of the adaptive case: near its kinks the
// controller's accept/reject decisions flip on rounding (measured: 326 and
// 350 evaluations for one solve), so the two paths take different steps.
func TestFusedMatchesGorgonia(t *testing.T) {
	worst := map[string]float64{}
	for _, act := range []string{"tanh", "softplus", "sigmoid", "sin", "identity", "relu"} {
		for _, timeInput := range []bool{false, true} {
			m, err := node.New(2, node.Config{Hidden: []int{16, 8}, Activation: act, TimeInput: timeInput, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !node.FusedInUse(m, 3) {
				t.Fatalf("%s: the built-in MLP does not take the fused path", act)
			}
			y0 := []float64{0.5, -0.3, 1.0, 0.2, -0.7, 0.8}
			ts := []float64{0, 0.4, 1.1}
			cot := [][]float64{{0.1, 0.2, -0.3, 0, 0.5, 1}, {0.3, -1, 0.5, 0.2, 0.1, -0.4}, {1, 0.7, -0.6, 0.4, -0.2, 0.9}}
			for _, c := range []struct {
				name string
				s    node.Solver
				o    node.Options
				tol  float64
			}{{"rk4", node.RK4(), node.Options{Dt: 0.05}, 1e-14}, {"dopri", node.DormandPrince(), node.Options{RTol: 1e-7, ATol: 1e-9}, 5e-13}} {
				if act == "relu" && c.name == "dopri" {
					continue
				}
				for _, method := range []node.GradMethod{node.Backprop, node.Adjoint} {
					var g [2]*node.Gradient
					var sol [2]*node.Solution
					for i, gorgonia := range []bool{false, true} {
						node.UseGorgonia(m, gorgonia)
						if g[i], err = m.Gradient(y0, ts, cot, c.s, c.o, method); err != nil {
							t.Fatal(err)
						}
						if sol[i], err = m.Solve(y0, ts, c.s, c.o); err != nil {
							t.Fatal(err)
						}
					}
					node.UseGorgonia(m, false)
					name := fmt.Sprintf("%s/time=%v/%s/%v", act, timeInput, c.name, method)
					if g[0].Forward.NFE != g[1].Forward.NFE || g[0].BackwardNFE != g[1].BackwardNFE {
						t.Errorf("%s: NFE %d+%d fused, %d+%d gorgonia", name, g[0].Forward.NFE, g[0].BackwardNFE, g[1].Forward.NFE, g[1].BackwardNFE)
					}
					d := max(maxRelDiff(g[0].Theta, g[1].Theta), maxRelDiff(g[0].Y0, g[1].Y0),
						maxRelDiff([]float64{g[0].T}, []float64{g[1].T}), maxRelDiff(sol[0].Y[2], sol[1].Y[2]))
					worst[c.name] = max(worst[c.name], d)
					if d > c.tol {
						t.Errorf("%s: fused and gorgonia differ by %.3g relative (tolerance %g)", name, d, c.tol)
					}
				}
			}
		}
	}
	t.Logf("worst relative difference, fused vs gorgonia: %.3g with RK4, %.3g with Dormand–Prince", worst["rk4"], worst["dopri"])
}

// adjointAlloc returns the bytes and objects one gradient of a batch of 16
// states (f 2-32-32-2) allocates with the given number of RK4 steps: the
// least over runs after a warm-up (a garbage collection during a run may
// empty internal/blas's pools of packing buffers, which the run then
// allocates again).
func adjointAlloc(t *testing.T, m *node.Model, steps int, method node.GradMethod) (float64, float64) {
	t.Helper()
	r := rng.New(3)
	y0, cot := make([]float64, 32), make([]float64, 32)
	for i := range y0 {
		y0[i], cot[i] = r.NormFloat64(), r.NormFloat64()
	}
	ts, o := []float64{0, 1}, node.Options{Dt: 1 / float64(steps)}
	run := func() {
		if _, err := m.Gradient(y0, ts, [][]float64{nil, cot}, node.RK4(), o, method); err != nil {
			t.Fatal(err)
		}
	}
	run()
	bytes, objects := math.Inf(1), math.Inf(1)
	for range 5 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		run()
		runtime.ReadMemStats(&b)
		bytes = min(bytes, float64(b.TotalAlloc-a.TotalAlloc))
		objects = min(objects, float64(b.Mallocs-a.Mallocs))
	}
	return bytes, objects
}

// TestAdjointAllocationsFlat: on the fused path the adjoint method
// allocates no more for 256 solver steps than for 16 (measured: 168,784 B
// and 63 objects a gradient at both: the result, the output checkpoints
// and the backward solver's stages), while backprop through the solver
// allocates in proportion to the steps (its tape of stage states: 71.6 kB
// at 16 steps, 737 kB at 256).
func TestAdjointAllocationsFlat(t *testing.T) {
	if raceOn {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	m, err := node.New(2, node.Config{Hidden: []int{32, 32}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b16, n16 := adjointAlloc(t, m, 16, node.Adjoint)
	b256, n256 := adjointAlloc(t, m, 256, node.Adjoint)
	t.Logf("adjoint: %.0f B, %.0f objects at 16 steps; %.0f B, %.0f objects at 256 steps", b16, n16, b256, n256)
	if b256 > b16+4096 || n256 > n16+2 {
		t.Errorf("adjoint allocations grow with the steps: %.0f B (%.0f objects) at 16, %.0f B (%.0f) at 256", b16, n16, b256, n256)
	}
	p16, _ := adjointAlloc(t, m, 16, node.Backprop)
	p256, _ := adjointAlloc(t, m, 256, node.Backprop)
	t.Logf("backprop: %.0f B at 16 steps, %.0f B at 256 steps", p16, p256)
	if p256 < 8*p16 {
		t.Errorf("backprop allocates %.0f B at 16 steps and %.0f B at 256: expected growth with the steps", p16, p256)
	}
}

// TestFusedTrainMatchesGorgonia: training the built-in MLP with f(y, t) on
// windows of trajectories (each sample at its own start time) by either
// gradient method, without regularizers and with each of Finlay et al.'s
// and Kelly et al.'s (and all three), takes the same steps on the fused
// path as on the gorgonia kernel: the losses and the parameters after 5
// Adam steps agree within 2e-15 relative (measured at most 1.0e-16
// without regularizers, 2.0e-16 with them).
func TestFusedTrainMatchesGorgonia(t *testing.T) {
	d := dampedData(t)
	for _, reg := range []struct {
		name                      string
		kinetic, frobenius, kelly float64
	}{{"none", 0, 0, 0}, {"kinetic", 0.1, 0, 0}, {"frobenius", 0, 0.05, 0}, {"kelly", 0, 0, 0.02}, {"all", 0.1, 0.05, 0.02}} {
		for _, method := range []node.GradMethod{node.Backprop, node.Adjoint} {
			var loss [2][]float64
			var theta [2][]float64
			for i, gorgonia := range []bool{false, true} {
				m, err := node.New(2, node.Config{Hidden: []int{16, 16}, TimeInput: true, Seed: 2})
				if err != nil {
					t.Fatal(err)
				}
				node.UseGorgonia(m, gorgonia)
				h, err := m.Train(context.Background(), d, node.TrainConfig{Steps: 5, LR: 1e-2, Window: 4, BatchSize: 12, Seed: 1,
					Solver: node.RK4(), Options: node.Options{Dt: 0.1}, Gradient: method,
					Kinetic: reg.kinetic, Frobenius: reg.frobenius, Kelly: reg.kelly})
				if err != nil {
					t.Fatal(err)
				}
				loss[i], theta[i] = h.Loss, m.Params()
			}
			dl, dt := maxRelDiff(loss[0], loss[1]), maxRelDiff(theta[0], theta[1])
			t.Logf("%s/%v: losses differ by %.3g, parameters by %.3g relative", reg.name, method, dl, dt)
			if dl > 2e-15 || dt > 2e-15 {
				t.Errorf("%s/%v: fused and gorgonia training differ: losses by %.3g, parameters by %.3g relative", reg.name, method, dl, dt)
			}
		}
	}
}

// TestFusedCNFMatchesGorgonia: a CNF trains on the fused path (exact trace,
// one tangent per dimension, or Hutchinson's; with the kinetic and
// Frobenius regularizers) as on the gorgonia kernel: losses and parameters
// after 4 Adam steps agree within 2e-15 relative (measured at most 1.7e-16),
// and so do the log-densities (exact trace) after them (measured 4.9e-16).
func TestFusedCNFMatchesGorgonia(t *testing.T) {
	x := twoBlobs(32, 5)
	s, o := node.RK4(), node.Options{Dt: 0.1}
	for _, tr := range []node.TraceMethod{node.ExactTrace, node.Hutchinson} {
		for _, method := range []node.GradMethod{node.Backprop, node.Adjoint} {
			var loss, theta, lp [2][]float64
			for i, gorgonia := range []bool{false, true} {
				c, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{12, 12}, Trace: tr, Seed: 6})
				if err != nil {
					t.Fatal(err)
				}
				node.UseGorgonia(c.Model(), gorgonia)
				h, err := c.Train(context.Background(), x, node.TrainConfig{Steps: 4, LR: 2e-2, BatchSize: 16, Seed: 3,
					Solver: s, Options: o, Gradient: method, Kinetic: 0.05, Frobenius: 0.02})
				if err != nil {
					t.Fatal(err)
				}
				if lp[i], err = c.LogDensity(x, s, o); err != nil {
					t.Fatal(err)
				}
				loss[i], theta[i] = h.Loss, c.Model().Params()
			}
			dl, dt, dp := maxRelDiff(loss[0], loss[1]), maxRelDiff(theta[0], theta[1]), maxRelDiff(lp[0], lp[1])
			t.Logf("trace %d/%v: losses differ by %.3g, parameters by %.3g, log-densities by %.3g relative", tr, method, dl, dt, dp)
			if dl > 2e-15 || dt > 2e-15 || dp > 2e-15 {
				t.Errorf("trace %d/%v: fused and gorgonia CNF differ: losses by %.3g, parameters by %.3g, log-densities by %.3g", tr, method, dl, dt, dp)
			}
		}
	}
}
