package flows

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// lossRig is a compiled training graph whose loss can be evaluated at any
// parameter values, with its gradient from gorgonia's one Grad.
type lossRig struct {
	m      G.VM
	loss   G.Value
	params []*G.Node
}

// newLossRig differentiates loss with respect to ps and compiles g; the
// caller closes rig.m.
func newLossRig(t *testing.T, g *G.ExprGraph, loss *G.Node, ps []*G.Node) *lossRig {
	t.Helper()
	if _, err := G.Grad(loss, ps...); err != nil {
		t.Fatal(err)
	}
	rig := &lossRig{params: ps}
	G.Read(loss, &rig.loss)
	rig.m = G.NewTapeMachine(g, G.BindDualValues(ps...))
	return rig
}

// eval runs the graph at the parameters' current values and returns the
// loss, with the gradients zeroed before the run.
func (r *lossRig) eval(t *testing.T) float64 {
	t.Helper()
	for _, n := range r.params {
		if g, err := n.Grad(); err == nil && g != nil {
			clear(g.Data().([]float64))
		}
	}
	if err := r.m.RunAll(); err != nil {
		t.Fatal(err)
	}
	r.m.Reset()
	v, err := train.Scalar(r.loss)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkGrad compares the graph's gradient with 4th-order central
// differences of the graph's loss for a spread of parameter elements.
func checkGrad(t *testing.T, r *lossRig, tol float64) {
	t.Helper()
	r.eval(t)
	var grads [][]float64
	for _, n := range r.params {
		g, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		grads = append(grads, append([]float64(nil), g.Data().([]float64)...))
	}
	worst := 0.0
	for pi, n := range r.params {
		data := n.Value().Data().([]float64)
		for _, k := range []int{0, len(data) / 2, len(data) - 1} {
			x0 := data[k]
			const h = 1e-4
			f := func(s float64) float64 { data[k] = x0 + s*h; return r.eval(t) }
			fd := (8*(f(1)-f(-1)) - (f(2) - f(-2))) / (12 * h)
			data[k] = x0
			e := math.Abs(fd-grads[pi][k]) / math.Max(1, math.Abs(fd))
			worst = math.Max(worst, e)
			if e > tol {
				t.Errorf("%s[%d]: graph gradient %.10g, finite differences %.10g", n.Name(), k, grads[pi][k], fd)
			}
		}
	}
	t.Logf("largest relative gradient error %.2g", worst)
}

// The NHF's training graph gives the same loss as the plain-Go bound for the
// same momentum noise, and its gradient through the leapfrog steps (exact
// input gradients of V and K inside the graph) matches finite differences.
func TestNHFGraph(t *testing.T) {
	m, err := NewNHF(2, NHFConfig{Hidden: []int{8, 8}, Stages: 2, StepSize: 0.3, Leapfrog: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: 1.6e-11 relative (finite differences with h = 1e-4).
	checkNHFGraph(t, m, 7, 1e-12, 1e-9)
}

// checkNHFGraph builds m's training graph on B points, compares its loss
// with the plain-Go bound for the same noise (within lossTol) and its
// parameter gradient with finite differences (within gradTol).
func checkNHFGraph(t *testing.T, m *NHF, B int, lossTol, gradTol float64) {
	t.Helper()
	d := m.dim
	g := G.NewGraph()
	b := &gb{build.New(g, "flows")}
	ms, err := m.p.build(g)
	if err != nil {
		t.Fatal(err)
	}
	q, qs := b.input("q", B, d)
	eps, es := b.input("eps", B, d)
	loss := m.lossGraph(b, ms, q, eps, B)
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	r := rng.New(1)
	for i := range qs {
		qs[i], es[i] = 1.5*r.NormFloat64(), r.NormFloat64()
	}
	var ps []*G.Node
	for i, n := range ms {
		ps = append(ps, n.trainable(i >= netV(0))...)
	}
	rig := newLossRig(t, g, loss, ps)
	defer rig.m.Close()
	got := rig.eval(t)

	// The same bound in plain Go.
	mu, ls := m.p.net(netMean), m.p.net(netLogStd)
	mv, err := mu.ForwardBatch(nil, qs)
	if err != nil {
		t.Fatal(err)
	}
	lv, err := ls.ForwardBatch(nil, qs)
	if err != nil {
		t.Fatal(err)
	}
	qq, pp := append([]float64(nil), qs...), make([]float64, B*d)
	logf := 0.0
	for i := range pp {
		pp[i] = mv[i] + math.Exp(lv[i])*es[i]
		logf += -lv[i] - es[i]*es[i]/2
	}
	if err := m.Inverse(qq, pp); err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, v := range m.logBase(qq, pp) {
		want -= v
	}
	want = (want+logf)/float64(B) - float64(d)/2*log2Pi
	if math.Abs(got-want) > lossTol {
		t.Errorf("graph loss %.15g, plain Go %.15g", got, want)
	}
	t.Logf("graph loss − plain Go = %.2g", got-want)
	checkGrad(t, rig, gradTol)
}

// The RealNVP training graph gives the plain-Go negative log-likelihood and
// its gradient matches finite differences.
func TestRealNVPGraph(t *testing.T) {
	const B, d = 5, 4
	m, err := NewRealNVP(d, RealNVPConfig{Layers: 3, Hidden: []int{8}, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	g := G.NewGraph()
	b := &gb{build.New(g, "flows")}
	ms, err := m.p.build(g)
	if err != nil {
		t.Fatal(err)
	}
	x, xs := b.input("x", B, d)
	loss := m.lossGraph(b, ms, x, B)
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	r := rng.New(2)
	for i := range xs {
		xs[i] = 2 * r.NormFloat64()
	}
	ps := nodes(ms)
	rig := newLossRig(t, g, loss, ps)
	defer rig.m.Close()
	got := rig.eval(t)
	lp, err := m.LogProb(xs)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, v := range lp {
		want -= v / B
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("graph loss %.15g, plain Go %.15g", got, want)
	}
	t.Logf("graph loss − plain Go = %.2g", got-want)
	// Measured: 7.5e-11 relative.
	checkGrad(t, rig, 1e-9)
}
