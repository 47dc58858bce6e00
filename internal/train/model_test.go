package train

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
)

// toyConfig stands in for a package's Config.
type toyConfig struct {
	Hidden     []int
	Activation string
	Scale      float64
	Seed       uint64
}

// toyModel builds the parameters a toyConfig describes, drawn from Seed.
func toyModel(cfg toyConfig) []*G.Node {
	g := G.NewGraph()
	r := rng.New(cfg.Seed)
	var ps []*G.Node
	in := 2
	for i, h := range append(append([]int(nil), cfg.Hidden...), 1) {
		w := make([]float64, in*h)
		for k := range w {
			w[k] = cfg.Scale * r.NormFloat64()
		}
		ps = append(ps, G.NewMatrix(g, tensor.Float64, G.WithShape(in, h), G.WithName("w"+string(rune('0'+i))),
			G.WithValue(tensor.New(tensor.WithShape(in, h), tensor.WithBacking(w)))))
		in = h
	}
	return ps
}

const toyKind = "toy.Model v1"

func savedModel(t *testing.T, cfg toyConfig, ps []*G.Node) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SaveModel(&buf, toyKind, cfg, ps); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestModelRoundTrip: the config comes back equal (floats bit for bit
// through JSON) and a model built from it gets the parameters bit for bit.
func TestModelRoundTrip(t *testing.T) {
	cfg := toyConfig{Hidden: []int{5, 3}, Activation: "tanh", Scale: 0.1 + 1e-17*3, Seed: 42}
	src := toyModel(cfg)
	data := savedModel(t, cfg, src)

	var got toyConfig
	mf, err := ReadModel(bytes.NewReader(data), toyKind, &got)
	if err != nil {
		t.Fatal(err)
	}
	if got.Activation != cfg.Activation || math.Float64bits(got.Scale) != math.Float64bits(cfg.Scale) ||
		got.Seed != cfg.Seed || len(got.Hidden) != 2 || got.Hidden[0] != 5 || got.Hidden[1] != 3 {
		t.Fatalf("config %+v, saved %+v", got, cfg)
	}
	got.Seed = 7 // a fresh model with other values
	dst := toyModel(got)
	if err := mf.LoadParams(dst); err != nil {
		t.Fatal(err)
	}
	want, _ := Values(src)
	have, _ := Values(dst)
	if !sameBits(want, have) {
		t.Fatal("parameters differ after the round trip")
	}

	// Through a file as well.
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := SaveModelFile(path, toyKind, cfg, src); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadModelFile(path, toyKind, &got); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadModelFile(filepath.Join(t.TempDir(), "none"), toyKind, &got); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func wantCorrupt(t *testing.T, what string, data []byte, kind string) {
	t.Helper()
	var cfg toyConfig
	mf, err := ReadModel(bytes.NewReader(data), kind, &cfg)
	if err == nil {
		err = mf.LoadParams(toyModel(cfg))
	}
	if !errors.Is(err, fail.ErrCorrupt) {
		t.Fatalf("%s: got %v, want an error matching ErrCorrupt", what, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "toy: Load: ") || strings.Contains(msg, "train:") {
		t.Fatalf("%s: message %q", what, msg)
	}
}

// TestModelCorrupt: every truncation, every flipped byte, a foreign kind,
// a config the reader does not know and parameters that do not fit the
// config are errors matching ErrCorrupt, never panics.
func TestModelCorrupt(t *testing.T) {
	cfg := toyConfig{Hidden: []int{4}, Activation: "tanh", Scale: 1, Seed: 1}
	data := savedModel(t, cfg, toyModel(cfg))
	for n := 0; n < len(data); n++ {
		wantCorrupt(t, "truncated", data[:n], toyKind)
	}
	for i := range data {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x10
		wantCorrupt(t, "flipped", bad, toyKind)
	}
	wantCorrupt(t, "foreign kind", data, "toy.Model v2")
	wantCorrupt(t, "appended", append(append([]byte(nil), data...), 0), toyKind)

	// A well-formed file whose config has a field toyConfig lacks.
	var buf bytes.Buffer
	type other struct {
		toyConfig
		Extra int
	}
	if err := SaveModel(&buf, toyKind, other{cfg, 3}, toyModel(cfg)); err != nil {
		t.Fatal(err)
	}
	wantCorrupt(t, "unknown config field", buf.Bytes(), toyKind)

	// A well-formed file whose parameters do not match its config.
	buf.Reset()
	if err := SaveModel(&buf, toyKind, cfg, toyModel(toyConfig{Hidden: []int{6}, Scale: 1})); err != nil {
		t.Fatal(err)
	}
	wantCorrupt(t, "parameters of another shape", buf.Bytes(), toyKind)
}

func TestSaveModelErrors(t *testing.T) {
	ps := toyModel(toyConfig{Hidden: []int{2}, Scale: 1})
	for _, c := range []struct {
		what string
		kind string
		cfg  any
		ps   []*G.Node
	}{
		{"NaN in config", toyKind, toyConfig{Scale: math.NaN()}, ps},
		{"func in config", toyKind, struct{ F func() }{func() {}}, ps},
		{"no kind", "", toyConfig{}, ps},
		{"no parameters", toyKind, toyConfig{}, nil},
	} {
		var buf bytes.Buffer
		if err := SaveModel(&buf, c.kind, c.cfg, c.ps); err == nil {
			t.Errorf("%s: no error", c.what)
		}
	}
}

// fuzzReadModel is FuzzLoad's check of model files (one Fuzz target per
// package): no input makes ReadModel or LoadParams panic, their errors
// match ErrCorrupt, and whatever they accept loads into the model the
// config describes.
func fuzzReadModel(t *testing.T, data []byte) {
	var c toyConfig
	mf, err := ReadModel(bytes.NewReader(data), toyKind, &c)
	if err != nil {
		if !errors.Is(err, fail.ErrCorrupt) {
			t.Fatalf("error not matching ErrCorrupt: %v", err)
		}
		return
	}
	if len(c.Hidden) > 4 || c.Scale != c.Scale {
		return // a valid file of an absurd model: not built here
	}
	for _, h := range c.Hidden {
		if h <= 0 || h > 64 {
			return
		}
	}
	if err := mf.LoadParams(toyModel(c)); err != nil && !errors.Is(err, fail.ErrCorrupt) {
		t.Fatalf("LoadParams: %v", err)
	}
}

// modelSeed is a valid model file for the fuzzer's corpus.
func modelSeed(f *testing.F) []byte {
	cfg := toyConfig{Hidden: []int{3}, Activation: "tanh", Scale: 1, Seed: 1}
	var buf bytes.Buffer
	if err := SaveModel(&buf, toyKind, cfg, toyModel(cfg)); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// TestModelHolds: a config asking for more parameters than the file holds
// is refused before anything is built; one asking for what it holds is not.
func TestModelHolds(t *testing.T) {
	cfg := toyConfig{Hidden: []int{4}, Activation: "tanh", Scale: 1, Seed: 1}
	data := savedModel(t, cfg, toyModel(cfg)) // 2·4 + 4·1 = 12 parameters
	var got toyConfig
	mf, err := ReadModel(bytes.NewReader(data), toyKind, &got)
	if err != nil {
		t.Fatal(err)
	}
	if err := mf.Holds(12); err != nil {
		t.Fatalf("12 parameters in a file of 12: %v", err)
	}
	for _, n := range []int{1 << 40, -1} {
		if err := mf.Holds(n); !errors.Is(err, fail.ErrCorrupt) || !strings.HasPrefix(err.Error(), "toy: Load: ") {
			t.Fatalf("%d parameters: %v", n, err)
		}
	}
	var nilFile *ModelFile
	if err := nilFile.Holds(1); !errors.Is(err, fail.ErrZeroValue) {
		t.Fatalf("nil ModelFile: %v", err)
	}
}

// TestLoadParamsWrapsTheCause: LoadParams' error wraps Load's with %w, so
// errors.As and errors.Unwrap reach it, and its text says "train: Load"
// nowhere.
func TestLoadParamsWrapsTheCause(t *testing.T) {
	cfg := toyConfig{Hidden: []int{4}, Activation: "tanh", Scale: 1, Seed: 1}
	var buf bytes.Buffer
	if err := SaveModel(&buf, toyKind, cfg, toyModel(toyConfig{Hidden: []int{6}, Scale: 1})); err != nil {
		t.Fatal(err)
	}
	var got toyConfig
	mf, err := ReadModel(&buf, toyKind, &got)
	if err != nil {
		t.Fatal(err)
	}
	err = mf.LoadParams(toyModel(got))
	if !errors.Is(err, fail.ErrCorrupt) {
		t.Fatalf("got %v, want an error matching ErrCorrupt", err)
	}
	// Walk the wrapped errors for Load's own.
	var found bool
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if strings.HasPrefix(e.Error(), "train: Load: ") {
			found = true
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	if !found {
		t.Fatalf("%q does not wrap Load's error", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "toy: Load: parameters: ") || strings.Contains(msg, "train:") {
		t.Fatalf("message %q", msg)
	}
}
