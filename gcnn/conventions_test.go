package gcnn_test

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
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// The public shape of every physbias package (internal/doc.go), checked on
// gcnn: zero values, defaults, files, stops and callbacks.

// Every method of a zero or nil Model returns ErrZeroValue (or a zero
// number), never panics.
func TestZeroValueModel(t *testing.T) {
	im := shapes(1, 2, 16)
	path := filepath.Join(t.TempDir(), "m")
	for name, m := range map[string]*gcnn.Model{"zero": {}, "nil": nil} {
		_, _, fmErr := m.FeatureMaps(&im, 0, 0)
		for i, err := range []error{
			second(m.Train(context.Background(), &gcnn.Dataset{Train: im}, gcnn.TrainConfig{})),
			second(m.Logits(&im)), second(m.Predict(&im)), second(m.TestError(&im)), fmErr,
			m.Save(&bytes.Buffer{}), m.SaveFile(path),
		} {
			if !errors.Is(err, gcnn.ErrZeroValue) || !strings.HasPrefix(err.Error(), "gcnn: ") {
				t.Errorf("%s Model: method %d: error %v, want ErrZeroValue", name, i, err)
			}
		}
		if m.Dim() != 0 || m.NumParams() != 0 || !reflect.DeepEqual(m.Config(), gcnn.Config{}) {
			t.Errorf("%s Model: Dim %d, NumParams %d, Config %+v; want zeros", name, m.Dim(), m.NumParams(), m.Config())
		}
	}
}

func second[T any](_ T, err error) error { return err }

// Config() returns the configuration with the defaults of the field
// comments filled in, as a copy; a model made from it is the same model.
func TestConfigDefaults(t *testing.T) {
	m, err := gcnn.New(gcnn.Config{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	layers := gcnn.PaperLayers()
	for i := range layers {
		layers[i].Stride = 1
	}
	want := gcnn.Config{Group: gcnn.P4, Size: 28, InChannels: 1, Classes: 10, Width: 10, Layers: layers, Pool: gcnn.Max, Seed: 5}
	if c := m.Config(); !reflect.DeepEqual(c, want) {
		t.Errorf("Config() = %+v, want %+v", c, want)
	}
	c := m.Config()
	c.Layers[0].Kernel = 5
	if m.Config().Layers[0].Kernel != 3 {
		t.Error("changing Config().Layers changed the model's")
	}
	for _, g := range []gcnn.Group{gcnn.Z2, gcnn.P4M} {
		m, err := gcnn.New(gcnn.Config{Group: g})
		if err != nil {
			t.Fatal(err)
		}
		if w := m.Config().Width; w != map[gcnn.Group]int{gcnn.Z2: 20, gcnn.P4M: 7}[g] {
			t.Errorf("%v: default Width %d", g, w)
		}
	}
	again, err := gcnn.New(m.Config())
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := m.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := again.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("New(m.Config()) is not the same model as m")
	}
}

// Empty, foreign and one-byte files, and every truncation of a small model
// file, are ErrCorrupt, never a panic; a nil reader or writer is ErrInput.
func TestLoadCorrupt(t *testing.T) {
	m, err := gcnn.New(gcnn.Config{Size: 8, Classes: 2, Width: 1, Layers: []gcnn.Layer{{Kernel: 3}, {Kernel: 6}}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for name, b := range map[string][]byte{
		"empty":    nil,
		"one byte": good[:1],
		"foreign":  []byte("this is not a model file, just some text of a reasonable length....."),
	} {
		if _, err := gcnn.Load(bytes.NewReader(b)); !errors.Is(err, gcnn.ErrCorrupt) || strings.Count(err.Error(), "gcnn:") != 1 {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	for n := 0; n < len(good); n++ {
		if _, err := gcnn.Load(bytes.NewReader(good[:n])); !errors.Is(err, gcnn.ErrCorrupt) {
			t.Fatalf("truncated to %d of %d bytes: %v, want ErrCorrupt", n, len(good), err)
		}
	}
	if _, err := gcnn.Load(nil); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("Load(nil): %v", err)
	}
	if err := m.Save(nil); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("Save(nil): %v", err)
	}
}

// Training records a History ("step limit"), takes all the images when
// they are fewer than the default batch size, stops at TimeLimit with
// StopTimeLimit and no error, and at the first non-finite loss with
// ErrNotFinite naming the step (finite pixels of 1e38 overflow float32
// convolutions).
func TestTrainStops(t *testing.T) {
	m, err := gcnn.New(smallConfig(gcnn.P4))
	if err != nil {
		t.Fatal(err)
	}
	d := &gcnn.Dataset{Train: shapes(3, 16, 16)}
	h, err := m.Train(context.Background(), d, gcnn.TrainConfig{Steps: 3, BatchSize: 8})
	if err != nil || h.Stop != "step limit" || h.Steps != 3 || len(h.Loss) != 3 {
		t.Errorf("3 steps: %+v, %v", h, err)
	}
	// BatchSize 0 on 16 images (fewer than the default 64) takes them all.
	h, err = m.Train(context.Background(), d, gcnn.TrainConfig{Steps: 2})
	if err != nil || h.Steps != 2 {
		t.Errorf("default batch size on 16 images: %+v, %v", h, err)
	}
	h, err = m.Train(context.Background(), d, gcnn.TrainConfig{Steps: 3, BatchSize: 8, TimeLimit: 1})
	if err != nil || h.Stop != gcnn.StopTimeLimit || h.Steps != 0 {
		t.Errorf("time limit: %+v, %v", h, err)
	}
	big := shapes(3, 16, 16)
	for i := range big.X {
		big.X[i] *= 1e38
	}
	h, err = m.Train(context.Background(), &gcnn.Dataset{Train: big}, gcnn.TrainConfig{Steps: 3, BatchSize: 8})
	if !errors.Is(err, gcnn.ErrNotFinite) || !strings.Contains(err.Error(), "step 1") || h.Steps != 0 {
		t.Errorf("overflowing images: %d steps, %v; want ErrNotFinite at step 1", h.Steps, err)
	}
	if _, err := m.Logits(&d.Train); err != nil {
		t.Errorf("after the stop: %v", err)
	}
}

// A Progress function that panics stops Model.Train and TrainGraph after
// the step it was called in, with an error matching ErrCallback that names
// it; the model keeps the weights of the last completed step.
func TestProgressPanic(t *testing.T) {
	m, err := gcnn.New(smallConfig(gcnn.P4))
	if err != nil {
		t.Fatal(err)
	}
	d := &gcnn.Dataset{Train: shapes(4, 16, 16)}
	boom := func(p gcnn.Progress) {
		if p.Step >= 2 {
			panic("progress bar broke")
		}
	}
	h, err := m.Train(context.Background(), d, gcnn.TrainConfig{Steps: 40, BatchSize: 4, Progress: boom})
	checkCallback(t, "Model.Train", err, "TrainConfig.Progress")
	if h.Steps != 2 {
		t.Errorf("Model.Train: %d steps after the panic at step 2", h.Steps)
	}
	if _, err := m.Logits(&d.Train); err != nil {
		t.Errorf("after the panic: %v", err)
	}
	o := quadratic(t)
	h, err = gcnn.TrainGraph(context.Background(), o, gcnn.TrainConfig{Steps: 40, Progress: boom})
	checkCallback(t, "TrainGraph", err, "TrainConfig.Progress")
	if h.Steps != 2 {
		t.Errorf("TrainGraph: %d steps after the panic at step 2", h.Steps)
	}
}

func checkCallback(t *testing.T, what string, err error, name string) {
	t.Helper()
	if !errors.Is(err, gcnn.ErrCallback) || !strings.Contains(err.Error(), name) || strings.Count(err.Error(), "gcnn:") != 1 {
		t.Errorf("%s: error %v, want ErrCallback naming %s once prefixed", what, err, name)
	}
}

// quadratic is an Objective of a user's: Σ (w − 1)² over a (4) parameter.
func quadratic(t *testing.T) gcnn.Objective {
	t.Helper()
	g := G.NewGraph()
	w := tensorNode(g, "w", tensor.Float64, []float64{0, 2, -1, 3}, 4)
	one := tensorNode(g, "one", tensor.Float64, []float64{1, 1, 1, 1}, 4)
	loss, err := G.Sum(G.Must(G.Square(G.Must(G.Sub(w, one)))))
	if err != nil {
		t.Fatal(err)
	}
	return gcnn.Objective{Graph: g, Loss: loss, Params: []*G.Node{w}}
}

// TrainGraph refuses an Objective it cannot train with ErrInput in the
// user's terms, and turns a Feed that fails or panics into ErrCallback,
// keeping the parameters of the last completed step.
func TestTrainGraphObjective(t *testing.T) {
	ctx := context.Background()
	feed := func([]int) error { return nil }
	for _, c := range []struct {
		name string
		edit func(*gcnn.Objective, *gcnn.TrainConfig)
		want string
	}{
		{"N without Feed", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.N = 10 }, "Feed is nil"},
		{"Feed without N", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.Feed = feed }, "N is 0"},
		{"negative N", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.N, o.Feed = -1, feed }, "Objective.N is -1"},
		{"BatchSize with fixed inputs", func(_ *gcnn.Objective, tc *gcnn.TrainConfig) { tc.BatchSize = 4 }, "BatchSize 4 with Objective.N 0"},
		{"BatchSize above N", func(o *gcnn.Objective, tc *gcnn.TrainConfig) { o.N, o.Feed, tc.BatchSize = 3, feed, 4 }, "larger than Objective.N 3"},
		{"vector loss", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.Loss = o.Params[0] }, "scalar"},
		{"nil parameter", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.Params = append(o.Params, nil) }, "nil"},
		{"parameter twice", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.Params = append(o.Params, o.Params[0]) }, "twice"},
		{"computed parameter", func(o *gcnn.Objective, _ *gcnn.TrainConfig) { o.Params = []*G.Node{o.Loss} }, "input nodes"},
	} {
		o, tc := quadratic(t), gcnn.TrainConfig{Steps: 2}
		c.edit(&o, &tc)
		_, err := gcnn.TrainGraph(ctx, o, tc)
		if !errors.Is(err, gcnn.ErrInput) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "gcnn: ") || strings.Count(err.Error(), "gcnn:") != 1 {
			t.Errorf("%s: %v, want ErrInput saying %q", c.name, err, c.want)
		}
	}
	if _, err := gcnn.TrainGraph(nil, quadratic(t), gcnn.TrainConfig{}); !errors.Is(err, gcnn.ErrInput) { //nolint:staticcheck // the nil context is what is tested
		t.Errorf("nil context: %v", err)
	}

	// A Feed that panics or fails at its third call: two steps done.
	for name, f := range map[string]func(int) error{
		"panics": func(int) error { panic("feeder jammed") },
		"fails":  func(int) error { return errors.New("feeder jammed") },
	} {
		o := quadratic(t)
		calls := 0
		o.N = 8
		o.Feed = func(idx []int) error {
			if calls++; calls == 3 {
				return f(calls)
			}
			return nil
		}
		h, err := gcnn.TrainGraph(ctx, o, gcnn.TrainConfig{Steps: 10, BatchSize: 4, LR: 0.1})
		checkCallback(t, "Feed that "+name, err, "Objective.Feed")
		if !strings.Contains(err.Error(), "feeder jammed") || !strings.Contains(err.Error(), "step 3") || h.Steps != 2 {
			t.Errorf("Feed that %s: %d steps, %v", name, h.Steps, err)
		}
		w := o.Params[0].Value().Data().([]float64)
		// Two Adam steps (β₁ 0.9, β₂ 0.999, ε 1e-8) of Σ (w − 1)², by hand.
		for i, w0 := range []float64{0, 2, -1, 3} {
			x, m, v := w0, 0.0, 0.0
			for step := 1; step <= 2; step++ {
				g := 2 * (x - 1)
				m, v = 0.9*m+0.1*g, 0.999*v+0.001*g*g
				x -= 0.1 * (m / (1 - math.Pow(0.9, float64(step)))) / (math.Sqrt(v/(1-math.Pow(0.999, float64(step)))) + 1e-8)
			}
			if math.Abs(w[i]-x) > 1e-12 {
				t.Errorf("Feed that %s: parameter %d is %v, want %v after two Adam steps", name, i, w[i], x)
			}
		}
	}
}

// A configuration too large to allocate is an error matching ErrInput, not
// a crash of the allocator (Width 2²⁰ would ask for 2⁴⁰·36 filter weights).
func TestConfigTooLarge(t *testing.T) {
	for name, cfg := range map[string]gcnn.Config{
		"Width 2^20":                {Width: 1 << 20},
		"Width 2^13 (parameters)":   {Size: 8, Width: 1 << 13, Layers: []gcnn.Layer{{Kernel: 3, Pad: 1}, {Kernel: 3, Pad: 1}, {Kernel: 8}}},
		"Width 2^16 (feature maps)": {Width: 1 << 16},
		"Classes 2^40":              {Classes: 1 << 40},
		"Size 2^40":                 {Size: 1 << 40, Layers: []gcnn.Layer{{Kernel: 3}}},
		"Size 2^13 (feature maps)":  {Size: 1 << 13, Width: 64, Layers: []gcnn.Layer{{Kernel: 3}}},
		"kernel 2^40":               {Size: 8, Layers: []gcnn.Layer{{Kernel: 1 << 40}}},
		"padding 2^40":              {Size: 8, Layers: []gcnn.Layer{{Kernel: 3, Pad: 1 << 40}}},
		"stride 2^40":               {Size: 8, Group: gcnn.Z2, Layers: []gcnn.Layer{{Kernel: 3, Stride: 1 << 40}}},
	} {
		_, err := gcnn.New(cfg)
		if !errors.Is(err, gcnn.ErrInput) || strings.Count(err.Error(), "gcnn:") != 1 {
			t.Errorf("%s: %v, want ErrInput", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	// Large but reasonable: 3-channel 224×224 images on P4M.
	if _, err := gcnn.New(gcnn.Config{Group: gcnn.P4M, Size: 224, InChannels: 3, Width: 8,
		Layers: []gcnn.Layer{{Kernel: 5, Stride: 3}, {Kernel: 3, MaxPool: 2}, {Kernel: 36}}}); err != nil {
		t.Errorf("a 224×224 model: %v", err)
	}
}

// Sizes whose products overflow int are errors (or no images), not panics.
func TestOverflowingSizes(t *testing.T) {
	const big = 1 << 32 // big·big wraps around to 0
	if n := (&gcnn.Images{X: make([]float32, 4), C: big, H: big, W: 1}).Len(); n != 0 {
		t.Errorf("Len of images of %d×%d×1: %d", big, big, n)
	}
	if _, _, _, err := gcnn.Act[float32](gcnn.P4, 1, nil, 1, 1, big, big, false); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("Act on %d×%d maps with no values: %v", big, big, err)
	}
	if err := gcnn.Rotate(nil, nil, big, big, 1); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("Rotate of %d×%d with no values: %v", big, big, err)
	}
	if _, err := gcnn.MNISTRot(t.TempDir(), gcnn.DataConfig{Train: math.MaxInt, Test: 1}); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("MNISTRot of MaxInt + 1 images: %v", err)
	}
	m, err := gcnn.New(smallConfig(gcnn.P4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Logits(&gcnn.Images{X: make([]float32, 4), C: big, H: big, W: 1}); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("Logits of %d×%d×1 images: %v", big, big, err)
	}
}
