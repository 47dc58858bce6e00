package rng_test

import (
	"fmt"

	"github.com/physbias/physbias/internal/rng"
)

// The same seed gives the same numbers; another stream of the seed gives
// other numbers.
func ExampleStream() {
	a, b, c := rng.New(42), rng.Stream(42, 0), rng.Stream(42, 1)
	for range 3 {
		fmt.Printf("%.4f %.4f %.4f\n", a.Float64(), b.Float64(), c.Float64())
	}
	// Output:
	// 0.7902 0.7902 0.7137
	// 0.9394 0.9394 0.9767
	// 0.3385 0.3385 0.7543
}
