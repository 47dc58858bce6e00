package ad

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// setParams overwrites the parameter values of m (W0, b0, W1, b1, ...).
func setParams(t *testing.T, m *MLP, vals ...[]float64) {
	t.Helper()
	for i, p := range m.Params() {
		d, err := nodeData(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(d) != len(vals[i]) {
			t.Fatalf("param %d: %d values for %d", i, len(vals[i]), len(d))
		}
		copy(d, vals[i])
	}
}

// TestQuadraticHessian: f(x) = ½xᵀAx written as a network with σ(z) = z²,
// W0 = Q (eigenvectors of A as columns), W1 = λ/2, zero biases, so
// f = Σ_k (λ_k/2)(q_kᵀx)². Its Hessian is A and its Laplacian trace A at
// every x, exactly up to rounding.
func TestQuadraticHessian(t *testing.T) {
	const n = 4
	r := randVec(5, n*n, 1)
	A := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			A.SetSym(i, j, r[i*n+j])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(A, true) {
		t.Fatal("eigendecomposition failed")
	}
	var Q mat.Dense
	eig.VectorsTo(&Q)
	lam := eig.Values(nil)
	w0 := make([]float64, n*n)
	w1 := make([]float64, n)
	for i := 0; i < n; i++ {
		for k := 0; k < n; k++ {
			w0[i*n+k] = Q.At(i, k)
		}
		w1[i] = lam[i] / 2
	}
	const B = 2
	m, gr := newNet(t, []int{n, n, 1}, square, B, 1)
	setParams(t, m, w0, make([]float64, n), w1, []float64{0})
	h, err := m.Hessian(gr.x)
	if err != nil {
		t.Fatal(err)
	}
	lap, err := m.Laplacian(gr.x, nil)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := m.HessianBlock(gr.x, []int{3, 0}, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	kh, kl, kb := gr.read(h), gr.read(lap), gr.read(hb)
	vals := gr.run(t, randVec(9, B*n, 2))
	var want []float64
	tr := 0.0
	for i := 0; i < n; i++ {
		tr += A.At(i, i)
		for j := 0; j < n; j++ {
			want = append(want, A.At(i, j))
		}
	}
	// Only rounding separates QΛQᵀ from A: 1e-12.
	for b := 0; b < B; b++ {
		if e := relErr(row(vals[kh], b, n*n), want); e > 1e-12 {
			t.Errorf("row %d: Hessian of ½xᵀAx differs from A, rel err %.2g", b, e)
		}
		if e := relErr(vals[kl][b:b+1], []float64{tr}); e > 1e-12 {
			t.Errorf("row %d: Laplacian %g, want trace A = %g", b, vals[kl][b], tr)
		}
		if e := relErr(row(vals[kb], b, 2), []float64{A.At(3, 1), A.At(0, 1)}); e > 1e-12 {
			t.Errorf("row %d: HessianBlock rows {3,0} col {1} = %v", b, row(vals[kb], b, 2))
		}
	}
}

// TestOneLayerTanhHessian: f(x) = Σ_k v_k tanh(w_kᵀx + b_k) + c has
// H = Σ_k v_k tanh″(w_kᵀx + b_k) w_k w_kᵀ; graph and Dense must match it.
func TestOneLayerTanhHessian(t *testing.T) {
	const n, k, B = 3, 5, 2
	m, gr := newNet(t, []int{n, k, 1}, Tanh, B, 3)
	h, err := m.Hessian(gr.x)
	if err != nil {
		t.Fatal(err)
	}
	kh := gr.read(h)
	x := randVec(4, B*n, 1.5)
	got := gr.run(t, x)[kh]
	W, _ := nodeData(m.w[0])
	bias, _ := nodeData(m.b[0])
	v, _ := nodeData(m.w[1])
	d, _ := m.Snapshot()
	for b := 0; b < B; b++ {
		xb := row(x, b, n)
		want := make([]float64, n*n)
		for kk := 0; kk < k; kk++ {
			z := bias[kk]
			for i := 0; i < n; i++ {
				z += W[i*k+kk] * xb[i]
			}
			th := math.Tanh(z)
			t2 := -2 * th * (1 - th*th)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					want[i*n+j] += v[kk] * t2 * W[i*k+kk] * W[j*k+kk]
				}
			}
		}
		if e := relErr(row(got, b, n*n), want); e > 1e-12 {
			t.Errorf("row %d: graph Hessian vs hand formula rel err %.2g", b, e)
		}
		dh := make([]float64, n*n)
		if err := d.Hessian(xb, dh); err != nil {
			t.Fatal(err)
		}
		if e := relErr(dh, want); e > 1e-12 {
			t.Errorf("row %d: Dense Hessian vs hand formula rel err %.2g", b, e)
		}
	}
}

// TestLinearNetwork: with the identity activation f(x) = xW0W1 + c, so the
// Jacobian is (W0W1)ᵀ and the Hessian is exactly zero.
func TestLinearNetwork(t *testing.T) {
	m, gr := newNet(t, []int{3, 4, 2}, Identity, 2, 8)
	j, err := m.Jacobian(gr.x)
	if err != nil {
		t.Fatal(err)
	}
	kj := gr.read(j)
	got := gr.run(t, randVec(1, 6, 1))[kj]
	W0, _ := nodeData(m.w[0])
	W1, _ := nodeData(m.w[1])
	for b := 0; b < 2; b++ {
		want := make([]float64, 2*3)
		for o := 0; o < 2; o++ {
			for i := 0; i < 3; i++ {
				for k := 0; k < 4; k++ {
					want[o*3+i] += W0[i*4+k] * W1[k*2+o]
				}
			}
		}
		if e := relErr(row(got, b, 6), want); e > 1e-13 {
			t.Errorf("Jacobian of a linear net rel err %.2g", e)
		}
	}
	m2, gr2 := newNet(t, []int{3, 4, 1}, Identity, 2, 8)
	h, err := m2.Hessian(gr2.x)
	if err != nil {
		t.Fatal(err)
	}
	kh := gr2.read(h)
	for _, v := range gr2.run(t, randVec(1, 6, 1))[kh] {
		if v != 0 {
			t.Fatalf("Hessian of a linear net has entry %g", v)
		}
	}
}

// TestActivationDerivatives checks σ′, σ″, σ‴ of every activation (float64
// versions) against 4th-order differences of the one below, and the names.
func TestActivationDerivatives(t *testing.T) {
	for _, a := range append(allActs, square) {
		for _, z := range []float64{-3, -0.4, 0, 0.3, 2.5} {
			f := func(k int) func([]float64) []float64 {
				return func(x []float64) []float64 {
					s := [4]float64{}
					s[0], s[1], s[2], s[3] = a.eval(x[0])
					return []float64{s[k]}
				}
			}
			_, s1, s2, s3 := a.eval(z)
			for k, want := range []float64{s1, s2, s3} {
				got := fd1(f(k), []float64{z}, 0, 1e-3)[0]
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%v: derivative %d at %g: formula %g, finite difference %g", a, k+1, z, want, got)
				}
			}
		}
		if a == square {
			continue
		}
		p, err := ParseActivation(strings.ToUpper(a.String()))
		if err != nil || p != a {
			t.Errorf("ParseActivation(%q) = %v, %v", a.String(), p, err)
		}
	}
	if _, err := ParseActivation("gelu"); err == nil || !strings.Contains(err.Error(), "gelu") {
		t.Errorf("ParseActivation(gelu) error = %v", err)
	}
	if sp := softplus(800); sp != 800 {
		t.Errorf("softplus(800) = %g, want 800 without overflow", sp)
	}
}

// TestGraphActivationsMatchFloat checks the graph expressions σ..σ‴ against
// the float64 ones.
func TestGraphActivationsMatchFloat(t *testing.T) {
	zs := []float64{-3, -0.4, 0, 0.3, 2.5, 1}
	for _, a := range append(allActs, square) {
		g := G.NewGraph()
		z := G.NewMatrix(g, G.Float64, G.WithShape(2, 3), G.WithName("z"), G.WithValue(matrixValue(2, 3, zs)))
		b := &builder{g: g}
		d := b.activate(a, z, 3)
		if b.err != nil {
			t.Fatal(b.err)
		}
		var vals [4]G.Value
		for k, n := range []*G.Node{d.S0, d.S1, d.S2, d.S3} {
			switch {
			case n == nil:
			case n.Graph() == nil: // a free scalar constant
				vals[k] = n.Value()
			default:
				G.Read(n, &vals[k])
			}
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		for i, zi := range zs {
			var w [4]float64
			w[0], w[1], w[2], w[3] = a.eval(zi)
			for k := 0; k < 4; k++ {
				var got float64
				switch {
				case vals[k] == nil && k == 1:
					got = 1 // nil σ′ means one
				case vals[k] == nil:
					got = 0 // nil σ″, σ‴ mean zero
				default:
					switch v := vals[k].Data().(type) {
					case []float64:
						got = v[i]
					case float64:
						got = v
					}
				}
				if math.Abs(got-w[k]) > 1e-14*math.Max(1, math.Abs(w[k])) {
					t.Errorf("%v: graph σ^(%d)(%g) = %g, float %g", a, k, zi, got, w[k])
				}
			}
		}
		vm.Close()
	}
}
