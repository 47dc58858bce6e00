package grad

import (
	"errors"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/fail"
)

func TestBadInput(t *testing.T) {
	must := must(t)
	g := G.NewGraph()
	x := input(g, "x", tensor.Shape{2, 3}, uniform(1, 6, -1, 1))
	z := input(g, "z", tensor.Shape{2, 3}, uniform(2, 6, -1, 1))
	y := must(G.Tanh(x))
	cost := must(G.Sum(y))
	other := G.NewGraph()
	xo := input(other, "x", tensor.Shape{2, 3}, uniform(1, 6, -1, 1))

	check := func(name string, err error, kind error, words ...string) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		if !errors.Is(err, kind) || !errors.Is(err, fail.ErrInput) {
			t.Errorf("%s: %v does not match %v and ErrInput", name, err, kind)
		}
		if !strings.HasPrefix(err.Error(), "grad: ") {
			t.Errorf("%s: message %q does not start with \"grad: \"", name, err)
		}
		for _, w := range words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: message %q does not name %q", name, err, w)
			}
		}
	}
	_, err := Grad(y, x)
	check("non-scalar cost", err, fail.ErrInput, "scalar")
	_, err = Grad(cost, xo)
	check("node of another graph", err, fail.ErrInput, "another graph")
	_, err = Grad(cost, z)
	check("wrt the cost does not depend on", err, ErrNoPath, "z")
	_, err = Grad(nil, x)
	check("nil cost", err, fail.ErrInput)
	_, err = Grad(cost)
	check("nothing to differentiate", err, fail.ErrInput)
	_, err = Grad(cost, x, nil)
	check("nil wrt", err, fail.ErrInput)
	_, err = VJP(y, must(G.Sum(x, 1)), x)
	check("seed of the wrong shape", err, fail.ErrInput, "shape")
	_, err = JVP(y, x, must(G.Sum(x, 1)))
	check("tangent of the wrong shape", err, fail.ErrInput, "shape")
	_, err = HVP(cost, x, must(G.Sum(x, 1)))
	check("HVP direction of the wrong shape", err, fail.ErrInput, "shape")
	_, err = BatchHessian(y, x)
	check("BatchHessian of a (B, 3) output", err, fail.ErrInput)
	_, err = BatchLaplacian(must(G.Sum(y, 1)), x, 3)
	check("Laplacian dim out of range", err, fail.ErrInput, "dim 3")
	_, err = Laplacian(cost, x, 1, 1)
	check("Laplacian dim twice", err, fail.ErrInput, "twice")

	// ops whose derivatives are refused, naming the op: ad's fused ops
	// are differentiable once (their backward ops are not)
	m, e := ad.NewMLP(g, "m", []int{3, 4, 1}, ad.Tanh, 1)
	if e != nil {
		t.Fatal(e)
	}
	f := must(G.Sum(must(m.Forward(x))))
	gr, err := Grad(f, x)
	if err != nil {
		t.Fatalf("first derivative of ad's Forward: %v", err)
	}
	_, err = Grad(must(G.Sum(gr[0])), x)
	check("second derivative through ad's fused ops", err, ErrUnsupported, "ad.fop", "not differentiable")
	// JVP through ad's fused ops: no forward rule, and the double-VJP
	// needs their second derivative
	_, err = JVP(must(m.Forward(x)), x, z)
	check("JVP through ad's fused ops", err, ErrUnsupported, "ad.fop")
	// an op run in place over a G.Reshape (shared memory) is refused
	rs := must(G.Reshape(must(G.Exp(x)), tensor.Shape{3, 2}))
	sq := must(G.Sum(must(G.Add(rs, must(G.Transpose(z))))))
	_, err = Grad(sq, x)
	check("in place over a G.Reshape", err, ErrUnsupported, "grad.Reshape")
	_, err = Reshape(x, tensor.Shape{4, 2})
	check("Reshape to another size", err, fail.ErrInput, "elements")
	// ByIndices on a vector: gorgonia's gradient is wrong there
	v := input(g, "v", tensor.Shape{5}, uniform(3, 5, -1, 1))
	idx := G.NewConstant(tensor.New(tensor.WithShape(3), tensor.WithBacking([]int{0, 0, 3})), G.WithName("idx"))
	sel := must(G.ByIndices(v, g.AddNode(idx), 0))
	_, err = Grad(must(G.Sum(sel)), v)
	check("ByIndices of a vector", err, ErrUnsupported, "ByIndices")
}
