package gnn_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/physbias/physbias/gnn"
)

// TestZeroValues: every exported method of a zero or nil Model returns an
// error matching ErrZeroValue (or a zero answer for the methods without an
// error), never panics.
func TestZeroValues(t *testing.T) {
	g := gnn.Graph{Nodes: [][]float64{{1, 2}, {3, 4}}, Senders: []int{0}, Receivers: []int{1}}
	d := &gnn.Dataset{Graphs: []gnn.Graph{g}, NodeTargets: [][][]float64{{{1}, {2}}}}
	path := filepath.Join(t.TempDir(), "zero")
	for _, m := range []*gnn.Model{{}, nil} {
		errs := map[string]error{
			"Apply":    second(m.Apply([]gnn.Graph{g})),
			"Evaluate": second(m.Evaluate(d, gnn.MSE)),
			"Save":     m.Save(&bytes.Buffer{}),
			"SaveFile": m.SaveFile(path),
			"Train":    second(m.Train(context.Background(), d, gnn.TrainConfig{Steps: 1})),
		}
		for name, err := range errs {
			if !errors.Is(err, gnn.ErrZeroValue) {
				t.Errorf("Model (nil %v).%s: %v, want ErrZeroValue", m == nil, name, err)
			}
		}
		if m.Dim() != 0 || m.NumParams() != 0 || m.Config().NodeIn != 0 {
			t.Errorf("zero Model: Dim %d, NumParams %d, Config %+v", m.Dim(), m.NumParams(), m.Config())
		}
	}
}

func second[T any](_ T, err error) error { return err }
