package hopfield_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/physbias/physbias/hopfield"
	G "gorgonia.org/gorgonia"
)

// Errors a user can provoke match their sentinel and start with
// "hopfield: " once.
func TestErrorsMatchSentinels(t *testing.T) {
	second := func(_ any, err error) error { return err }
	var net hopfield.Network
	var c hopfield.Continuous
	var b hopfield.Boltzmann
	var mod hopfield.Modern
	var layer hopfield.HopfieldLayer
	g := G.NewGraph()
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"zero Network", second(net.Energy(nil)), hopfield.ErrZeroValue},
		{"zero Continuous", second(c.Energy(nil)), hopfield.ErrZeroValue},
		{"zero Boltzmann", second(b.Energy(nil)), hopfield.ErrZeroValue},
		{"zero Modern", second(mod.Update(nil)), hopfield.ErrZeroValue},
		{"zero layer", second(layer.Forward(nil)), hopfield.ErrZeroValue},
		{"no patterns", second(hopfield.NewModern(nil, 1)), hopfield.ErrInput},
		{"NaN pattern", second(hopfield.NewModern([][]float64{{1, math.NaN()}}, 1)), hopfield.ErrNotFinite},
		{"bad β", second(hopfield.NewModern([][]float64{{1, 2}}, -1)), hopfield.ErrInput},
		{"self-loop", second(hopfield.NewBoltzmann(3, []hopfield.Edge{{I: 1, J: 1, W: 1}}, nil, 1)), hopfield.ErrInput},
		{"NaN bias", second(hopfield.NewBoltzmann(2, nil, []float64{0, math.NaN()}, 1)), hopfield.ErrNotFinite},
		{"layer dims", second(hopfield.NewHopfieldLayer(g, 0, 3, hopfield.LayerConfig{})), hopfield.ErrInput},
		{"Associate β", second(hopfield.Associate(nil, nil, nil, 1)), hopfield.ErrInput},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v does not match %v", c.name, c.err, c.want)
		}
		if msg := c.err.Error(); !strings.HasPrefix(msg, "hopfield: ") || strings.Count(msg, "hopfield:") != 1 {
			t.Errorf("%s: message %q", c.name, msg)
		}
	}
}

// Nil layers return errors and no parameters; they do not panic.
func TestNilLayers(t *testing.T) {
	var h *hopfield.Hopfield
	var p *hopfield.HopfieldPooling
	var l *hopfield.HopfieldLayer
	if h.Params() != nil || p.Params() != nil || l.Params() != nil {
		t.Error("Params of a nil layer")
	}
	_, e1 := h.Forward(nil, nil)
	_, e2 := p.Forward(nil)
	_, e3 := l.Forward(nil)
	for _, err := range []error{e1, e2, e3} {
		if !errors.Is(err, hopfield.ErrZeroValue) {
			t.Errorf("Forward of a nil layer: %v", err)
		}
	}
}
