package conv

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// runPool returns op(x) and ∂/∂x of Σ c ⊙ op(x)².
func runPool(t *testing.T, dt tensor.Dtype, x []float64, shape []int, c []float64, op func(*G.Node) (*G.Node, error)) ([]float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	xn := node(g, "x", dt, x, shape...)
	y, err := op(xn)
	if err != nil {
		t.Fatal(err)
	}
	cn := node(g, "c", dt, c, y.Shape()...)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(y)), cn))))
	var yv G.Value
	G.Read(y, &yv)
	if _, err := G.Grad(loss, xn); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	gv, err := xn.Grad()
	if err != nil {
		t.Fatal(err)
	}
	return floats(t, yv), floats(t, gv)
}

// cse is a pool for TestPoolsAgainstDefinition.
type cse struct {
	name   string
	op     func(*G.Node) (*G.Node, error)
	ref    func(x []float64) ([]float64, []int) // output, source of each output (−1: mean)
	n      int
	outLen int
}

// TestPoolsAgainstDefinition checks AxisPool (max and mean, a middle axis
// and a last axis) and MaxPool2D (with leftover rows) against loops, and
// their gradients against the exact derivative of Σ c·y² (the pools are
// linear once the maximum's position is fixed, so 2·c·y goes to that
// position), in float64 and float32.
func TestPoolsAgainstDefinition(t *testing.T) {
	r := rng.New(9)
	const B, C, N, H, W = 2, 3, 4, 5, 7
	x := randn(r, B*C*N*H*W)
	axis := func(n, inner int, mean bool) func(x []float64) ([]float64, []int) {
		return func(x []float64) ([]float64, []int) {
			outer := len(x) / (n * inner)
			y := make([]float64, outer*inner)
			src := make([]int, len(y))
			for o := 0; o < outer; o++ {
				for i := 0; i < inner; i++ {
					best, sum := o*n*inner+i, 0.0
					for k := 0; k < n; k++ {
						p := (o*n+k)*inner + i
						sum += x[p]
						if x[p] > x[best] {
							best = p
						}
					}
					if mean {
						y[o*inner+i], src[o*inner+i] = sum/float64(n), -1
					} else {
						y[o*inner+i], src[o*inner+i] = x[best], best
					}
				}
			}
			return y, src
		}
	}
	pool2 := func(x []float64) ([]float64, []int) {
		const k, oh, ow = 2, H / 2, W / 2
		var y []float64
		var src []int
		for m := 0; m < B*C*N; m++ {
			for i := 0; i < oh; i++ {
				for j := 0; j < ow; j++ {
					best := m*H*W + i*k*W + j*k
					for a := 0; a < k; a++ {
						for b := 0; b < k; b++ {
							if p := m*H*W + (i*k+a)*W + j*k + b; x[p] > x[best] {
								best = p
							}
						}
					}
					y, src = append(y, x[best]), append(src, best)
				}
			}
		}
		return y, src
	}
	cases := []cse{
		{"group max", func(x *G.Node) (*G.Node, error) { return AxisPool(x, N, H*W, false, B, C, H, W) }, axis(N, H*W, false), N, B * C * H * W},
		{"group mean", func(x *G.Node) (*G.Node, error) { return AxisPool(x, N, H*W, true, B, C, H, W) }, axis(N, H*W, true), N, B * C * H * W},
		{"global max", func(x *G.Node) (*G.Node, error) { return AxisPool(x, H*W, 1, false, B, C*N) }, axis(H*W, 1, false), H * W, B * C * N},
		{"global mean", func(x *G.Node) (*G.Node, error) { return AxisPool(x, H*W, 1, true, B, C*N) }, axis(H*W, 1, true), H * W, B * C * N},
		{"max-pool 2×2", func(x *G.Node) (*G.Node, error) { return MaxPool2D(x, 2) }, pool2, 0, B * C * N * (H / 2) * (W / 2)},
	}
	// Rounded to integers, many windows hold ties: the gradient goes to
	// the first largest value.
	xr := make([]float64, len(x))
	for i, v := range x {
		xr[i] = math.Round(v)
	}
	for _, x := range [][]float64{x, xr} {
		testPools(t, r, x, cases)
	}
}

// testPools runs the pools of cases on x against their references.
func testPools(t *testing.T, r *rand.Rand, x []float64, cases []cse) {
	const B, C, N, H, W = 2, 3, 4, 5, 7
	for _, k := range cases {
		c := randn(r, k.outLen)
		want, src := k.ref(x)
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			y, dx := runPool(t, dt, x, []int{B, C * N, H, W}, c, k.op)
			wantDx := make([]float64, len(x))
			for o, s := range src {
				if s >= 0 {
					wantDx[s] += 2 * c[o] * want[o]
				}
			}
			if src[0] < 0 {
				// mean: ∂x[p] = 2·c[o]·y[o]/n for each p in the run of o.
				inner := H * W
				if k.n == H*W {
					inner = 1
				}
				for o := range want {
					outer, i := o/inner, o%inner
					for kk := 0; kk < k.n; kk++ {
						wantDx[(outer*k.n+kk)*inner+i] = 2 * c[o] * want[o] / float64(k.n)
					}
				}
			}
			// float64 measured ≤ 4.4e-16; float32 ≤ 5e-7.
			tol := 1e-14
			if dt == tensor.Float32 {
				tol = 5e-6
			}
			if d := maxAbsDiff(y, want); d > tol {
				t.Errorf("%s %v: values differ by %.2g", k.name, dt, d)
			}
			if d := maxAbsDiff(dx, wantDx); d > tol*10 {
				t.Errorf("%s %v: gradient differs by %.2g", k.name, dt, d)
			}
		}
	}
	if _, err := MaxPool2D(nil, 2); err == nil {
		t.Error("nil input accepted")
	}
	g := G.NewGraph()
	xn := node(g, "x", tensor.Float64, x, B, C*N, H, W)
	if _, err := MaxPool2D(xn, 6); err == nil {
		t.Error("window larger than the maps accepted")
	}
	if _, err := AxisPool(xn, 7, 3, true, 10); err == nil {
		t.Error("runs that do not divide accepted")
	}
}

// TestCastGradient: a float64 parameter cast to float32, convolved and cast
// back gets the float64 run's gradient to float32 rounding.
func TestCastGradient(t *testing.T) {
	r := rng.New(10)
	x := randn(r, 2*2*5*5)
	w := randn(r, 3*2*3*3)
	c := randn(r, 2*3*3*3)
	run := func(mixed bool) []float64 {
		g := G.NewGraph()
		dt := tensor.Float64
		if mixed {
			dt = tensor.Float32
		}
		xn := node(g, "x", dt, x, 2, 2, 5, 5)
		wn := node(g, "w", tensor.Float64, w, 3, 2, 3, 3)
		wc, err := Cast(wn, dt)
		if err != nil {
			t.Fatal(err)
		}
		y, err := Conv2D(xn, wc, nil, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if y, err = Cast(y, tensor.Float64); err != nil {
			t.Fatal(err)
		}
		cn := node(g, "c", tensor.Float64, c, 2, 3, 3, 3)
		loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(y)), cn))))
		if _, err := G.Grad(loss, wn); err != nil {
			t.Fatal(err)
		}
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		gv, _ := wn.Grad()
		if gv.Dtype() != tensor.Float64 {
			t.Fatalf("gradient dtype %v", gv.Dtype())
		}
		return floats(t, gv)
	}
	// Measured 1.5e-5 on gradients of order 100.
	if d := maxAbsDiff(run(true), run(false)); d > 5e-5 {
		t.Errorf("mixed-precision gradient differs by %.2g", d)
	}
	if _, err := Cast(nil, tensor.Float32); err == nil {
		t.Error("nil input accepted")
	}
}

// TestReLU: values and gradient against the definition (the gradient of
// Σ c·y² is 2·c·y where x > 0), in float64 and float32.
func TestReLU(t *testing.T) {
	r := rng.New(13)
	x := randn(r, 2*3*4*5)
	c := randn(r, len(x))
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		y, dx := runPool(t, dt, x, []int{2, 3, 4, 5}, c, ReLU)
		for i, v := range x {
			want, wantDx := 0.0, 0.0
			if v > 0 {
				want, wantDx = v, 2*c[i]*v
			}
			// Exact in float64; float32 rounds x (and 2·c·x) once.
			if d := y[i] - want; d > 1e-6 || d < -1e-6 {
				t.Fatalf("%v: ReLU(%g) = %g", dt, v, y[i])
			}
			if d := dx[i] - wantDx; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%v: gradient at %g is %g, want %g", dt, v, dx[i], wantDx)
			}
		}
	}
}

// TestReLUBits checks relu32, maskGrad32 and biasReLU32 (assembly for
// whole groups of eight where the CPU has AVX2) against their bit rules
// one value at a time, on special values (±0, ±Inf, NaNs of both signs,
// subnormals) and random ones, at lengths that leave a tail.
func TestReLUBits(t *testing.T) {
	r := rng.New(14)
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.Float32frombits(0x7fc00001), math.Float32frombits(0xffc00001), 1e-45, -1e-45, 3, -3}
	for _, n := range []int{0, 5, 8, 29, 64} {
		x := make([]float32, n)
		g := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64())
			if i%3 == 0 {
				x[i] = special[r.IntN(len(special))]
			}
			g[i] = float32(r.NormFloat64())
		}
		y := make([]float32, n)
		relu32(y, x)
		dx := make([]float32, n)
		maskGrad32(dx, y, g)
		for i, v := range x {
			b := math.Float32bits(v)
			want := b &^ uint32(int32(b)>>31)
			if math.Float32bits(y[i]) != want {
				t.Errorf("n=%d: relu32(%v) has bits %#x, want %#x", n, v, math.Float32bits(y[i]), want)
			}
			m := uint32(int32(-want) >> 31)
			if math.Float32bits(dx[i]) != math.Float32bits(g[i])&m {
				t.Errorf("n=%d: maskGrad32 at y=%v gives %v, want %v", n, y[i], dx[i], math.Float32frombits(math.Float32bits(g[i])&m))
			}
		}
		// biasReLU32: x + b in float32, then the ReLU's bits.
		b := float32(r.NormFloat64())
		for _, relu := range []bool{false, true} {
			biasReLU32(y, x, b, relu)
			for i, v := range x {
				want := math.Float32bits(v + b)
				if relu {
					want &^= uint32(int32(want) >> 31)
				}
				if math.Float32bits(y[i]) != want {
					t.Errorf("n=%d relu=%t: biasReLU32(%v + %v) has bits %#x, want %#x", n, relu, v, b, math.Float32bits(y[i]), want)
				}
			}
		}
	}
}
