package pinn

import (
	"github.com/physbias/physbias/internal/build"
	G "gorgonia.org/gorgonia"
)

// Architecture selects the network (Config.Architecture).
type Architecture int

const (
	// MLP is the dense network of Raissi et al.: h ← σ(hW + b) per hidden
	// layer, a linear output. It is the zero value.
	MLP Architecture = iota
	// ModifiedMLP is the network of Wang, Teng and Perdikaris (2021, SIAM
	// J. Sci. Comput. 43, A3055): two encoders U = σ(xW_U + b_U) and
	// V = σ(xW_V + b_V) of the input gate every hidden layer,
	//
	//	Z = σ(hW + b),  h ← Z ⊙ U + (1 − Z) ⊙ V,
	//
	// which carries the input into every layer and eases training on stiff
	// problems. All hidden layers must have one width. Its input
	// derivatives come from the core's general reverse pass
	// (internal/grad): the fused MLP path does not apply.
	ModifiedMLP
)

// String names the architecture.
func (a Architecture) String() string {
	switch a {
	case MLP:
		return "MLP"
	case ModifiedMLP:
		return "modified MLP"
	}
	return "Architecture(?)"
}

// modifiedForward builds the hidden layers of the modified MLP on h0 (the
// embedded input): layers holds W_U, b_U, W_V, b_V, then (W, b) per hidden
// layer; the output layer is applied by the caller.
func modifiedForward(b *build.B, act func(*G.Node) *G.Node, h0 *G.Node, layers []*G.Node, hidden int) *G.Node {
	dense := func(x, w, bias *G.Node) *G.Node {
		return b.BroadcastAdd(b.Mul(x, w), bias, nil, []byte{0})
	}
	u := act(dense(h0, layers[0], layers[1]))
	v := act(dense(h0, layers[2], layers[3]))
	diff := b.Sub(u, v)
	h := h0
	for l := 0; l < hidden; l++ {
		z := act(dense(h, layers[4+2*l], layers[5+2*l]))
		h = b.Add(v, b.HadamardProd(z, diff))
	}
	return h
}

// modifiedDense is the modified MLP's hidden layers in plain Go (for
// Predict): w and bs hold the same layers as modifiedForward's.
func modifiedDense(act func(float64) float64, h0 []float64, w [][]float64, bs [][]float64, width int) []float64 {
	layer := func(x []float64, w, bias []float64) []float64 {
		in := len(x)
		out := make([]float64, width)
		for o := 0; o < width; o++ {
			s := bias[o]
			for i := 0; i < in; i++ {
				s += x[i] * w[i*width+o]
			}
			out[o] = act(s)
		}
		return out
	}
	u := layer(h0, w[0], bs[0])
	v := layer(h0, w[1], bs[1])
	h := h0
	for l := 2; l < len(w); l++ {
		z := layer(h, w[l], bs[l])
		for o := range z {
			z[o] = v[o] + z[o]*(u[o]-v[o])
		}
		h = z
	}
	return h
}
