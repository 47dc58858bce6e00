package ad

import (
	"slices"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
)

// Tolerance for every input derivative against 4th-order central finite
// differences (issue 3). With h = 1e-3 (first) and 4e-3 (second derivatives
// of f) the stencil's truncation error is ≲ 1e-10 and rounding ≲ 1e-11 for
// these O(1) networks, so 1e-6 leaves a wide margin yet catches any wrong term.
const derivTol = 1e-6

const batch = 3

// denseFunc returns x ↦ f(x) from the plain-Go evaluator (itself checked
// against the graph in TestSnapshotMatchesGraph).
func denseFunc(t *testing.T, d *Dense) func([]float64) []float64 {
	return func(x []float64) []float64 {
		y := make([]float64, d.Out())
		if err := d.Forward(x, y); err != nil {
			t.Fatal(err)
		}
		return y
	}
}

func denseGrad(t *testing.T, d *Dense) func([]float64) []float64 {
	return func(x []float64) []float64 {
		g := make([]float64, d.In())
		if err := d.InputGrad(x, g); err != nil {
			t.Fatal(err)
		}
		return g
	}
}

// fdJacobian returns J (out×in, row-major) at x by fd1 on f.
func fdJacobian(f func([]float64) []float64, x []float64, out int) []float64 {
	in := len(x)
	j := make([]float64, out*in)
	for i := 0; i < in; i++ {
		c := fd1(f, x, i, 1e-3)
		for o := 0; o < out; o++ {
			j[o*in+i] = c[o]
		}
	}
	return j
}

func TestSnapshotMatchesGraph(t *testing.T) {
	for si, sizes := range append(append([][]int{}, netShapes...), vecShapes...) {
		for _, act := range allActs {
			m, r := newNet(t, sizes, act, batch, uint64(10*si)+uint64(act))
			y, err := m.Forward(r.x)
			if err != nil {
				t.Fatal(err)
			}
			k := r.read(y)
			x := randVec(7, batch*m.In(), 1.5)
			got := r.run(t, x)[k]
			d, err := m.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, 0, batch*m.Out())
			for b := 0; b < batch; b++ {
				want = append(want, denseFunc(t, d)(row(x, b, m.In()))...)
			}
			// Same arithmetic in a different order: agreement to rounding.
			if e := relErr(got, want); e > 1e-12 {
				t.Errorf("%s: Dense.Forward vs graph Forward rel err %.2g", name(sizes, act), e)
			}
		}
	}
}

// TestDenseDerivatives checks Dense.InputGrad against fd1 of Dense.Forward and
// Dense.Hessian against fd1 of Dense.InputGrad.
func TestDenseDerivatives(t *testing.T) {
	worst := [2]float64{}
	for si, sizes := range netShapes {
		for _, act := range allActs {
			m, _ := newNet(t, sizes, act, batch, uint64(10*si)+uint64(act))
			d, err := m.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			x := randVec(uint64(si), m.In(), 1.5)
			g := denseGrad(t, d)(x)
			if e := relErr(g, fdJacobian(denseFunc(t, d), x, 1)); e > derivTol {
				t.Errorf("%s: Dense.InputGrad rel err %.2g", name(sizes, act), e)
			} else if e > worst[0] {
				worst[0] = e
			}
			h := make([]float64, m.In()*m.In())
			if err := d.Hessian(x, h); err != nil {
				t.Fatal(err)
			}
			if e := relErr(h, fdJacobian(denseGrad(t, d), x, m.In())); e > derivTol {
				t.Errorf("%s: Dense.Hessian rel err %.2g", name(sizes, act), e)
			} else if e > worst[1] {
				worst[1] = e
			}
		}
	}
	t.Logf("worst rel err: InputGrad %.2g, Hessian %.2g", worst[0], worst[1])
}

// TestGraphDerivatives checks every graph derivative of scalar networks
// (InputGrad, Hessian, HessianBlock, Laplacian, Derivatives) against finite
// differences of the plain-Go evaluator.
func TestGraphDerivatives(t *testing.T) {
	worst := map[string]float64{}
	note := func(what string, sizes []int, act Activation, e float64) {
		if e > derivTol {
			t.Errorf("%s: %s rel err %.2g > %g", name(sizes, act), what, e, derivTol)
		}
		if e > worst[what] {
			worst[what] = e
		}
	}
	for si, sizes := range netShapes {
		for _, act := range allActs {
			m, r := newNet(t, sizes, act, batch, uint64(10*si)+uint64(act)+100)
			in := m.In()
			gr, err := m.InputGrad(r.x)
			if err != nil {
				t.Fatal(err)
			}
			h, err := m.Hessian(r.x)
			if err != nil {
				t.Fatal(err)
			}
			rows, cols := []int{in - 1, 0}, []int{0}
			if in > 2 {
				cols = []int{1, in - 1, 1}
			}
			hb, err := m.HessianBlock(r.x, rows, cols)
			if err != nil {
				t.Fatal(err)
			}
			lapDims := []int{0, in - 1}
			lap, err := m.Laplacian(r.x, lapDims)
			if err != nil {
				t.Fatal(err)
			}
			lapAll, err := m.Laplacian(r.x, nil)
			if err != nil {
				t.Fatal(err)
			}
			second := []int{in - 1, 0}
			dv, err := m.Derivatives(r.x, second)
			if err != nil {
				t.Fatal(err)
			}
			kg, kh, khb, kl, kla := r.read(gr), r.read(h), r.read(hb), r.read(lap), r.read(lapAll)
			kv := r.read(dv.Value)
			var kf, ks []int
			for _, n := range dv.First {
				kf = append(kf, r.read(n))
			}
			for _, n := range dv.Second {
				ks = append(ks, r.read(n))
			}
			x := randVec(uint64(si)+50, batch*in, 1.5)
			vals := r.run(t, x)
			d, err := m.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			f := denseFunc(t, d)
			for b := 0; b < batch; b++ {
				xb := row(x, b, in)
				wantG := fdJacobian(f, xb, 1)
				note("InputGrad", sizes, act, relErr(row(vals[kg], b, in), wantG))
				wantH := fdJacobian(denseGrad(t, d), xb, in)
				note("Hessian", sizes, act, relErr(row(vals[kh], b, in*in), wantH))
				var wantHB []float64
				for _, rr := range rows {
					for _, cc := range cols {
						wantHB = append(wantHB, wantH[rr*in+cc])
					}
				}
				note("HessianBlock", sizes, act, relErr(row(vals[khb], b, len(rows)*len(cols)), wantHB))
				// Laplacian from the pure second difference of f itself.
				lapWant, lapAllWant := 0.0, 0.0
				for i := 0; i < in; i++ {
					d2 := fd2(f, xb, i, 4e-3)[0]
					lapAllWant += d2
					for _, j := range lapDims {
						if j == i {
							lapWant += d2
						}
					}
				}
				note("Laplacian", sizes, act, relErr(vals[kl][b:b+1], []float64{lapWant}))
				note("Laplacian(all)", sizes, act, relErr(vals[kla][b:b+1], []float64{lapAllWant}))
				note("Derivatives.Value", sizes, act, relErr(vals[kv][b:b+1], f(xb)))
				for i := range kf {
					note("Derivatives.First", sizes, act, relErr(vals[kf[i]][b:b+1], wantG[i:i+1]))
				}
				for k, i := range second {
					note("Derivatives.Second", sizes, act, relErr(vals[ks[k]][b:b+1], fd2(f, xb, i, 4e-3)))
				}
			}
		}
	}
	t.Logf("worst rel err: %v", worst)
}

// TestVectorDerivatives checks VJP, JVP, Jacobian and Derivatives of networks
// with several outputs against finite differences of the plain-Go evaluator.
func TestVectorDerivatives(t *testing.T) {
	worst := map[string]float64{}
	note := func(what string, sizes []int, act Activation, e float64) {
		if e > derivTol {
			t.Errorf("%s: %s rel err %.2g > %g", name(sizes, act), what, e, derivTol)
		}
		if e > worst[what] {
			worst[what] = e
		}
	}
	for si, sizes := range vecShapes {
		for _, act := range allActs {
			m, r := newNet(t, sizes, act, batch, uint64(10*si)+uint64(act)+200)
			in, out := m.In(), m.Out()
			uv := randVec(uint64(si)+1, batch*out, 1)
			vv := randVec(uint64(si)+2, batch*in, 1)
			u := G.NewConstant(matrixValue(batch, out, uv))
			v := G.NewConstant(matrixValue(batch, in, vv))
			vjp, err := m.VJP(r.x, u)
			if err != nil {
				t.Fatal(err)
			}
			jvp, err := m.JVP(r.x, v)
			if err != nil {
				t.Fatal(err)
			}
			jac, err := m.Jacobian(r.x)
			if err != nil {
				t.Fatal(err)
			}
			second := []int{0, in - 1}
			dv, err := m.Derivatives(r.x, second)
			if err != nil {
				t.Fatal(err)
			}
			kvjp, kjvp, kjac := r.read(vjp), r.read(jvp), r.read(jac)
			var kf, ks []int
			for _, n := range dv.First {
				kf = append(kf, r.read(n))
			}
			for _, n := range dv.Second {
				ks = append(ks, r.read(n))
			}
			x := randVec(uint64(si)+60, batch*in, 1.5)
			vals := r.run(t, x)
			d, err := m.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			f := denseFunc(t, d)
			for b := 0; b < batch; b++ {
				xb := row(x, b, in)
				J := fdJacobian(f, xb, out)
				note("Jacobian", sizes, act, relErr(row(vals[kjac], b, out*in), J))
				wv, wu := make([]float64, out), make([]float64, in)
				for o := 0; o < out; o++ {
					for i := 0; i < in; i++ {
						wv[o] += J[o*in+i] * vv[b*in+i]
						wu[i] += uv[b*out+o] * J[o*in+i]
					}
				}
				note("JVP", sizes, act, relErr(row(vals[kjvp], b, out), wv))
				note("VJP", sizes, act, relErr(row(vals[kvjp], b, in), wu))
				for i := range kf {
					col := make([]float64, out)
					for o := range col {
						col[o] = J[o*in+i]
					}
					note("Derivatives.First", sizes, act, relErr(row(vals[kf[i]], b, out), col))
				}
				for k, i := range second {
					note("Derivatives.Second", sizes, act, relErr(row(vals[ks[k]], b, out), fd2(f, xb, i, 4e-3)))
				}
			}
		}
	}
	t.Logf("worst rel err: %v", worst)
}

// TestDenseConcurrent: a Dense is documented safe for concurrent use: four
// goroutines evaluating it at once get bit for bit what one goroutine gets
// (run with -race to check for data races as well).
func TestDenseConcurrent(t *testing.T) {
	m, _ := newNet(t, []int{3, 16, 16, 1}, Softplus, 1, 2)
	d, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	const points = 64
	xs := randVec(9, 3*points, 1)
	eval := func(i int) []float64 {
		x := xs[3*i : 3*i+3]
		out := make([]float64, 1+3+9)
		if err := d.Forward(x, out[:1]); err != nil {
			t.Error(err)
		}
		if err := d.InputGrad(x, out[1:4]); err != nil {
			t.Error(err)
		}
		if err := d.Hessian(x, out[4:]); err != nil {
			t.Error(err)
		}
		return out
	}
	want := make([][]float64, points)
	for i := range want {
		want[i] = eval(i)
	}
	got := make([][]float64, points)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < points; i += 4 {
				got[i] = eval(i)
			}
		}()
	}
	wg.Wait()
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("point %d: concurrent %v, sequential %v", i, got[i], want[i])
		}
	}
}
