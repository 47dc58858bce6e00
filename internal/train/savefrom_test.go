package train

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
)

// TestSaveModelFrom: the file SaveModelFrom and SaveModelFileFrom write is
// SaveModel's byte for byte, and the error from returns stops the save
// unchanged, with nothing written.
func TestSaveModelFrom(t *testing.T) {
	cfg := toyConfig{Hidden: []int{4}, Activation: "tanh", Scale: 0.3, Seed: 7}
	ps := toyModel(cfg)
	from := func() (toyConfig, []*G.Node, error) { return cfg, ps, nil }
	want := savedModel(t, cfg, ps)
	var buf bytes.Buffer
	if err := SaveModelFrom(&buf, toyKind, from); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("SaveModelFrom wrote %d bytes unlike SaveModel's %d", buf.Len(), len(want))
	}
	path := filepath.Join(t.TempDir(), "m.toy")
	if err := SaveModelFileFrom(path, toyKind, from); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("SaveModelFileFrom: %d bytes, %v; want SaveModel's %d", len(got), err, len(want))
	}

	zero := fail.Errorf(fail.ErrZeroValue, "toy", "Model")
	bad := func() (toyConfig, []*G.Node, error) { return toyConfig{}, nil, zero }
	buf.Reset()
	if err := SaveModelFrom(&buf, toyKind, bad); err != zero || buf.Len() != 0 {
		t.Errorf("SaveModelFrom: %v and %d bytes, want the callback's error and none", err, buf.Len())
	}
	path2 := filepath.Join(t.TempDir(), "n.toy")
	if err := SaveModelFileFrom(path2, toyKind, bad); err != zero {
		t.Errorf("SaveModelFileFrom: %v, want the callback's error", err)
	}
	if _, err := os.Stat(path2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("SaveModelFileFrom left a file after an error: %v", err)
	}
}
