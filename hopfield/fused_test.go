package hopfield

import (
	"fmt"
	"math"
	"testing"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// softmax returns gorgonia's SoftMax of x along axis.
func softmax(b *build.B, x *G.Node, axis int) *G.Node {
	if !b.OK() || x == nil {
		return b.Failf(fail.ErrInput, "softmax of a nil node")
	}
	return b.Do("softmax", func() (*G.Node, error) { return G.SoftMax(x, axis) })
}

// gorgoniaAssociate is Associate as it was built before the fused op:
// BatchedMatMul, SoftMax and BatchedMatMul of gorgonia.
func gorgoniaAssociate(q, k, v *G.Node, beta float64) (*G.Node, error) {
	b := build.New(q.Graph(), "hopfield")
	qk := b.Do("QKᵀ", func() (*G.Node, error) { return G.BatchedMatMul(q, k, false, true) })
	a := softmax(b, b.Scale(beta, qk), 2)
	z := b.Do("softmax·V", func() (*G.Node, error) { return G.BatchedMatMul(a, v) })
	return z, b.Err()
}

// assocGraph builds L = Σ Z² for Z = f(Q, K, V) with B = batch, S = N =
// set, k = dv = dim, and its gradients with respect to Q, K and V.
func assocGraph(f func(q, k, v *G.Node, beta float64) (*G.Node, error), batch, set, dim int) (*G.ExprGraph, *G.Node, G.Nodes, error) {
	g := G.NewGraph()
	r := rng.New(1)
	mk := func(name string) *G.Node {
		d := make([]float64, batch*set*dim)
		for i := range d {
			d[i] = r.NormFloat64()
		}
		return G.NewTensor(g, tensor.Float64, 3, G.WithShape(batch, set, dim), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(batch, set, dim), tensor.WithBacking(d))))
	}
	q, k, v := mk("q"), mk("k"), mk("v")
	z, err := f(q, k, v, 1/math.Sqrt(float64(dim)))
	if err != nil {
		return nil, nil, nil, err
	}
	loss := G.Must(G.Sum(G.Must(G.Square(z))))
	grads, err := G.Grad(loss, q, k, v)
	return g, z, grads, err
}

// TestAssociateMatchesGorgoniaGraph: the fused Associate against
// gorgonia's own ops, values and gradients (measured: 5.4e-16 relative).
func TestAssociateMatchesGorgoniaGraph(t *testing.T) {
	var out [2][][]float64
	for i, f := range []func(q, k, v *G.Node, beta float64) (*G.Node, error){Associate, gorgoniaAssociate} {
		g, z, grads, err := assocGraph(f, 3, 5, 4)
		if err != nil {
			t.Fatal(err)
		}
		// G.Read: the tape machine may reuse an intermediate's memory.
		nodes := append(G.Nodes{z}, grads...)
		vals := make([]G.Value, len(nodes))
		for j, n := range nodes {
			G.Read(n, &vals[j])
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			out[i] = append(out[i], append([]float64(nil), v.Data().([]float64)...))
		}
		vm.Close()
	}
	worst := 0.0
	for j := range out[0] {
		for e := range out[0][j] {
			a, b := out[0][j][e], out[1][j][e]
			d := math.Abs(a-b) / (1 + math.Abs(b))
			worst = max(worst, d)
			if d > 1e-14 {
				t.Fatalf("output %d [%d]: fused %v, gorgonia %v", j, e, a, b)
			}
		}
	}
	t.Logf("largest difference %.1e", worst)
}

// BenchmarkAssociate: forward and backward of self-attention over 256 sets
// of 16 elements in 8 dimensions, the fused op beside gorgonia's graph.
func BenchmarkAssociate(b *testing.B) {
	for _, c := range []struct {
		name string
		f    func(q, k, v *G.Node, beta float64) (*G.Node, error)
	}{{"fused", Associate}, {"gorgonia", gorgoniaAssociate}} {
		b.Run(fmt.Sprintf("%s/B256_N16_d8", c.name), func(b *testing.B) {
			g, _, _, err := assocGraph(c.f, 256, 16, 8)
			if err != nil {
				b.Fatal(err)
			}
			vm := G.NewTapeMachine(g)
			defer vm.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := vm.RunAll(); err != nil {
					b.Fatal(err)
				}
				vm.Reset()
			}
		})
	}
}
