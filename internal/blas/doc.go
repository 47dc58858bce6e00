// Package blas holds the core's matrix product and chooses the BLAS that
// gorgonia, gorgonia's tensors and gonum use.
//
// # The product
//
// Gemm is the one double-precision matrix product of physbias. It picks the
// kernel by the size m·n·k of each product:
//
//   - small (m·n·k < 512, or n < 8 unless m ≥ 8 and a is transposed):
//     plain Go loops, which beat any kernel's set-up and any cgo call;
//   - medium: a blocked GEMM whose 4×8 register kernel is AVX2/FMA Go
//     assembly on amd64 (no cgo), on CPUs that have those instructions
//     (KernelInUse); fewer than 4 rows are padded to 4, and a product
//     with fewer than 8 columns and a transposed runs as its transpose;
//   - large, in builds with -tags openblas (m·n·k ≥ 2^23, about 200³):
//     OpenBLAS.
//
// Without AVX2/FMA, or under -tags purego, the medium and large products go
// to the build's BLAS (gonum's native Dgemm, or OpenBLAS). Large products
// on the kernel share their row strips among GOMAXPROCS goroutines; the
// result does not depend on GOMAXPROCS.
//
// # gorgonia
//
// At start-up the package makes the build's BLAS, with its Dgemm routed
// through Gemm, the BLAS of gorgonia and gorgonia.org/tensor (gorgonia.Use),
// so that every gorgonia Mul, MatMul and their gradients take the same
// kernels. Results change from gonum's only by rounding (sums in another
// order, fused multiply-adds: at most 1e-15 relative in the tests).
// Packages that build gorgonia graphs import this package for its side
// effect; Name reports which BLAS is in use.
//
// # Builds
//
// Pure Go (gonum's native BLAS behind the kernel) is the default, so every
// program builds and runs on a bare machine. Building with the tag openblas
// switches gorgonia's large products, gorgonia's tensors and gonum's blas64
// to OpenBLAS through cgo (gonum.org/v1/netlib); it needs a C compiler and
// the OpenBLAS development files (Debian: apt-get install libopenblas-dev):
//
//	go test -tags openblas ./...
package blas
