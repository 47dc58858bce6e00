package pinn

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestBadInput checks that every kind of bad input returns an error that
// says what was wrong, and nothing panics.
func TestBadInput(t *testing.T) {
	heat := func() Problem {
		p, _ := Heat{Kappa: 0.1}.Problem(1, 5)
		return p
	}
	cfg := Config{Hidden: []int{4}, Collocation: 8}
	cases := []struct {
		name string
		edit func(p *Problem, c *Config)
		want string
	}{
		{"residual wrong shape", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return G.Mean(f.U()) }
		}, "shape"},
		{"residual wrong width", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return G.Concat(1, f.U(), f.Ut()) }
		}, "shape"},
		{"residual nil", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return nil, nil }
		}, "nil"},
		{"residual asks for a missing coefficient", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return f.Mul(f.Coef("nu"), f.U()), nil }
		}, "nu"},
		{"residual derivative out of range", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return f.Uxx(3), nil }
		}, "out of range"},
		{"residual panics", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { var xs []*G.Node; return xs[3], nil }
		}, "panicked"},
		{"residual returns an error", func(p *Problem, c *Config) {
			p.Residual = func(f *Fields) (*G.Node, error) { return nil, errors.New("boom") }
		}, "boom"},
		{"no residual", func(p *Problem, c *Config) { p.Residual = nil }, "Residual"},
		{"empty domain: no space", func(p *Problem, c *Config) { p.Domain.Space = nil }, "empty domain"},
		{"empty domain: Lo = Hi", func(p *Problem, c *Config) { p.Domain.Space = []Interval{{1, 1}} }, "empty domain"},
		{"empty domain: reversed time", func(p *Problem, c *Config) { p.Domain.Time = Interval{1, 0} }, "empty domain"},
		{"empty domain: NaN", func(p *Problem, c *Config) { p.Domain.Space = []Interval{{0, math.NaN()}} }, "empty domain"},
		{"no collocation points", func(p *Problem, c *Config) { c.CollocationPoints = [][]float64{} }, "no collocation points"},
		{"negative collocation count", func(p *Problem, c *Config) { c.Collocation = -1 }, "Collocation"},
		{"collocation point of wrong size", func(p *Problem, c *Config) { c.CollocationPoints = [][]float64{{0.5}} }, "coordinates"},
		{"NaN collocation point", func(p *Problem, c *Config) { c.CollocationPoints = [][]float64{{0.5, math.NaN()}} }, "NaN"},
		{"NaN data", func(p *Problem, c *Config) {
			p.Data = &Data{X: [][]float64{{0.5, 0.5}, {0.1, 0.2}}, U: []float64{1, math.NaN()}}
		}, "NaN"},
		{"NaN data point", func(p *Problem, c *Config) {
			p.Data = &Data{X: [][]float64{{math.NaN(), 0.5}}, U: []float64{1}}
		}, "NaN"},
		{"data lengths", func(p *Problem, c *Config) {
			p.Data = &Data{X: [][]float64{{0.5, 0.5}}, U: []float64{1, 2}}
		}, "values"},
		{"empty data", func(p *Problem, c *Config) { p.Data = &Data{} }, "no points"},
		{"NaN boundary value", func(p *Problem, c *Config) {
			p.Conditions[0].Value = func([]float64) float64 { return math.NaN() }
		}, "NaN"},
		{"condition dimension", func(p *Problem, c *Config) { p.Conditions[0].Dim = 1 }, "dimension"},
		{"condition kind", func(p *Problem, c *Config) { p.Conditions[0].Kind = 0 }, "kind"},
		{"initial condition on a steady problem", func(p *Problem, c *Config) { p.Domain.Time = Interval{} }, "steady"},
		{"Ut on a steady problem", func(p *Problem, c *Config) {
			p.Domain.Time = Interval{}
			p.Conditions = p.Conditions[:1]
		}, "steady"},
		{"duplicate unknown", func(p *Problem, c *Config) {
			p.Unknowns = []Unknown{{Name: "k", Init: 1}, {Name: "k", Init: 2}}
		}, "twice"},
		{"positive unknown starting at 0", func(p *Problem, c *Config) {
			p.Unknowns = []Unknown{{Name: "k", Positive: true}}
		}, "Positive"},
		{"hidden width 0", func(p *Problem, c *Config) { c.Hidden = []int{0} }, "Hidden"},
		{"unknown activation", func(p *Problem, c *Config) { c.Activation = "relu6" }, "activation"},
		{"linear network", func(p *Problem, c *Config) { c.Activation = "identity" }, "linear"},
		{"unknown constraints", func(p *Problem, c *Config) { c.Constraints = 7 }, "Constraints"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, c := heat(), cfg
			tc.edit(&p, &c)
			_, err := New(p, c)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "pinn: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want prefix \"pinn: \" and %q", err, tc.want)
			}
		})
	}
}

// TestTrainStopsOnNaN checks that training stops with an error when the
// loss becomes NaN (a source term that is finite at the collocation points
// but a coefficient that overflows: exp(θ) with θ = 800).
func TestTrainStopsOnNaN(t *testing.T) {
	p, _ := Heat{Kappa: 0.1}.Problem(1, 5)
	p.Residual = func(f *Fields) (*G.Node, error) {
		return f.Sub(f.Ut(), f.Mul(f.Coef("k"), f.Uxx(0))), nil
	}
	p.Unknowns = []Unknown{{Name: "k", Init: math.Exp(700), Positive: true}}
	m, err := New(p, Config{Hidden: []int{4}, Collocation: 8})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 5}}}); err == nil {
		t.Error("training an overflowing loss: no error")
	}
	if _, err := m.Predict([][]float64{{0.5}}); err == nil {
		t.Error("Predict with a point of the wrong size: no error")
	}
	if _, err := m.Residual(nil); err == nil {
		t.Error("Residual of no points: no error")
	}
	if _, err := m.Coef("nope"); err == nil {
		t.Error("Coef of an unknown name: no error")
	}
	if _, err := m.Refine(Refinement{Candidates: 5, Add: 6}); err == nil {
		t.Error("Refine adding more than the candidates: no error")
	}
	if _, err := RelativeL2([]float64{1}, []float64{0}); err == nil {
		t.Error("RelativeL2 against zero: no error")
	}
}
