package node

import (
	"fmt"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// termGrad runs m.grad for a batch of B = 3 states of m's dimension with
// terms and fixed cotangents on every state and every term's integral at
// every output time, on the fused path or on the gorgonia kernel.
func termGrad(t *testing.T, m *Model, terms []term, s Solver, o Options, method GradMethod, gorgonia bool) *gradResult {
	t.Helper()
	n, B, mt := m.dim, 3, len(terms)
	r := rng.New(5)
	y0, eps, off := make([]float64, B*n), make([]float64, B*n), []float64{0.1, -0.2, 0.35}
	for i := range y0 {
		y0[i], eps[i] = r.NormFloat64(), r.NormFloat64()
	}
	ts := []float64{0, 0.3, 0.7}
	cot := make([][]float64, len(ts))
	for i := 1; i < len(ts); i++ {
		cot[i] = make([]float64, B*(n+mt))
		for c := range cot[i] {
			cot[i][c] = r.NormFloat64()
		}
	}
	m.noFused = gorgonia
	defer func() { m.noFused = false }()
	sys, err := m.system(B, terms, off)
	if err != nil {
		t.Fatal(err)
	}
	if (sys.fm != nil) == gorgonia {
		t.Fatalf("gorgonia=%v but fused path %v", gorgonia, sys.fm != nil)
	}
	res, err := m.grad(B, terms, off, eps, y0, ts, cot, s, o, method)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFusedTermsMatchGorgonia: with terms integrated beside the state (each
// regularizer and trace alone, and all five together), the fused path and
// the gorgonia kernel give the same solutions (states and integrals at
// every output time) and the same gradients in y0, θ and the last time, by
// backprop and by the adjoint, for every activation, with and without the
// time input, on 3-D states with cotangents on every state and integral.
// Fixed RK4 steps: within 2e-14 relative norm-wise (measured at most
// 4.8e-15). Adaptive Dormand–Prince (all terms at once, ReLU left out as
// in TestFusedMatchesGorgonia): within 2e-13 (measured 5.3e-14; rounding
// moves the controller's steps a little).
func TestFusedTermsMatchGorgonia(t *testing.T) {
	all := []term{termKinetic, termFrobenius, termKelly2, termTrace, termTraceHutch}
	sets := [][]term{{termKinetic}, {termFrobenius}, {termKelly2}, {termTrace}, {termTraceHutch}, all}
	worst := map[string]float64{}
	for _, act := range []string{"tanh", "softplus", "sigmoid", "sin", "identity", "relu"} {
		for _, timeInput := range []bool{false, true} {
			m, err := New(3, Config{Hidden: []int{10, 9}, Activation: act, TimeInput: timeInput, Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			for si, terms := range sets {
				for _, c := range []struct {
					name string
					s    Solver
					o    Options
					tol  float64
				}{{"rk4", RK4(), Options{Dt: 0.05}, 2e-14}, {"dopri", DormandPrince(), Options{RTol: 1e-7, ATol: 1e-9}, 2e-13}} {
					if c.name == "dopri" && (si != len(sets)-1 || act == "relu") {
						continue
					}
					for _, method := range []GradMethod{Backprop, Adjoint} {
						fu := termGrad(t, m, terms, c.s, c.o, method, false)
						go_ := termGrad(t, m, terms, c.s, c.o, method, true)
						name := fmt.Sprintf("%s/time=%v/%v/%s/%v", act, timeInput, terms, c.name, method)
						if fu.fwd.NFE != go_.fwd.NFE || fu.bnfe != go_.bnfe {
							t.Errorf("%s: NFE %d+%d fused, %d+%d gorgonia", name, fu.fwd.NFE, fu.bnfe, go_.fwd.NFE, go_.bnfe)
						}
						d := max(normRel(fu.gtheta, go_.gtheta), normRel(fu.y0bar, go_.y0bar), normRel([]float64{fu.tbar}, []float64{go_.tbar}))
						for i := range fu.ys {
							d = max(d, normRel(fu.ys[i], go_.ys[i]))
						}
						worst[c.name] = max(worst[c.name], d)
						if d > c.tol {
							t.Errorf("%s: fused and gorgonia differ by %.3g relative (tolerance %g)", name, d, c.tol)
						}
					}
				}
			}
		}
	}
	t.Logf("worst relative difference, fused vs gorgonia with terms: %.3g with RK4, %.3g with Dormand–Prince", worst["rk4"], worst["dopri"])
}

// TestKellyHigherOnGorgoniaRefused: the gorgonia kernel of the built-in
// MLP cannot differentiate internal/ad's fused ops twice, so Kelly's K ≥ 3
// takes the fused path's Taylor mode; forced onto the kernel it is refused
// with an error that names the other way (a Network).
func TestKellyHigherOnGorgoniaRefused(t *testing.T) {
	m := termModel(t)
	if sys, err := m.system(2, []term{termKinetic, kellyTerm(3)}, nil); err != nil || sys.fm == nil {
		t.Errorf("K = 3 on the built-in MLP: fused %v, err %v; want the fused path", sys != nil && sys.fm != nil, err)
	}
	m.noFused = true
	if _, err := m.system(2, []term{termKinetic, kellyTerm(3)}, nil); err == nil || !strings.Contains(err.Error(), "NewNetwork") {
		t.Errorf("K = 3 on the MLP's gorgonia kernel: err = %v, want a refusal naming NewNetwork", err)
	}
}
