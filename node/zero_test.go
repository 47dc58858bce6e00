package node_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/physbias/physbias/node"
)

// TestZeroValues: every exported method of a zero or nil Model and CNF
// returns an error matching ErrZeroValue (or a zero answer for the methods
// without an error), never panics.
func TestZeroValues(t *testing.T) {
	ok := node.Options{Dt: 0.1}
	path := filepath.Join(t.TempDir(), "zero")
	d := &node.Data{T: []float64{0, 1}, Y: [][]float64{{1, 0, 1, 0}}}
	tc := node.TrainConfig{Steps: 1, Solver: node.RK4(), Options: ok}
	for _, m := range []*node.Model{{}, nil} {
		errs := map[string]error{
			"Field":     second(m.Field([]float64{1, 0}, 0)),
			"Gradient":  second(m.Gradient([]float64{1, 0}, []float64{0, 1}, nil, node.RK4(), ok, node.Backprop)),
			"Save":      m.Save(&bytes.Buffer{}),
			"SaveFile":  m.SaveFile(path),
			"SetParams": m.SetParams(nil),
			"Solve":     second(m.Solve([]float64{1, 0}, []float64{0, 1}, node.RK4(), ok)),
			"Train":     second(m.Train(context.Background(), d, tc)),
		}
		for name, err := range errs {
			if !errors.Is(err, node.ErrZeroValue) {
				t.Errorf("%T %v: Model.%s: %v, want ErrZeroValue", m, m == nil, name, err)
			}
		}
		if m.Dim() != 0 || m.Params() != nil || m.Config().Hidden != nil {
			t.Errorf("zero Model: Dim %d, Params %v, Config %+v", m.Dim(), m.Params(), m.Config())
		}
	}
	for _, c := range []*node.CNF{{}, nil} {
		errs := map[string]error{
			"LogDensity": second(c.LogDensity([]float64{1, 0}, node.RK4(), ok)),
			"Sample":     second(c.Sample(1, 1, node.RK4(), ok)),
			"Save":       c.Save(&bytes.Buffer{}),
			"SaveFile":   c.SaveFile(path),
			"Train":      second(c.Train(context.Background(), []float64{1, 0}, tc)),
		}
		for name, err := range errs {
			if !errors.Is(err, node.ErrZeroValue) {
				t.Errorf("CNF (nil %v).%s: %v, want ErrZeroValue", c == nil, name, err)
			}
		}
		if c.Dim() != 0 || c.Model() != nil {
			t.Errorf("zero CNF: Dim %d, Model %v", c.Dim(), c.Model())
		}
		_ = c.Config()
	}
}
