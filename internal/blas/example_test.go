package blas_test

import (
	"fmt"

	"github.com/physbias/physbias/internal/blas"
)

// Name tells which BLAS a build uses: "purego" by default, "openblas" with
// -tags openblas.
func ExampleName() {
	switch blas.Name() {
	case "purego", "openblas":
		fmt.Println("a known BLAS")
	default:
		fmt.Println("unknown BLAS", blas.Name())
	}
	// Output: a known BLAS
}
