package flows_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/flows"
)

// The public shape of every physbias package (internal/doc.go), checked on
// flows: a nil context, zero values, defaults, history and stops, callbacks.

// A nil context is an error matching ErrInput, for both models.
func TestTrainNilContext(t *testing.T) {
	x := gaussian(40, 2, 1)
	for _, f := range []flows.Flow{
		must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2})),
		must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}})),
	} {
		h, err := f.Train(nil, x, flows.TrainConfig{Steps: 2}) //nolint:staticcheck // the nil context is what is tested
		if !errors.Is(err, flows.ErrInput) || !strings.HasPrefix(err.Error(), "flows: ") || h.Steps != 0 {
			t.Errorf("%T: nil context gave %d steps and error %v, want ErrInput", f, h.Steps, err)
		}
	}
}

// Every method of a zero or nil model returns ErrZeroValue (or a zero
// number), never panics.
func TestZeroValueModels(t *testing.T) {
	ctx := context.Background()
	x := []float64{1, 2}
	path := filepath.Join(t.TempDir(), "m")
	for name, m := range map[string]*flows.NHF{"zero NHF": {}, "nil NHF": nil} {
		errs := []error{
			second(m.Train(ctx, x, flows.TrainConfig{})),
			m.Save(&bytes.Buffer{}), m.SaveFile(path),
			second(m.LogProb(x)), second(m.Sample(2, 1)), second(m.Bound(x, 2, 1)),
			second(m.LogJoint(x, x)), second(m.Hamiltonian(0)),
			m.Forward(x, x), m.Inverse(x, x),
		}
		_, _, err := m.SampleJoint(2, 1)
		errs = append(errs, err)
		for i, err := range errs {
			if !errors.Is(err, flows.ErrZeroValue) {
				t.Errorf("%s: method %d: error %v, want ErrZeroValue", name, i, err)
			}
		}
		if m.Dim() != 0 || m.NumParams() != 0 || !reflect.DeepEqual(m.Config(), flows.NHFConfig{}) {
			t.Errorf("%s: Dim %d, NumParams %d, Config %+v; want zeros", name, m.Dim(), m.NumParams(), m.Config())
		}
	}
	for name, m := range map[string]*flows.RealNVP{"zero RealNVP": {}, "nil RealNVP": nil} {
		errs := []error{
			second(m.Train(ctx, x, flows.TrainConfig{})),
			m.Save(&bytes.Buffer{}), m.SaveFile(path),
			second(m.LogProb(x)), second(m.Sample(2, 1)), second(m.ToBase(x)), m.FromBase(x),
		}
		for i, err := range errs {
			if !errors.Is(err, flows.ErrZeroValue) {
				t.Errorf("%s: method %d: error %v, want ErrZeroValue", name, i, err)
			}
		}
		if m.Dim() != 0 || m.NumParams() != 0 || !reflect.DeepEqual(m.Config(), flows.RealNVPConfig{}) {
			t.Errorf("%s: Dim %d, NumParams %d, Config %+v; want zeros", name, m.Dim(), m.NumParams(), m.Config())
		}
	}
}

// Config() returns the configuration with the defaults of the field
// comments filled in, as a copy the caller may change.
func TestConfigDefaults(t *testing.T) {
	nhf, err := flows.NewNHF(3, flows.NHFConfig{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := flows.NHFConfig{Hidden: []int{64, 64}, EncoderHidden: []int{64, 64}, Stages: 1, Leapfrog: 10, StepSize: 0.1, EvalSamples: 64, Seed: 4}
	if c := nhf.Config(); !reflect.DeepEqual(c, want) {
		t.Errorf("NHF Config() = %+v, want %+v", c, want)
	}
	c := nhf.Config()
	c.Hidden[0] = 1
	if nhf.Config().Hidden[0] != 64 {
		t.Error("changing Config().Hidden changed the model's")
	}
	nvp, err := flows.NewRealNVP(4, flows.RealNVPConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if c := nvp.Config(); !reflect.DeepEqual(c, flows.RealNVPConfig{Layers: 8, Hidden: []int{64, 64}}) {
		t.Errorf("RealNVP Config() = %+v", c)
	}
	// A model built from its own Config() is the same model.
	again, err := flows.NewNHF(3, nhf.Config())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := nhf.LogProb([]float64{0.1, 0.2, 0.3})
	b, _ := again.LogProb([]float64{0.1, 0.2, 0.3})
	if math.Float64bits(a[0]) != math.Float64bits(b[0]) {
		t.Errorf("NewNHF(Config()) gives log p %v, the model %v", b[0], a[0])
	}
}

// History is internal/train's: a full run stops with "step limit" and
// counts its steps and evaluations; TimeLimit stops with StopTimeLimit.
func TestHistory(t *testing.T) {
	x := gaussian(64, 2, 2)
	m := must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2}))
	var calls, last int
	done := false
	h, err := m.Train(context.Background(), x, flows.TrainConfig{Steps: 40, BatchSize: 16, Progress: func(p flows.Progress) {
		calls++
		last = p.Step
		done = p.Done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Stop != "step limit" || h.Steps != 40 || len(h.Loss) != 40 || h.Evals != 40 || h.Elapsed <= 0 {
		t.Errorf("history: stop %q, %d steps, %d losses, %d evaluations, %v", h.Stop, h.Steps, len(h.Loss), h.Evals, h.Elapsed)
	}
	if calls < 10 || last != 40 || !done {
		t.Errorf("Progress: %d calls, last at step %d (done %v); want about 20 and a final one at 40", calls, last, done)
	}
	h, err = m.Train(context.Background(), x, flows.TrainConfig{Steps: 40, BatchSize: 16, TimeLimit: 1})
	if err != nil || h.Stop != flows.StopTimeLimit {
		t.Errorf("TimeLimit: stop %q, error %v", h.Stop, err)
	}
}

// A Progress function that panics stops training after the step it was
// called in, with an error matching ErrCallback that names it; the model
// keeps the weights of the last completed step and stays usable.
func TestProgressPanic(t *testing.T) {
	x := gaussian(64, 2, 3)
	for _, f := range []flows.Flow{
		must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2})),
		must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}})),
	} {
		h, err := f.Train(context.Background(), x, flows.TrainConfig{Steps: 100, BatchSize: 16, Progress: func(p flows.Progress) {
			if p.Step >= 10 {
				panic("my progress bar broke")
			}
		}})
		if !errors.Is(err, flows.ErrCallback) || !strings.Contains(err.Error(), "TrainConfig.Progress") ||
			!strings.Contains(err.Error(), "my progress bar broke") || strings.Count(err.Error(), "flows:") != 1 {
			t.Errorf("%T: error %v, want ErrCallback naming TrainConfig.Progress", f, err)
		}
		if h.Steps != 10 || h.Stop != "error" {
			t.Errorf("%T: %d steps, stop %q; want 10 and \"error\"", f, h.Steps, h.Stop)
		}
		lp, err := f.LogProb(x)
		if err != nil {
			t.Fatalf("%T: after the panic: %v", f, err)
		}
		for i, v := range lp {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%T: log p at point %d is %v after the panic", f, i, v)
			}
		}
	}
}

// The NHF stops at the first non-finite loss with ErrNotFinite naming the
// step, and keeps the weights of the step before.
func TestNHFTrainNotFinite(t *testing.T) {
	x := gaussian(64, 3, 1)
	x[7] = 1e200
	m := must[*flows.NHF](t)(flows.NewNHF(3, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2}))
	h, err := m.Train(context.Background(), x, flows.TrainConfig{Steps: 50, BatchSize: 64})
	if !errors.Is(err, flows.ErrNotFinite) || !strings.Contains(err.Error(), "step 1") || h.Stop != "not finite" {
		t.Fatalf("error %v after %d steps (stop %q), want ErrNotFinite naming step 1", err, h.Steps, h.Stop)
	}
	if _, err := m.LogProb(x[:6]); err != nil {
		t.Errorf("after the stop: %v", err)
	}
}

// Save to a nil writer, and LoadNHFNetworks without the networks, are
// ErrInput (the user's mistake, not a corrupt file), not panics.
func TestSaveLoadNil(t *testing.T) {
	for _, f := range []flows.Flow{
		must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2})),
		must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}})),
	} {
		if err := f.Save(nil); !errors.Is(err, flows.ErrInput) || !strings.HasPrefix(err.Error(), "flows: ") {
			t.Errorf("%T: Save(nil): %v", f, err)
		}
	}
	m, err := flows.NewNHFNetworks(2, tanhMLP(2, 4), tanhMLP(2, 4), flows.NHFConfig{Leapfrog: 2})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := flows.LoadNHFNetworks(bytes.NewReader(buf.Bytes()), nil, tanhMLP(2, 4)); !errors.Is(err, flows.ErrInput) {
		t.Errorf("LoadNHFNetworks with a nil K: %v, want ErrInput", err)
	}
	if _, err := flows.LoadNHFNetworks(bytes.NewReader(buf.Bytes()), tanhMLP(2, 4), tanhMLP(2, 4)); err != nil {
		t.Errorf("LoadNHFNetworks: %v", err)
	}
}

// A configuration too large to allocate is an error matching ErrInput, not
// a crash of the allocator.
func TestConfigTooLarge(t *testing.T) {
	for name, err := range map[string]error{
		"NHF width 2^40":              second(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{1 << 40}})),
		"NHF widths 2^20 × 2^20":      second(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{1 << 20, 1 << 20}})),
		"NHF 1000 stages of 2^12":     second(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{1 << 12, 1 << 12}, Stages: 1000})),
		"NHF encoder width 2^40":      second(flows.NewNHF(2, flows.NHFConfig{EncoderHidden: []int{1 << 40}})),
		"RealNVP width 2^40":          second(flows.NewRealNVP(2, flows.RealNVPConfig{Hidden: []int{1 << 40}})),
		"RealNVP widths 2^15 × 2^15":  second(flows.NewRealNVP(4, flows.RealNVPConfig{Hidden: []int{1 << 15, 1 << 15}})),
		"user networks, encoder 2^40": second(flows.NewNHFNetworks(2, tanhMLP(2, 4), tanhMLP(2, 4), flows.NHFConfig{EncoderHidden: []int{1 << 40}})),
		"EvalSamples 2^30":            second(flows.NewNHF(2, flows.NHFConfig{EvalSamples: 1 << 30})),
	} {
		if !errors.Is(err, flows.ErrInput) || strings.Count(err.Error(), "flows:") != 1 {
			t.Errorf("%s: %v, want ErrInput", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	// Draws too many to allocate are refused the same way.
	nhf := must[*flows.NHF](t)(flows.NewNHF(3, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2}))
	nvp := must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}}))
	x := []float64{0.1, 0.2, 0.3}
	for name, err := range map[string]error{
		"NHF Sample 2^40":       second(nhf.Sample(1<<40, 1)),
		"NHF Sample MaxInt":     second(nhf.Sample(math.MaxInt, 1)),
		"NHF Bound k 2^40":      second(nhf.(*flows.NHF).Bound(x, 1<<40, 1)),
		"RealNVP Sample 2^40":   second(nvp.Sample(1<<40, 1)),
		"density Sample MaxInt": second(flows.TwoMoons.Sample(math.MaxInt, 1)),
	} {
		if !errors.Is(err, flows.ErrInput) || strings.Count(err.Error(), "flows:") != 1 {
			t.Errorf("%s: %v, want ErrInput", name, err)
		}
	}
}

// A user's Network that fails only later (its Build making other parameters
// than it first made, or returning an error) is an error matching
// ErrCallback that says so, from LogProb, Sample and Train and from
// Leapfrog with the model's Hamiltonian, not a NaN reported as ErrNotFinite.
func TestUserNetworkFailsLater(t *testing.T) {
	for _, c := range []struct {
		name string
		fail func(calls int) (width int, err error)
		want string
	}{
		{"changes shape", func(calls int) (int, error) { return 4 + calls, nil }, "differ from those it first made"},
		{"fails", func(calls int) (int, error) {
			if calls > 1 {
				return 0, errors.New("out of coffee")
			}
			return 4, nil
		}, "out of coffee"},
	} {
		calls := 0
		flaky := flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
			calls++
			w, err := c.fail(calls)
			if err != nil {
				return nil, nil, err
			}
			return tanhMLP(3, w).Build(g, name, seed)
		})
		m, err := flows.NewNHFNetworks(3, tanhMLP(3, 4), flaky, flows.NHFConfig{Leapfrog: 2, EncoderHidden: []int{4}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		x := gaussian(8, 3, 1)
		h, herr := m.Hamiltonian(0)
		if herr != nil {
			t.Fatal(herr)
		}
		q, p := append([]float64(nil), x...), append([]float64(nil), x...)
		for what, err := range map[string]error{
			"LogProb":  second(m.LogProb(x)),
			"Sample":   second(m.Sample(4, 1)),
			"Train":    second(m.Train(context.Background(), x, flows.TrainConfig{Steps: 1})),
			"Leapfrog": flows.Leapfrog(h, q, p, 0.1, 2),
		} {
			if !errors.Is(err, flows.ErrCallback) || !strings.Contains(err.Error(), c.want) || strings.Count(err.Error(), "flows:") != 1 {
				t.Errorf("%s network, %s: %v; want ErrCallback saying %q", c.name, what, err, c.want)
			}
		}
	}
}
