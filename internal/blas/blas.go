package blas

// name is set by the file of the BLAS chosen at build time.
var name = "purego"

// Name returns the BLAS in use: "purego" (gonum's native BLAS, the default)
// or "openblas" (built with -tags openblas).
func Name() string { return name }
