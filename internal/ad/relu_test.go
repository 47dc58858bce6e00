package ad

import (
	"math"
	"testing"
)

// TestReLUEval checks σ = max(0, z) and its derivatives, in eval, eval1 and
// eval2, and the name.
func TestReLUEval(t *testing.T) {
	for _, c := range []struct{ z, s0, s1 float64 }{
		{-2.5, 0, 0}, {-1e-300, 0, 0}, {0, 0, 0}, {1e-300, 1e-300, 1}, {3.25, 3.25, 1},
	} {
		s0, s1, s2, s3 := ReLU.eval(c.z)
		if s0 != c.s0 || s1 != c.s1 || s2 != 0 || s3 != 0 {
			t.Errorf("ReLU.eval(%g) = %g %g %g %g, want %g %g 0 0", c.z, s0, s1, s2, s3, c.s0, c.s1)
		}
		a0, a1 := ReLU.eval1(c.z)
		b0, b1, b2 := ReLU.eval2(c.z)
		if a0 != s0 || a1 != s1 || b0 != s0 || b1 != s1 || b2 != 0 {
			t.Errorf("ReLU.eval1/eval2(%g) disagree with eval", c.z)
		}
	}
	if a, err := ParseActivation(" ReLU "); err != nil || a != ReLU || a.String() != "relu" {
		t.Errorf("ParseActivation(ReLU) = %v, %v", a, err)
	}
	// The fused layers' branch-free fill agrees with eval bit for bit,
	// signed zeros, infinities and NaN included.
	z := []float64{-2.5, math.Copysign(0, -1), 0, 1e-300, 3.25, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(), -1e-300}
	s0 := make([]float64, len(z))
	c := newActCache()
	c.fill(ReLU, z, s0)
	for i, zi := range z {
		v, d1, d2, d3 := ReLU.eval(zi)
		if math.Float64bits(s0[i]) != math.Float64bits(v) || c.s1[i] != d1 || c.s2[i] != d2 || c.s3[i] != d3 {
			t.Errorf("fill(%v) = %v %v %v %v, eval %v %v %v %v", zi, s0[i], c.s1[i], c.s2[i], c.s3[i], v, d1, d2, d3)
		}
	}
}

// reluForward is a plain-Go forward pass of a ReLU network with weights w
// (fi×fo, row-major) and biases b; it also returns the smallest |z| over all
// hidden pre-activations (how far the point is from a kink) and how many of
// them are negative.
func reluForward(w, b [][]float64, sizes []int, x []float64) (y []float64, margin float64, off int) {
	margin = math.Inf(1)
	a := x
	for l := range w {
		fi, fo := sizes[l], sizes[l+1]
		z := make([]float64, fo)
		for j := 0; j < fo; j++ {
			s := b[l][j]
			for i := 0; i < fi; i++ {
				s += a[i] * w[l][i*fo+j]
			}
			z[j] = s
		}
		if l+1 < len(w) {
			for j := range z {
				margin = math.Min(margin, math.Abs(z[j]))
				if z[j] < 0 {
					off++
				}
				z[j] = math.Max(0, z[j])
			}
		}
		a = z
	}
	return a, margin, off
}

// TestReLUNetwork checks a ReLU MLP on the fused path against a plain-Go
// forward pass: the output (1e-14), the input gradient against central
// differences of the plain-Go network (exact for a piecewise-linear function
// when no pre-activation changes sign inside the stencil; measured ≤ 3.1e-10
// relative, the rounding of h = 1e-6), a Hessian that is exactly zero, and parameter gradients
// against finite differences (paramTol).
func TestReLUNetwork(t *testing.T) {
	sizes := []int{3, 8, 8, 1}
	const B = 4
	m, r := newNet(t, sizes, ReLU, B, 11)
	x := randVec(12, B*sizes[0], 1.5)
	var w, b [][]float64
	for l := range m.w {
		wd, err := nodeData(m.w[l])
		if err != nil {
			t.Fatal(err)
		}
		bd, err := nodeData(m.b[l])
		if err != nil {
			t.Fatal(err)
		}
		w, b = append(w, wd), append(b, bd)
	}
	y, err := m.Forward(r.x)
	if err != nil {
		t.Fatal(err)
	}
	gx, err := m.InputGrad(r.x)
	if err != nil {
		t.Fatal(err)
	}
	h, err := m.Hessian(r.x)
	if err != nil {
		t.Fatal(err)
	}
	ky, kg, kh := r.read(y), r.read(gx), r.read(h)
	vals := r.run(t, x)
	const step = 1e-6
	off := 0
	for p := 0; p < B; p++ {
		xp := row(x, p, sizes[0])
		want, margin, n := reluForward(w, b, sizes, xp)
		off += n
		if margin < 1e-3 {
			t.Fatalf("point %d lies %g from a kink: the finite differences below need another seed", p, margin)
		}
		if d := math.Abs(vals[ky][p] - want[0]); d > 1e-14*math.Max(1, math.Abs(want[0])) {
			t.Errorf("point %d: output %g, plain Go %g", p, vals[ky][p], want[0])
		}
		f := func(v []float64) []float64 { o, _, _ := reluForward(w, b, sizes, v); return o }
		var fd []float64
		for i := range xp {
			fd = append(fd, fd1(f, xp, i, step)[0])
		}
		if e := relErr(row(vals[kg], p, sizes[0]), fd); e > 1e-9 {
			t.Errorf("point %d: input gradient %v, finite differences %v (rel err %.2g)", p, row(vals[kg], p, sizes[0]), fd, e)
		}
		for _, v := range row(vals[kh], p, sizes[0]*sizes[0]) {
			if v != 0 {
				t.Fatalf("point %d: Hessian of a ReLU network has entry %g, want exactly 0", p, v)
			}
		}
	}
	// Both sides of the kink must be exercised for the test to mean anything.
	if hidden := B * (sizes[1] + sizes[2]); off == 0 || off == hidden {
		t.Fatalf("%d of %d hidden units are off: the test exercises one side of the kink only", off, hidden)
	}
	m2, r2 := newNet(t, sizes, ReLU, B, 11)
	y2, err := m2.Forward(r2.x)
	if err != nil {
		t.Fatal(err)
	}
	loss := sumWeighted(t, r2.g, y2, 13)
	if e := checkParamGrads(t, r2, loss, m2.Params(), x); e > paramTol {
		t.Errorf("ReLU parameter gradients: rel err %.2g > %g", e, paramTol)
	}
}
