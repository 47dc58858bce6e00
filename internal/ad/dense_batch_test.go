package ad

import (
	"math"
	"sync"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// randomDense returns a Dense of the given sizes and activation with
// Glorot-scaled uniform weights and U(−0.5, 0.5) biases.
func randomDense(t testing.TB, sizes []int, act Activation, seed uint64) *Dense {
	t.Helper()
	r := rng.New(seed)
	var w, b [][]float64
	for l := 0; l+1 < len(sizes); l++ {
		s := math.Sqrt(6 / float64(sizes[l]+sizes[l+1]))
		wl := make([]float64, sizes[l]*sizes[l+1])
		for i := range wl {
			wl[i] = s * (2*r.Float64() - 1)
		}
		bl := make([]float64, sizes[l+1])
		for i := range bl {
			bl[i] = r.Float64() - 0.5
		}
		w, b = append(w, wl), append(b, bl)
	}
	d, err := NewDense(sizes, act, w, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// batchShapes cover: no hidden layer; narrow layers (the direct products);
// widths that reach the packed GEMM kernel at one point (4-64-64-1, the
// LNN's Lagrangian) and at a batch (2-200-200, the HNN's); vector outputs;
// a one-dimensional input.
var batchShapes = [][]int{
	{3, 1}, {1, 3, 1}, {3, 5, 1}, {2, 7, 6, 1}, {4, 4, 3, 5, 1},
	{4, 64, 64, 1}, {2, 200, 200, 1}, {3, 2}, {3, 6, 5, 3}, {2, 40, 33, 4}, {6, 1},
}

// TestDenseBatchMatchesSingle: every batched method, and the one-point
// methods (which run the batched pass on one point), against the plain
// one-point loops of dense_reference_test.go, for every activation, at batches of 1, 3 and
// one that spans several chunks (run on parallel goroutines).
// Measured: worst relative difference 1.8e-15 (rounding of products run in
// another order).
func TestDenseBatchMatchesSingle(t *testing.T) {
	acts := append([]Activation{square}, allActs...)
	for si, sizes := range batchShapes {
		for ai, act := range acts {
			d := randomDense(t, sizes, act, uint64(100*si+ai))
			in, out := d.In(), d.Out()
			big := 2*denseChunkBudget/d.perPoint(passHessian) + 3
			for _, B := range []int{1, 3, big} {
				x := randVec(uint64(7*si+ai+B), B*in, 1.5)
				y, err := d.ForwardBatch(nil, x)
				if err != nil {
					t.Fatal(err)
				}
				yj, jac, err := d.JacobianBatch(nil, nil, x)
				if err != nil {
					t.Fatal(err)
				}
				// The one-point results of the whole batch, compared as
				// arrays (relative to their largest entry).
				wy := make([]float64, B*out)
				for b := 0; b < B; b++ {
					if err := d.refForwardPoint(x[b*in:(b+1)*in], wy[b*out:(b+1)*out]); err != nil {
						t.Fatal(err)
					}
				}
				worst := math.Max(relErr(y, wy), relErr(yj, wy))
				// The one-point methods, point by point.
				py := make([]float64, B*out)
				var pg, ph []float64
				if out == 1 {
					pg, ph = make([]float64, B*in), make([]float64, B*in*in)
				}
				for b := 0; b < B; b++ {
					xb := x[b*in : (b+1)*in]
					if err := d.Forward(xb, py[b*out:(b+1)*out]); err != nil {
						t.Fatal(err)
					}
					if out == 1 {
						if err := d.InputGrad(xb, pg[b*in:(b+1)*in]); err != nil {
							t.Fatal(err)
						}
						if err := d.Hessian(xb, ph[b*in*in:(b+1)*in*in]); err != nil {
							t.Fatal(err)
						}
					}
				}
				worst = math.Max(worst, relErr(py, wy))
				if out == 1 {
					g, err := d.InputGradBatch(nil, x)
					if err != nil {
						t.Fatal(err)
					}
					gh, h, err := d.HessianBatch(nil, nil, x)
					if err != nil {
						t.Fatal(err)
					}
					wg, wh := make([]float64, B*in), make([]float64, B*in*in)
					for b := 0; b < B; b++ {
						xb := x[b*in : (b+1)*in]
						if err := d.refInputGradPoint(xb, wg[b*in:(b+1)*in]); err != nil {
							t.Fatal(err)
						}
						if err := d.refHessianPoint(xb, wh[b*in*in:(b+1)*in*in]); err != nil {
							t.Fatal(err)
						}
					}
					for _, e := range []float64{relErr(g, wg), relErr(gh, wg), relErr(jac, wg), relErr(h, wh), relErr(pg, wg), relErr(ph, wh)} {
						worst = math.Max(worst, e)
					}
				}
				if worst > 1e-13 {
					t.Errorf("%s B=%d: batched vs one-point rel err %.2g > 1e-13", name(sizes, act), B, worst)
				}
			}
		}
	}
}

// TestDenseBatchFiniteDifferences: the batched Jacobian against 4th-order
// central differences of the batched forward pass, and the batched Hessian
// against those of the batched gradient, at h = 1e-3. Measured: worst
// relative error 2.6e-10 (truncation h⁴f⁽⁵⁾/30 and rounding ε/h).
func TestDenseBatchFiniteDifferences(t *testing.T) {
	for si, sizes := range batchShapes {
		for _, act := range []Activation{Tanh, Softplus, Sin} {
			d := randomDense(t, sizes, act, uint64(31+si))
			in, out := d.In(), d.Out()
			const B = 3
			x := randVec(uint64(5+si), B*in, 1)
			_, jac, err := d.JacobianBatch(nil, nil, x)
			if err != nil {
				t.Fatal(err)
			}
			var hess []float64
			if out == 1 {
				if _, hess, err = d.HessianBatch(nil, nil, x); err != nil {
					t.Fatal(err)
				}
			}
			fwd := func(v []float64) []float64 { y, _ := d.ForwardBatch(nil, v); return y }
			grad := func(v []float64) []float64 { g, _ := d.InputGradBatch(nil, v); return g }
			var worst float64
			for b := 0; b < B; b++ {
				for i := 0; i < in; i++ {
					k := b*in + i
					dy := fd1(fwd, x, k, 1e-3) // ∂y/∂x_k for all outputs of all points
					for j := 0; j < out; j++ {
						worst = math.Max(worst, relErr([]float64{jac[(b*out+j)*in+i]}, []float64{dy[b*out+j]}))
					}
					if out == 1 {
						dg := fd1(grad, x, k, 1e-3)
						got := make([]float64, in)
						for r := range got {
							got[r] = hess[b*in*in+r*in+i]
						}
						worst = math.Max(worst, relErr(got, dg[b*in:(b+1)*in]))
					}
				}
			}
			if worst > 1e-8 {
				t.Errorf("%s: batched derivatives vs finite differences rel err %.2g > 1e-8", name(sizes, act), worst)
			}
		}
	}
}

// TestDenseBatchConcurrent: one Dense serves concurrent callers (run with
// -race), each getting the bits a lone call gets.
func TestDenseBatchConcurrent(t *testing.T) {
	d := randomDense(t, []int{4, 64, 64, 1}, Softplus, 3)
	B := 2*denseChunkBudget/d.perPoint(passHessian) + 5
	x := randVec(9, B*4, 1)
	wg, wh, err := d.HessianBatch(nil, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	var w sync.WaitGroup
	errs := make([]float64, 6)
	for k := range errs {
		w.Add(1)
		go func() {
			defer w.Done()
			for range 3 {
				g, h, err := d.HessianBatch(nil, nil, x)
				if err != nil {
					errs[k] = math.Inf(1)
					return
				}
				errs[k] = math.Max(errs[k], math.Max(maxAbsDiff(g, wg), maxAbsDiff(h, wh)))
			}
		}()
	}
	w.Wait()
	for k, e := range errs {
		if e != 0 {
			t.Errorf("goroutine %d: results differ from a lone call by %.2g", k, e)
		}
	}
}

func maxAbsDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// TestDenseBatchNoAllocs: with the caller's buffers, a warm batched call
// allocates nothing of its own (rollouts call it at every stage). The
// network is small enough that every product is a direct one: the packed
// GEMM (gemm.go) allocates four small objects a call of its own.
func TestDenseBatchNoAllocs(t *testing.T) {
	if denseRace {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	d := randomDense(t, []int{4, 16, 16, 1}, Softplus, 4)
	x := randVec(1, 4, 1)
	g, h, y := make([]float64, 4), make([]float64, 16), make([]float64, 1)
	jac := make([]float64, 4)
	allocs := testing.AllocsPerRun(20, func() {
		_, _, _ = d.HessianBatch(g, h, x)
		_, _ = d.InputGradBatch(g, x)
		_, _ = d.ForwardBatch(y, x)
		_, _, _ = d.JacobianBatch(y, jac, x)
	})
	if allocs != 0 {
		t.Errorf("batched calls allocate %v times a run, want 0", allocs)
	}
}

// TestDenseBatchErrors: bad arguments are errors, an empty batch is not.
func TestDenseBatchErrors(t *testing.T) {
	d := randomDense(t, []int{3, 4, 1}, Tanh, 1)
	v := randomDense(t, []int{3, 4, 2}, Tanh, 1)
	var zero Dense
	x := make([]float64, 6)
	cases := []struct {
		name string
		err  error
	}{
		{"nil Dense", func() error { _, err := (*Dense)(nil).ForwardBatch(nil, x); return err }()},
		{"zero Dense", func() error { _, _, err := zero.HessianBatch(nil, nil, x); return err }()},
		{"partial point", func() error { _, err := d.ForwardBatch(nil, x[:5]); return err }()},
		{"short dst", func() error { _, err := d.ForwardBatch(make([]float64, 1), x); return err }()},
		{"long grad", func() error { _, err := d.InputGradBatch(make([]float64, 7), x); return err }()},
		{"short hess", func() error { _, _, err := d.HessianBatch(nil, make([]float64, 17), x); return err }()},
		{"short jac", func() error { _, _, err := v.JacobianBatch(nil, make([]float64, 11), x); return err }()},
		{"gradient of a vector", func() error { _, err := v.InputGradBatch(nil, x); return err }()},
		{"Hessian of a vector", func() error { _, _, err := v.HessianBatch(nil, nil, x); return err }()},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	y, err := d.ForwardBatch(nil, nil)
	if err != nil || len(y) != 0 {
		t.Errorf("empty batch: got %v, %v; want an empty result and no error", y, err)
	}
}
