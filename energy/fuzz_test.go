package energy_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/physbias/physbias/energy"
)

// FuzzLoad feeds arbitrary bytes to the five loaders: each returns a model
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
	n, _ := energy.NewNetwork(2, skipNet(2, 3, 1))
	buf.Reset()
	_ = n.Save(&buf)
	f.Add(buf.Bytes())
	c, _ := energy.NewConditionalNetwork(2, 3, pairNet(2, 3, 4, 1))
	buf.Reset()
	_ = c.Save(&buf)
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
		if u, err := energy.LoadNetwork(bytes.NewReader(b), skipNet(2, 3, 1)); err == nil {
			if _, err := u.Energy([][]float64{{0, 0}}); err != nil {
				t.Errorf("loaded NetworkEnergy: %v", err)
			}
		} else {
			check("LoadNetwork", err)
		}
		_, err = energy.LoadConditionalNetwork(bytes.NewReader(b), pairNet(2, 3, 4, 1))
		check("LoadConditionalNetwork", err)
	})
}
