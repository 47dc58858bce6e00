package train

import (
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestUnusedParam: a parameter the loss does not depend on is an error,
// not a panic.
func TestUnusedParam(t *testing.T) {
	p := newLSQ(t, 16, 2, 0, 15)
	extra := G.NewMatrix(p.g, tensor.Float64, G.WithShape(2, 2), G.WithName("extra"), G.WithInit(G.Zeroes()))
	pr := p.problem(0)
	pr.Params = append(pr.Params, extra)
	_, err := Run(pr, Adam{}, Config{Steps: 3})
	if err == nil || !strings.HasPrefix(err.Error(), "train: ") {
		t.Fatalf("got %v, want a train: error", err)
	}
	t.Log(err)
}
