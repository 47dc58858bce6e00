package lnn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// TestLossParamGrads: the parameter gradients of the training loss (one
// gorgonia Grad through internal/ad's input derivatives, the Cholesky
// algebra and linalg.Solve) against central finite differences of the same
// loss, for every kind. The states come from the double pendulum's own
// range; the test insists that each learned mass matrix there is
// well-conditioned, since a near-singular one makes differences
// meaningless (DESIGN.md).
func TestLossParamGrads(t *testing.T) {
	sys := DoublePendulum{}
	d, err := sys.RandomStates(6, 1, 2, 9)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		m, err := New(2, Config{Kind: k, Hidden: []int{8, 8}, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		checkConditioning(t, m, d.X)
		g := G.NewGraph()
		nets, err := m.networks(g)
		if err != nil {
			t.Fatal(err)
		}
		B := d.Len()
		x, target, loss, err := m.lossGraph(g, nets, B)
		if err != nil {
			t.Fatal(err)
		}
		copy(x.Value().Data().([]float64), d.X)
		copy(target.Value().Data().([]float64), d.QDD)
		params := m.trainable(nets)
		if _, err := G.Grad(loss, params...); err != nil {
			t.Fatal(err)
		}
		var lv G.Value
		G.Read(loss, &lv)
		vm := G.NewTapeMachine(g, G.BindDualValues(params...))
		eval := func() float64 {
			vm.Reset()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			return lv.Data().(float64)
		}
		eval()
		var grad []float64
		for _, p := range params {
			gv, err := p.Grad()
			if err != nil {
				t.Fatal(err)
			}
			grad = append(grad, gv.Data().([]float64)...)
		}
		theta, err := train.Values(params)
		if err != nil {
			t.Fatal(err)
		}
		// Central differences with h = 1e-6 on a loss of size O(10–100):
		// truncation h²·f‴ ≈ 1e-11, rounding 1e-16·100/1e-6 ≈ 1e-8
		// absolute, well below 1e-5 of the gradient's norm.
		const h = 1e-6
		fd := make([]float64, len(theta))
		for i := range theta {
			v := theta[i]
			theta[i] = v + h
			if err := train.SetValues(params, theta); err != nil {
				t.Fatal(err)
			}
			fp := eval()
			theta[i] = v - h
			if err := train.SetValues(params, theta); err != nil {
				t.Fatal(err)
			}
			fm := eval()
			theta[i] = v
			fd[i] = (fp - fm) / (2 * h)
		}
		vm.Close()
		num, den := 0.0, 0.0
		for i := range fd {
			num += (grad[i] - fd[i]) * (grad[i] - fd[i])
			den += fd[i] * fd[i]
		}
		e := math.Sqrt(num / den)
		t.Logf("%v: %d parameters, ‖∇ − FD‖/‖FD‖ = %.2g", k, len(fd), e)
		if e > 1e-5 {
			t.Errorf("%v: parameter gradient rel err %.2g > 1e-5", k, e)
		}
	}
}

// checkConditioning fails the test if the learned mass matrix at some
// state of x has a condition number above 1e3 (2×2: from its
// eigenvalues).
func checkConditioning(t *testing.T, m *Model, x []float64) {
	t.Helper()
	if m.Kind() == Baseline {
		return
	}
	n := m.n
	for r := 0; r < len(x)/(2*n); r++ {
		s := x[r*2*n : (r+1)*2*n]
		var a, b, c float64 // M = [a b; b c]
		switch m.Kind() {
		case LNN:
			h := make([]float64, 16)
			if err := m.dense[0].Hessian(s, h); err != nil {
				t.Fatal(err)
			}
			a, b, c = h[10]+m.cfg.MassEps, h[11], h[15]+m.cfg.MassEps
		case DeLaN:
			ch, _, err := m.cholesky(s[:n], false)
			if err != nil {
				t.Fatal(err)
			}
			a = ch[0]*ch[0] + m.cfg.MassEps
			b = ch[2] * ch[0]
			c = ch[2]*ch[2] + ch[3]*ch[3] + m.cfg.MassEps
		}
		mid, rad := (a+c)/2, math.Hypot((a-c)/2, b)
		l1, l2 := math.Abs(mid+rad), math.Abs(mid-rad)
		if cond := math.Max(l1, l2) / math.Min(l1, l2); cond > 1e3 {
			t.Fatalf("%v: state %d has a mass matrix of condition %.3g: choose another seed", m.Kind(), r, cond)
		}
	}
}
