package hnn

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/train"
)

// TestLoadInvalidConfig: a well-formed file whose Config New refuses is an
// error matching ErrCorrupt and New's ErrInput, naming hnn once.
func TestLoadInvalidConfig(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{4}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	params, err := m.graphParams()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := train.SaveModel(&buf, modelKind, saved{Dim: 2, Config: Config{Hidden: []int{}, Seed: 1}}, params); err != nil {
		t.Fatal(err)
	}
	_, err = Load(&buf)
	if !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrInput) {
		t.Fatalf("got %v, want an error matching ErrCorrupt and ErrInput", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "hnn: Load: the file's configuration is not valid: Config.Hidden") || strings.Count(msg, "hnn:") != 1 {
		t.Fatalf("message %q", msg)
	}
}
