package fail

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

type shapeError struct{ n int }

func (e *shapeError) Error() string { return fmt.Sprintf("node: shape %d", e.n) }

func TestWrapNamesThePackageOnce(t *testing.T) {
	inner := Errorf(ErrInput, "hnn", "Config.Hidden is %d: %w", -1, io.ErrUnexpectedEOF)
	err := Wrap(ErrCorrupt, "hnn", inner, "Load: the file's configuration is not valid")
	if got, want := err.Error(), "hnn: Load: the file's configuration is not valid: Config.Hidden is -1: unexpected EOF"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	for _, k := range []error{ErrCorrupt, ErrInput, io.ErrUnexpectedEOF} {
		if !errors.Is(err, k) {
			t.Errorf("errors.Is misses %v", k)
		}
	}
	if errors.Is(err, ErrNotFinite) {
		t.Errorf("matches a kind it is not")
	}
	// Formatting arguments and an empty format.
	if got, want := Wrap(ErrCorrupt, "gnn", errors.New("gnn: x"), "parameter %d", 3).Error(), "gnn: parameter 3: x"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := Wrap(ErrInput, "gnn", errors.New("gnn: x"), "").Error(), "gnn: x"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	// Another package's prefix is kept: it says where the error came from.
	if got, want := Wrap(ErrInput, "gnn", errors.New("train: x"), "Load").Error(), "gnn: Load: train: x"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestTrim(t *testing.T) {
	if Trim(nil, "node") != nil {
		t.Fatalf("Trim(nil) is not nil")
	}
	inner := &shapeError{4}
	err := Trim(fmt.Errorf("ode: %w", inner), "node", "ode")
	// Prefixes go in the order given: "node: " is not at the front, then
	// "ode: " is; the inner "node: " stays.
	if got, want := err.Error(), "node: shape 4"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	err = Trim(inner, "node", "ode")
	if got := err.Error(); got != "shape 4" {
		t.Fatalf("message %q, want %q", got, "shape 4")
	}
	var se *shapeError
	if !errors.As(Errorf(ErrInput, "node", "%w", err), &se) || se.n != 4 {
		t.Fatalf("errors.As does not see through Trim")
	}
}
