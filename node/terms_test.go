package node

import (
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// termModel is a time-dependent MLP on 3-D states (not the 2-D of the
// examples), so that traces and norms are not special 2×2 cases.
func termModel(t *testing.T) *Model {
	t.Helper()
	m, err := New(3, Config{Hidden: []int{12, 12}, TimeInput: true, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fdJacobian returns ∂f/∂y (n×n, row-major) and ∂f/∂t at (y, t) of one
// sample by fourth-order central differences of the kernel's forward pass.
func fdJacobian(t *testing.T, m *Model, y []float64, tt float64) ([]float64, []float64, []float64) {
	t.Helper()
	n := m.dim
	k, err := m.kernel(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := func(y []float64, tt float64) []float64 {
		copy(k.y, y)
		k.t[0] = tt
		if err := k.forward(); err != nil {
			t.Fatal(err)
		}
		return append([]float64(nil), k.f()...)
	}
	const h = 1e-3
	J := make([]float64, n*n)
	for j := 0; j < n; j++ {
		at := func(d float64) []float64 {
			yy := append([]float64(nil), y...)
			yy[j] += d
			return f(yy, tt)
		}
		p1, m1, p2, m2 := at(h), at(-h), at(2*h), at(-2*h)
		for i := 0; i < n; i++ {
			J[i*n+j] = (8*(p1[i]-m1[i]) - (p2[i] - m2[i])) / (12 * h)
		}
	}
	p1, m1, p2, m2 := f(y, tt+h), f(y, tt-h), f(y, tt+2*h), f(y, tt-2*h)
	ft := make([]float64, n)
	for i := range ft {
		ft[i] = (8*(p1[i]-m1[i]) - (p2[i] - m2[i])) / (12 * h)
	}
	return J, ft, f(y, tt)
}

// TestTermValues checks every integrand against finite-difference
// Jacobians at a point: the kinetic energy ‖f‖², the exact trace, Kelly's
// ‖Jf + ∂f/∂t‖², and the Hutchinson estimators with unit probes e_j, whose
// sums over j are exactly tr J and ‖J‖²_F, on the fused MLP and on a
// user's Network (derivatives from internal/grad). Measured agreement ≤ 1e-10;
// bound 1e-8 (finite differences with h = 1e-3 are good to ≈1e-11 here).
func TestTermValues(t *testing.T) {
	for _, c := range []struct {
		name string
		m    *Model
	}{{"MLP/fused", termModel(t)}, {"MLP/fused/softplus", termModelAct(t, "softplus")}, {"MLP/fused/sin", termModelAct(t, "sin")},
		{"MLP/gorgonia", gorgoniaModel(termModel(t))}, {"Network", userTermModel(t)}} {
		t.Run(c.name, func(t *testing.T) { termValues(t, c.m) })
	}
}

// termModelAct is termModel with another activation.
func termModelAct(t *testing.T, act string) *Model {
	t.Helper()
	m, err := New(3, Config{Hidden: []int{12, 12}, Activation: act, TimeInput: true, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// gorgoniaModel makes m evaluate its built-in MLP on the gorgonia kernel.
func gorgoniaModel(m *Model) *Model {
	m.noFused = true
	return m
}

// checkPath fails unless sys takes the path a test case's name promises:
// the fused MLP for a name with "fused", the gorgonia kernel otherwise.
func checkPath(t *testing.T, sys *system) {
	t.Helper()
	if want := strings.Contains(t.Name(), "fused"); (sys.fm != nil) != want {
		t.Fatalf("%s: fused path %v", t.Name(), sys.fm != nil)
	}
}

func termValues(t *testing.T, m *Model) {
	y, tt := []float64{0.3, -0.8, 0.5}, 0.7
	n := 3
	J, ft, f := fdJacobian(t, m, y, tt)
	var tr, frob, kin, kelly float64
	for i := 0; i < n; i++ {
		tr += J[i*n+i]
		kin += f[i] * f[i]
		d := ft[i]
		for j := 0; j < n; j++ {
			frob += J[i*n+j] * J[i*n+j]
			d += J[i*n+j] * f[j]
		}
		kelly += d * d
	}
	eval := func(terms []term, eps []float64) []float64 {
		sys, err := m.system(1, terms, []float64{tt})
		if err != nil {
			t.Fatal(err)
		}
		checkPath(t, sys)
		sys.setEps(eps)
		d := make([]float64, sys.size())
		if err := sys.rhs(0, append(append([]float64(nil), y...), make([]float64, len(terms))...), d); err != nil {
			t.Fatal(err)
		}
		return d[n:]
	}
	v := eval([]term{termKinetic, termTrace, termKelly2}, nil)
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: got %.12g, want %.12g", name, got, want)
		}
	}
	check("kinetic", v[0], kin)
	check("exact trace", v[1], -tr)
	check("Kelly K=2", v[2], kelly)
	var hut, fro float64
	for j := 0; j < n; j++ {
		e := make([]float64, n)
		e[j] = 1
		w := eval([]term{termTraceHutch, termFrobenius}, e)
		hut += w[0]
		fro += w[1]
	}
	check("Hutchinson trace over unit probes", hut, -tr)
	check("Hutchinson Frobenius over unit probes", fro, frob)
}

// TestTermGradients: the gradient of a loss on the integrals of every term
// (and on the states) through a solve, by backprop and by the adjoint,
// matches fourth-order finite differences in θ, y0 and the last time
// within 3e-8 relative (Dormand–Prince at tolerance 1e-10; measured for
// both methods ≤ 2.1e-9 on the built-in MLP's fused path with tanh,
// softplus and sin, where Kelly's K = 3, 4 and 5 by Taylor mode join,
// 3.2e-10 on its gorgonia kernel, and 8.0e-9 on a user's Network
// differentiated by internal/grad, where Kelly's K = 3 joins). This is the
// training graph's nested derivative: the terms hold Jacobians of f and
// their gradients need one more derivative.
func TestTermGradients(t *testing.T) {
	all := []term{termKinetic, termFrobenius, termKelly2, termTrace, termTraceHutch}
	for _, c := range []struct {
		name  string
		m     *Model
		terms []term
	}{{"MLP/fused", termModel(t), append(all, kellyTerm(3))}, {"MLP/fused/softplus", termModelAct(t, "softplus"), append(all, kellyTerm(4))},
		{"MLP/fused/sin", termModelAct(t, "sin"), append(all, kellyTerm(5))},
		{"MLP/gorgonia", gorgoniaModel(termModel(t)), all}, {"Network", userTermModel(t), append(all, kellyTerm(3))}} {
		t.Run(c.name, func(t *testing.T) { termGradients(t, c.m, c.terms) })
	}
}

func termGradients(t *testing.T, m *Model, terms []term) {
	B, mt := 2, len(terms)
	y0 := []float64{0.3, -0.8, 0.5, -0.2, 0.4, 0.9}
	off := []float64{0.1, -0.3}
	eps := []float64{0.5, -1.2, 0.3, 1.1, 0.2, -0.7}
	ts := []float64{0, 0.5}
	w := []float64{0.7, -0.4, 0.3, 1.1, -0.6, 0.25, -0.5, 0.9, 0.35, -0.15, 0.45, 0.2, 0.8, -0.3, 0.6, 0.1, 0.05, -0.2}
	cotOf := func(ys [][]float64) ([][]float64, error) {
		c := make([]float64, len(ys[1]))
		copy(c, w[:len(c)])
		return [][]float64{nil, c}, nil
	}
	tEnd := ts[1] // the last time of loss's solves
	loss := func(theta, y []float64) float64 {
		saved := m.Params()
		if err := m.SetParams(theta); err != nil {
			t.Fatal(err)
		}
		defer m.SetParams(saved)
		sys, err := m.system(B, terms, off)
		if err != nil {
			t.Fatal(err)
		}
		checkPath(t, sys)
		sys.setEps(eps)
		z0 := make([]float64, sys.size())
		copy(z0, y)
		ys, err := solveRK(DormandPrince().tab(), sys, z0, []float64{ts[0], tEnd}, Options{RTol: 1e-11, ATol: 1e-11})
		if err != nil {
			t.Fatal(err)
		}
		return dot(ys[1], w[:len(ys[1])])
	}
	for _, method := range []GradMethod{Backprop, Adjoint} {
		r, err := m.grad(B, terms, off, eps, y0, ts, nil, DormandPrince(), Options{RTol: 1e-10, ATol: 1e-10}, method, cotOf)
		if err != nil {
			t.Fatal(err)
		}
		theta := m.Params()
		worst := 0.0
		for _, i := range []int{0, 20, len(theta) / 2, len(theta) - 1} {
			L := func(h float64) float64 {
				th := append([]float64(nil), theta...)
				th[i] += h
				return loss(th, y0)
			}
			fd := (8*(L(1e-3)-L(-1e-3)) - (L(2e-3) - L(-2e-3))) / 12e-3
			worst = math.Max(worst, math.Abs(r.gtheta[i]-fd)/math.Max(math.Abs(fd), 1e-3))
		}
		for _, i := range []int{0, 4} {
			L := func(h float64) float64 {
				y := append([]float64(nil), y0...)
				y[i] += h
				return loss(theta, y)
			}
			fd := (8*(L(1e-3)-L(-1e-3)) - (L(2e-3) - L(-2e-3))) / 12e-3
			worst = math.Max(worst, math.Abs(r.y0bar[i]-fd)/math.Max(math.Abs(fd), 1e-3))
		}
		LT := func(h float64) float64 {
			tEnd = ts[1] + h
			defer func() { tEnd = ts[1] }()
			return loss(theta, y0)
		}
		fd := (8*(LT(1e-3)-LT(-1e-3)) - (LT(2e-3) - LT(-2e-3))) / 12e-3
		worst = math.Max(worst, math.Abs(r.tbar-fd)/math.Max(math.Abs(fd), 1e-3))
		t.Logf("%v: worst relative error %.3g (%d terms per sample; ∂L/∂T %.10g, finite differences %.10g)", method, worst, mt, r.tbar, fd)
		if worst > 3e-8 {
			t.Errorf("%v: gradient through the terms differs from finite differences by %.3g", method, worst)
		}
	}
}

// userTermModel is termModel's shape as a user's Network of gorgonia ops
// (tanh layers of (y, t) with a skip connection), whose derivatives come from
// internal/grad rather than internal/ad's fused MLP.
func userTermModel(t *testing.T) *Model {
	t.Helper()
	net := NetworkFunc(func(g *G.ExprGraph, y, tt *G.Node) (*G.Node, []*G.Node, error) {
		r := rng.New(11)
		param := func(name string, shape ...int) *G.Node {
			n := 1
			for _, v := range shape {
				n *= v
			}
			d := make([]float64, n)
			for i := range d {
				d[i] = 0.5 * r.NormFloat64()
			}
			return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...), G.WithName(name),
				G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))))
		}
		W1, w, b, W2, A := param("W1", 3, 10), param("w", 1, 10), param("b", 1, 10), param("W2", 10, 3), param("A", 3, 3)
		z := G.Must(G.Add(G.Must(G.Mul(y, W1)), G.Must(G.Mul(tt, w))))
		z = G.Must(G.BroadcastAdd(z, b, nil, []byte{0}))
		out := G.Must(G.Add(G.Must(G.Mul(G.Must(G.Tanh(z)), W2)), G.Must(G.Mul(y, A))))
		return out, []*G.Node{W1, w, b, W2, A}, nil
	})
	m, err := NewNetwork(3, net, Config{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKellyHigherOrders checks Kelly's K = 2, 3 and 4 integrands against
// nested finite differences along the flow: y⁽ᵏ⁺¹⁾(y, t) = D y⁽ᵏ⁾ with
// D g = (∂g/∂y)·f + ∂g/∂t approximated by the 4th-order central difference
// of g along the direction (f, 1) (step h = 1e-3 on the Network, whose
// derivatives are large, 1e-2 on the MLPs, whose are small and drown in
// the rounding of three nested differences at 1e-3), on a user's Network
// (derivatives from internal/grad) and on the built-in MLP's fused path
// (Taylor mode) with four activations. Measured agreement, relative: K = 2
// ≤ 1.9e-9, K = 3 (two nested differences) ≤ 1.2e-8, K = 4 (three) ≤
// 4.7e-8; bounds 1e-8, 5e-8 and 2e-7.
func TestKellyHigherOrders(t *testing.T) {
	for _, c := range []struct {
		name string
		m    *Model
		h    float64
	}{{"Network", userTermModel(t), 1e-3}, {"MLP/fused", termModel(t), 1e-2}, {"MLP/fused/sin", termModelAct(t, "sin"), 1e-2},
		{"MLP/fused/softplus", termModelAct(t, "softplus"), 1e-2}, {"MLP/fused/sigmoid", termModelAct(t, "sigmoid"), 1e-2}} {
		t.Run(c.name, func(t *testing.T) { kellyHigherOrders(t, c.m, c.h) })
	}
}

func kellyHigherOrders(t *testing.T, m *Model, h float64) {
	y, tt := []float64{0.3, -0.8, 0.5}, 0.7
	f := func(y []float64, tt float64) []float64 {
		sys, err := m.system(1, nil, []float64{tt})
		if err != nil {
			t.Fatal(err)
		}
		d := make([]float64, 3)
		if err := sys.rhs(0, y, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	// D applied to g, by a 4th-order difference along (f(y, t), 1).
	D := func(g func([]float64, float64) []float64) func([]float64, float64) []float64 {
		return func(y []float64, tt float64) []float64 {
			v := f(y, tt)
			at := func(s float64) []float64 {
				yy := make([]float64, len(y))
				for i := range y {
					yy[i] = y[i] + s*v[i]
				}
				return g(yy, tt+s)
			}
			p1, m1, p2, m2 := at(h), at(-h), at(2*h), at(-2*h)
			out := make([]float64, len(p1))
			for i := range out {
				out[i] = (8*(p1[i]-m1[i]) - (p2[i] - m2[i])) / (12 * h)
			}
			return out
		}
	}
	y2 := D(f)
	y3 := D(y2)
	y4 := D(y3)
	norm2 := func(v []float64) float64 { return dot(v, v) }
	for _, c := range []struct {
		K    int
		want float64
		tol  float64
	}{{2, norm2(y2(y, tt)), 1e-8}, {3, norm2(y3(y, tt)), 5e-8}, {4, norm2(y4(y, tt)), 2e-7}} {
		sys, err := m.system(1, []term{kellyTerm(c.K)}, []float64{tt})
		if err != nil {
			t.Fatal(err)
		}
		checkPath(t, sys)
		d := make([]float64, sys.size())
		if err := sys.rhs(0, append(append([]float64(nil), y...), 0), d); err != nil {
			t.Fatal(err)
		}
		rel := math.Abs(d[3]-c.want) / c.want
		t.Logf("K=%d: ‖dᴷy/dtᴷ‖² = %.10g, finite differences %.10g (relative %.2g)", c.K, d[3], c.want, rel)
		if rel > c.tol {
			t.Errorf("K=%d: %.10g, want %.10g", c.K, d[3], c.want)
		}
	}
}
