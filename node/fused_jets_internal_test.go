package node

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// mlpReplica is the built-in MLP of the given sizes, activation and time
// input written as a user's Network of gorgonia ops, whose derivatives come
// from internal/grad, with the MLP's parameter layout (W_l row-major, then
// b_l), so that SetParams(m.Params()) gives it the MLP's f.
func mlpReplica(sizes []int, act string, timeInput bool) Network {
	return NetworkFunc(func(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) {
		x := y
		if timeInput {
			x = G.Must(G.Concat(1, y, t))
		}
		var params []*G.Node
		zeros := func(name string, r, c int) *G.Node {
			n := G.NewMatrix(g, G.Float64, G.WithShape(r, c), G.WithName(name),
				G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(make([]float64, r*c)))))
			params = append(params, n)
			return n
		}
		a := x
		for l := 0; l+1 < len(sizes); l++ {
			W, b := zeros(fmt.Sprintf("W%d", l), sizes[l], sizes[l+1]), zeros(fmt.Sprintf("b%d", l), 1, sizes[l+1])
			z := G.Must(G.BroadcastAdd(G.Must(G.Mul(a, W)), b, nil, []byte{0}))
			if l+2 < len(sizes) {
				switch act {
				case "tanh":
					z = G.Must(G.Tanh(z))
				case "sigmoid":
					z = G.Must(G.Sigmoid(z))
				case "softplus":
					z = G.Must(G.Softplus(z))
				case "sin":
					z = G.Must(G.Sin(z))
				case "relu":
					z = G.Must(G.Rectify(z))
				}
			}
			a = z
		}
		return a, params, nil
	})
}

// jetGrad is termGrad on m with the terms given, backprop or adjoint
// through fixed RK4 steps.
func jetGrad(t *testing.T, m *Model, terms []term, method GradMethod) *gradResult {
	t.Helper()
	return termGrad(t, m, terms, RK4(), Options{Dt: 0.05}, method, m.custom) // a Network takes the gorgonia path
}

// jetDiff is the largest relative difference, norm-wise, between two
// gradient results: solutions with their integrals, ∂y0, ∂θ, ∂T.
func jetDiff(a, b *gradResult) float64 {
	d := max(normRel(a.gtheta, b.gtheta), normRel(a.y0bar, b.y0bar), normRel([]float64{a.tbar}, []float64{b.tbar}))
	for i := range a.ys {
		d = max(d, normRel(a.ys[i], b.ys[i]))
	}
	return d
}

// TestFusedKellyJets: Kelly's regularizer of order K by Taylor mode on the
// fused path (with the kinetic energy beside it) gives the solutions,
// integrals and gradients (∂y0, ∂θ, ∂T; backprop and adjoint through fixed
// RK4 steps, cotangents on every state and integral) of
//   - K = 2 by one forward tangent, the fused path's own (within 1e-15
//     relative; measured 2.8e-17), for every activation;
//   - a user's Network with the same weights whose K − 1 nested
//     derivatives come from internal/grad on gorgonia: K = 3 for every
//     activation, with and without the time input, K = 4 and 5 with tanh
//     and sin (within 1e-14; measured 2.8e-15).
func TestFusedKellyJets(t *testing.T) {
	sizes := func(time bool) []int {
		if time {
			return []int{4, 9, 8, 3}
		}
		return []int{3, 9, 8, 3}
	}
	worst2, worstNet := 0.0, 0.0
	for _, act := range []string{"tanh", "softplus", "sigmoid", "sin", "identity", "relu"} {
		for _, timeInput := range []bool{false, true} {
			m, err := New(3, Config{Hidden: []int{9, 8}, Activation: act, TimeInput: timeInput, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			u, err := NewNetwork(3, mlpReplica(sizes(timeInput), act, timeInput), Config{})
			if err != nil {
				t.Fatal(err)
			}
			if err := u.SetParams(m.Params()); err != nil {
				t.Fatal(err)
			}
			for _, method := range []GradMethod{Backprop, Adjoint} {
				name := fmt.Sprintf("%s/time=%v/%v", act, timeInput, method)
				d := jetDiff(jetGrad(t, m, []term{termKinetic, termKelly + 2}, method), jetGrad(t, m, []term{termKinetic, termKelly2}, method))
				worst2 = max(worst2, d)
				if d > 1e-15 {
					t.Errorf("%s: K = 2 by jets and by the tangent differ by %.3g", name, d)
				}
				Ks := []int{3}
				if (act == "tanh" || act == "sin") && timeInput && method == Backprop {
					Ks = []int{3, 4, 5}
				}
				for _, K := range Ks {
					terms := []term{termKinetic, kellyTerm(K)}
					d := jetDiff(jetGrad(t, m, terms, method), jetGrad(t, u, terms, method))
					worstNet = max(worstNet, d)
					if d > 1e-14 {
						t.Errorf("%s/K=%d: fused jets and the Network on internal/grad differ by %.3g", name, K, d)
					}
				}
			}
		}
	}
	t.Logf("worst relative difference: K = 2 jets vs tangent %.3g; jets vs Network %.3g", worst2, worstNet)
}
