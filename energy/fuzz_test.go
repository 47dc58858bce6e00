package energy_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/physbias/physbias/energy"
)

// FuzzLoad feeds arbitrary bytes to the three loaders: each returns a model
// or an error matching ErrCorrupt (or ErrInput), and never panics.
func FuzzLoad(f *testing.F) {
	m, _ := energy.New(energy.Config{Visible: 3, Hidden: 2})
	var buf bytes.Buffer
	_ = m.Save(&buf)
	f.Add(buf.Bytes())
	e, _ := energy.NewMLP(energy.MLPConfig{Dim: 2, Hidden: []int{3}})
	buf.Reset()
	_ = e.Save(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("physbias-energy\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(what string, err error) {
			if err != nil && !errors.Is(err, energy.ErrCorrupt) && !errors.Is(err, energy.ErrInput) {
				t.Errorf("%s: error %v matches neither ErrCorrupt nor ErrInput", what, err)
			}
		}
		if r, err := energy.Load(bytes.NewReader(b)); err == nil {
			if _, err := r.FreeEnergy([][]float64{make([]float64, r.Dim())}); err != nil {
				t.Errorf("loaded RBM: %v", err)
			}
		} else {
			check("Load", err)
		}
		_, err := energy.LoadMLP(bytes.NewReader(b))
		check("LoadMLP", err)
		_, err = energy.LoadConditional(bytes.NewReader(b))
		check("LoadConditional", err)
	})
}
