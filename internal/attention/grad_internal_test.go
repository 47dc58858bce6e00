package attention

import (
	"math"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/grad"
	G "gorgonia.org/gorgonia"
)

// TestPoolThroughInternalGrad: internal/grad (the core's own reverse pass)
// differentiates Pool once through its SymDiff, and refuses a second
// derivative with an error rather than a wrong number.
func TestPoolThroughInternalGrad(t *testing.T) {
	c := newPoolCase(t, cases[0], 4)
	gs, err := grad.Grad(c.loss, c.in[1])
	if err != nil {
		t.Fatalf("first derivative through Pool: %v", err)
	}
	var mine, theirs G.Value
	G.Read(gs[0], &mine)
	G.Read(c.grads[1], &theirs)
	vm := G.NewTapeMachine(c.g)
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	vm.Close()
	a, b := mine.Data().([]float64), theirs.Data().([]float64)
	for i := range b {
		if math.Abs(a[i]-b[i]) > 1e-14*(1+math.Abs(b[i])) {
			t.Fatalf("dQ[%d]: internal/grad %v, gorgonia's Grad %v", i, a[i], b[i])
		}
	}
	s := G.Must(G.Sum(gs[0]))
	if _, err := grad.Grad(s, c.in[1]); err == nil || !strings.Contains(err.Error(), "differentiable once") {
		t.Fatalf("second derivative through Pool: error %v, want one saying it is differentiable once", err)
	}
}
