package fail

import (
	"errors"
	"io"
	"testing"
)

func TestErrorfMatchesKindAndCause(t *testing.T) {
	err := Errorf(ErrNotFinite, "hnn", "step %d: loss is NaN: %w", 3, io.ErrUnexpectedEOF)
	if !errors.Is(err, ErrNotFinite) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("errors.Is misses the kind or the cause: %v", err)
	}
	if errors.Is(err, ErrInput) {
		t.Fatalf("matches a kind it is not")
	}
	if got, want := err.Error(), "hnn: step 3: loss is NaN: unexpected EOF"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestRecover(t *testing.T) {
	f := func() (err error) {
		defer Recover(&err, "lnn", "System.Lagrangian")
		var s []int
		_ = s[3]
		return nil
	}
	err := f()
	if !errors.Is(err, ErrCallback) {
		t.Fatalf("want ErrCallback, got %v", err)
	}
}
