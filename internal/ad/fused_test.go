package ad

import (
	"runtime"
	"testing"

	G "gorgonia.org/gorgonia"
)

// derivLoss builds a random weighted sum of every derivative of m at r.x,
// with the fused methods or the reference ones (gorgonia's own ops).
func derivLoss(t *testing.T, m *MLP, r *graphRun, ref bool) (*G.Node, []*G.Node) {
	t.Helper()
	must := func(n *G.Node, err error) *G.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	in := m.In()
	var terms []*G.Node
	if ref {
		terms = append(terms,
			must(m.refInputGrad(r.x)), must(m.refHessian(r.x)),
			must(m.refHessianBlock(r.x, []int{in - 1, 0}, []int{1})),
			must(m.refLaplacian(r.x, []int{0, in - 1})))
		d, err := m.refDerivatives(r.x, []int{1, 0})
		if err != nil {
			t.Fatal(err)
		}
		terms = append(terms, d.Value, d.First[0], d.First[in-1], d.Second[0], d.Second[1])
	} else {
		terms = append(terms,
			must(m.InputGrad(r.x)), must(m.Hessian(r.x)),
			must(m.HessianBlock(r.x, []int{in - 1, 0}, []int{1})),
			must(m.Laplacian(r.x, []int{0, in - 1})))
		d, err := m.Derivatives(r.x, []int{1, 0})
		if err != nil {
			t.Fatal(err)
		}
		terms = append(terms, d.Value, d.First[0], d.First[in-1], d.Second[0], d.Second[1])
	}
	for k := range terms {
		terms[k] = sumWeighted(t, r.g, terms[k], uint64(k)+500)
	}
	loss := addAll(t, terms...)
	grads, err := G.Grad(loss, m.Params()...)
	if err != nil {
		t.Fatal(err)
	}
	return loss, grads
}

// TestFusedMatchesReference: the fused ops and the reference graph of
// gorgonia's own ops give the same loss and parameter gradients, at a batch
// of 300 rows (above the 256 where gorgonia's slice hashing goes wrong), and
// again after a second run with new inputs (the fused ops reuse buffers).
func TestFusedMatchesReference(t *testing.T) {
	const B = 300
	for _, act := range []Activation{Tanh, Softplus, Sin} {
		sizes := []int{3, 7, 5, 1}
		mf, rf := newNet(t, sizes, act, B, 31)
		mr, rr := newNet(t, sizes, act, B, 31)
		lf, gf := derivLoss(t, mf, rf, false)
		lr, gr := derivLoss(t, mr, rr, true)
		for _, n := range append([]*G.Node{lf}, gf...) {
			rf.read(n)
		}
		for _, n := range append([]*G.Node{lr}, gr...) {
			rr.read(n)
		}
		for run, seed := range []uint64{1, 2} {
			x := randVec(seed, B*3, 1.3)
			vf, vr := rf.run(t, x), rr.run(t, x)
			for k := range vf {
				// Same maths in a different order: agreement to rounding.
				if e := relErr(vf[k], vr[k]); e > 1e-11 {
					t.Errorf("%v run %d: output %d (loss, then gradients) fused vs reference rel err %.2g", act, run, k, e)
				}
			}
		}
	}
}

// TestRerunAndSharedPasses: values stay right over repeated runs with new
// inputs (fused ops reuse their buffers, activation caches refill), and the
// LNN pattern HessianBlock(q̇,q̇), HessianBlock(q̇,q), InputGrad shares one
// forward-over-reverse pass.
func TestRerunAndSharedPasses(t *testing.T) {
	const B = 5
	m, r := newNet(t, []int{4, 6, 6, 1}, Softplus, B, 17)
	M, err := m.HessianBlock(r.x, []int{2, 3}, []int{2, 3})
	if err != nil {
		t.Fatal(err)
	}
	C, err := m.HessianBlock(r.x, []int{2, 3}, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	gr, err := m.InputGrad(r.x)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.revCache[r.x]); n != 1 {
		t.Errorf("LNN pattern built %d forward-over-reverse passes, want 1", n)
	}
	kM, kC, kg := r.read(M), r.read(C), r.read(gr)
	d, _ := m.Snapshot()
	for run := 0; run < 3; run++ {
		x := randVec(uint64(run)+40, B*4, 1)
		vals := r.run(t, x)
		for b := 0; b < B; b++ {
			xb := row(x, b, 4)
			h := make([]float64, 16)
			g := make([]float64, 4)
			_ = d.Hessian(xb, h)
			_ = d.InputGrad(xb, g)
			wantM := []float64{h[2*4+2], h[2*4+3], h[3*4+2], h[3*4+3]}
			wantC := []float64{h[2*4+0], h[2*4+1], h[3*4+0], h[3*4+1]}
			if e := relErr(row(vals[kM], b, 4), wantM); e > 1e-12 {
				t.Errorf("run %d row %d: M rel err %.2g", run, b, e)
			}
			if e := relErr(row(vals[kC], b, 4), wantC); e > 1e-12 {
				t.Errorf("run %d row %d: C rel err %.2g", run, b, e)
			}
			if e := relErr(row(vals[kg], b, 4), g); e > 1e-12 {
				t.Errorf("run %d row %d: InputGrad rel err %.2g", run, b, e)
			}
		}
	}
}

// TestHessianBlockShortRows: a block with fewer rows than columns is built
// from tangents along the rows (by symmetry); values against Dense and
// parameter gradients against finite differences.
func TestHessianBlockShortRows(t *testing.T) {
	const B = 3
	m, r := newNet(t, []int{4, 5, 5, 1}, Tanh, B, 51)
	h, err := m.HessianBlock(r.x, []int{3, 1}, []int{0, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if e := m.revCache[r.x]; len(e) != 1 || len(e[0].cols) != 2 {
		t.Fatalf("pass tangents %v, want the two rows", e[0].cols)
	}
	kh := r.read(h)
	x := randVec(52, B*4, 1)
	got := r.run(t, x)[kh]
	d, _ := m.Snapshot()
	for b := 0; b < B; b++ {
		H := make([]float64, 16)
		_ = d.Hessian(row(x, b, 4), H)
		want := append(append([]float64{}, H[12:16]...), H[4:8]...)
		if e := relErr(row(got, b, 8), want); e > 1e-12 {
			t.Errorf("row %d: rel err %.2g", b, e)
		}
	}
	e := checkParamGrads(t, r, sumWeighted(t, r.g, h, 9), m.Params()[:len(m.Params())-1], x)
	if e > paramTol {
		t.Errorf("parameter gradient rel err %.2g", e)
	}
}

// TestGradWRTInputs: G.Grad of a loss built from derivatives with respect to
// the input x itself (a leaf), against finite differences in x.
func TestGradWRTInputs(t *testing.T) {
	const B = 3
	for _, act := range []Activation{Tanh, Softplus} {
		for name, build := range map[string]func(m *MLP, x *G.Node) (*G.Node, error){
			"Forward":   func(m *MLP, x *G.Node) (*G.Node, error) { return m.Forward(x) },
			"InputGrad": func(m *MLP, x *G.Node) (*G.Node, error) { return m.InputGrad(x) },
			"Hessian":   func(m *MLP, x *G.Node) (*G.Node, error) { return m.Hessian(x) },
			"Laplacian": func(m *MLP, x *G.Node) (*G.Node, error) { return m.Laplacian(x, nil) },
			"Derivatives.Second": func(m *MLP, x *G.Node) (*G.Node, error) {
				d, err := m.Derivatives(x, []int{1})
				if err != nil {
					return nil, err
				}
				return d.Second[0], nil
			},
		} {
			g := G.NewGraph()
			m, err := NewMLP(g, "f", []int{3, 5, 4, 1}, act, 61)
			if err != nil {
				t.Fatal(err)
			}
			randomizeBiases(t, m, 62)
			x := leaf(g, "x", B, 3, 63, 1)
			y, err := build(m, x)
			if err != nil {
				t.Fatal(err)
			}
			if e := checkOpGrads(t, g, y, []*G.Node{x}); e > paramTol {
				t.Errorf("%v %s: gradient in x rel err %.2g", act, name, e)
			}
		}
	}
}

// TestSameSeedSameResult: identical training graphs (same seed, a
// Hessian-based loss, three Adam steps) give bit-identical losses, run
// twice with GOMAXPROCS=2 and once with GOMAXPROCS=1: the parallel GEMM and
// the buffer reuse keep the arithmetic order fixed.
func TestSameSeedSameResult(t *testing.T) {
	run := func() []float64 {
		const B = 256 // (4·256)×64×64 products: above parallelMin
		g := G.NewGraph()
		m, err := NewMLP(g, "f", []int{3, 64, 64, 1}, Tanh, 5)
		if err != nil {
			t.Fatal(err)
		}
		x := G.NewConstant(matrixValue(B, 3, randVec(6, B*3, 1)), G.In(g))
		h, err := m.Hessian(x)
		if err != nil {
			t.Fatal(err)
		}
		d, err := m.Derivatives(x, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		loss := addAll(t, sumWeighted(t, g, h, 1), sumWeighted(t, g, d.Second[0], 2), sumWeighted(t, g, d.Value, 3))
		if _, err := G.Grad(loss, m.Params()...); err != nil {
			t.Fatal(err)
		}
		var lv G.Value
		G.Read(loss, &lv)
		vm := G.NewTapeMachine(g, G.BindDualValues(m.Params()...))
		defer vm.Close()
		solver := G.NewAdamSolver(G.WithLearnRate(1e-3))
		var out []float64
		for i := 0; i < 3; i++ {
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			out = append(out, lv.Data().(float64))
			if err := solver.Step(G.NodesToValueGrads(m.Params())); err != nil {
				t.Fatal(err)
			}
			vm.Reset()
		}
		return out
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	a, b := run(), run()
	runtime.GOMAXPROCS(1)
	c := run()
	for i := range a {
		if a[i] != b[i] || a[i] != c[i] {
			t.Fatalf("step %d: losses %v, %v (GOMAXPROCS=2) and %v (GOMAXPROCS=1) differ", i, a[i], b[i], c[i])
		}
	}
	if a[0] == a[2] {
		t.Fatalf("loss did not change over three Adam steps: %v", a)
	}
}
