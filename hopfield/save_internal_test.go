package hopfield

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/train"
)

// TestLoadInvalidConfig: a well-formed file whose Config NewModel refuses
// is an error matching ErrCorrupt and NewModel's ErrInput, naming hopfield
// once.
func TestLoadInvalidConfig(t *testing.T) {
	m, err := NewModel(Config{In: 1, Layer: LayerConfig{DimK: 4, DimV: 4, Beta: 4}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	n, err := m.graph(1, false)
	if err != nil {
		t.Fatal(err)
	}
	bad := m.cfg
	bad.In = -1
	var buf bytes.Buffer
	if err := train.SaveModel(&buf, modelKind, bad, n.params); err != nil {
		t.Fatal(err)
	}
	_, err = Load(&buf)
	if !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrInput) {
		t.Fatalf("got %v, want an error matching ErrCorrupt and ErrInput", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "hopfield: Load: the saved Config: Config.In = -1") || strings.Count(msg, "hopfield:") != 1 {
		t.Fatalf("message %q", msg)
	}
}
