package hnn

import (
	"errors"
	"math"
	"testing"
)

// TestNewNetRejects: parameters that do not fit the layer sizes, or are
// not finite, are errors matching ErrInput and ErrNotFinite.
func TestNewNetRejects(t *testing.T) {
	sizes := []int{2, 3, 1} // 2·3 + 3 + 3·1 + 1 = 13 parameters
	theta := make([]float64, 13)
	if _, err := newNet(sizes, theta); err != nil {
		t.Fatalf("13 parameters for %v: %v", sizes, err)
	}
	for _, n := range []int{12, 14} {
		if _, err := newNet(sizes, make([]float64, n)); !errors.Is(err, ErrInput) {
			t.Errorf("%d parameters: got %v, want ErrInput", n, err)
		}
	}
	theta[5] = math.Inf(1)
	if _, err := newNet(sizes, theta); !errors.Is(err, ErrNotFinite) {
		t.Errorf("an Inf parameter: got %v, want ErrNotFinite", err)
	}
}
