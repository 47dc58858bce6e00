package hopfield_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/hopfield"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ownModel is a gorgonia model of a user's own with a HopfieldLayer inside:
// x (n, 1) → HopfieldLayer (12 stored patterns) → tanh → own linear map →
// (n, 1), with the squared error to y as its loss.
type ownModel struct {
	g         *G.ExprGraph
	out, loss *G.Node
	params    []*G.Node
}

func newOwnModel(t *testing.T, x, y []float64) *ownModel {
	t.Helper()
	n := len(x)
	g := G.NewGraph()
	xn := G.NewMatrix(g, tensor.Float64, G.WithShape(n, 1), G.WithName("x"), G.WithValue(tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(x))))
	yn := G.NewMatrix(g, tensor.Float64, G.WithShape(n, 1), G.WithName("y"), G.WithValue(tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(y))))
	l, err := hopfield.NewHopfieldLayer(g, 1, 12, hopfield.LayerConfig{DimK: 4, DimV: 6, Beta: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	z, err := l.Forward(xn)
	if err != nil {
		t.Fatal(err)
	}
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(6, 1), G.WithName("my_w"),
		G.WithValue(tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float64{0.3, -0.2, 0.1, 0.4, -0.3, 0.2}))))
	out := G.Must(G.Mul(G.Must(G.Tanh(z)), w))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(out, yn))))))
	return &ownModel{g: g, out: out, loss: loss, params: append(l.Params(), w)}
}

func (m *ownModel) run(t *testing.T) []float64 {
	t.Helper()
	var v G.Value
	G.Read(m.out, &v)
	vm := G.NewTapeMachine(m.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return append([]float64(nil), v.Data().([]float64)...)
}

// A HopfieldLayer inside a user's own gorgonia model, trained with
// TrainGraph (no solver loop), fits a step-like target |x| on [−1, 1]
// (measured MSE 5.6e-5, bound 3e-4); its weights saved with SaveParams load
// into the same model built afresh, giving bit-identical outputs.
func TestTrainGraphOwnModel(t *testing.T) {
	var x, y []float64
	for i := 0; i <= 80; i++ {
		v := -1 + float64(i)/40
		x, y = append(x, v), append(y, math.Abs(v))
	}
	m := newOwnModel(t, x, y)
	h, err := hopfield.TrainGraph(context.Background(), hopfield.Objective{Graph: m.g, Loss: m.loss, Params: m.params},
		hopfield.TrainConfig{Steps: 1500, LR: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	mse := h.Loss[len(h.Loss)-1]
	t.Logf("training MSE %.2g after %d steps", mse, h.Steps)
	if mse > 3e-4 {
		t.Errorf("training MSE %.3g > 3e-4", mse)
	}
	var buf bytes.Buffer
	if err := hopfield.SaveParams(&buf, m.params); err != nil {
		t.Fatal(err)
	}
	saved := buf.Bytes()
	fresh := newOwnModel(t, x, y)
	if err := hopfield.LoadParams(bytes.NewReader(saved), fresh.params); err != nil {
		t.Fatal(err)
	}
	a, b := m.run(t), fresh.run(t)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("output %d: %v trained, %v loaded", i, a[i], b[i])
		}
	}
	if err := hopfield.LoadParams(bytes.NewReader(saved[:len(saved)-3]), fresh.params); !errors.Is(err, hopfield.ErrCorrupt) {
		t.Errorf("truncated parameters: %v, want ErrCorrupt", err)
	}
	if _, err := hopfield.TrainGraph(context.Background(), hopfield.Objective{}, hopfield.TrainConfig{}); !errors.Is(err, hopfield.ErrInput) {
		t.Errorf("empty Objective: %v, want ErrInput", err)
	}
}
