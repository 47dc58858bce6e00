package ad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestNewMLPInit: names, shapes, zero biases, Glorot-uniform bounds, and the
// same seed giving the same weights.
func TestNewMLPInit(t *testing.T) {
	sizes := []int{3, 50, 40, 2}
	mk := func(seed uint64) *MLP {
		m, err := NewMLP(G.NewGraph(), "net", sizes, Tanh, seed)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c := mk(1), mk(1), mk(2)
	names := []string{"net.W0", "net.b0", "net.W1", "net.b1", "net.W2", "net.b2"}
	if a.In() != 3 || a.Out() != 2 {
		t.Fatalf("In/Out = %d/%d", a.In(), a.Out())
	}
	for i, p := range a.Params() {
		if p.Name() != names[i] {
			t.Errorf("param %d named %q, want %q", i, p.Name(), names[i])
		}
		l := i / 2
		da, _ := nodeData(p)
		db, _ := nodeData(b.Params()[i])
		dc, _ := nodeData(c.Params()[i])
		if i%2 == 1 {
			for _, v := range da {
				if v != 0 {
					t.Fatalf("%s: bias not zero", p.Name())
				}
			}
			continue
		}
		if s := p.Shape(); s[0] != sizes[l] || s[1] != sizes[l+1] {
			t.Errorf("%s shape %v", p.Name(), s)
		}
		lim := math.Sqrt(6 / float64(sizes[l]+sizes[l+1]))
		maxAbs, same, sameC := 0.0, true, 0
		for j := range da {
			maxAbs = math.Max(maxAbs, math.Abs(da[j]))
			same = same && da[j] == db[j]
			if da[j] == dc[j] {
				sameC++
			}
		}
		// U(−lim, lim): all inside, and with ≥ 100 draws the largest is
		// within 10% of lim (probability of failure < 1e-4).
		if maxAbs > lim || maxAbs < 0.9*lim {
			t.Errorf("%s: max |w| = %.3f, Glorot limit %.3f", p.Name(), maxAbs, lim)
		}
		if !same || sameC > 0 {
			t.Errorf("%s: seed 1 twice same=%v; seeds 1 and 2 share %d values", p.Name(), same, sameC)
		}
	}
}
