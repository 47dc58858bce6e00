package flows

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
)

// gb is internal/build's builder (it keeps the first error, so the
// equations read as maths; messages start with "flows: ") with the input
// matrices the flows' training graphs feed.
type gb struct{ *build.B }

// newBuilder returns a builder on a new graph.
func newBuilder() *gb { return &gb{build.New(G.NewGraph(), "flows")} }

// do runs f as build.B.Do does, for a step whose error may already start
// with "flows: " (a user's Network): the package is named once.
func (b *gb) do(what string, f func() (*G.Node, error)) *G.Node {
	return b.Do(what, func() (*G.Node, error) {
		n, err := f()
		return n, fail.Trim(err, "flows")
	})
}

// input returns a (rows, cols) input matrix node backed by a new slice,
// which it also returns so the caller can write the batch into it.
func (b *gb) input(name string, rows, cols int) (*G.Node, []float64) {
	data := make([]float64, rows*cols)
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewMatrix(b.Graph(), G.Float64, G.WithShape(rows, cols), G.WithName(name), G.WithValue(t)), data
}
