package blas

import (
	"fmt"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkKernels times each kernel on square products n×n×n (and the
// tall-skinny shapes of a batch through an MLP layer, 256×64×64 and
// 256×64×2): the plain loops, the packed AVX2/FMA kernel, the build's BLAS
// (gonum's native Dgemm, or OpenBLAS under -tags openblas), gonum's native
// Dgemm, and Gemm, which picks one by size. It reports GFLOPS by wall
// clock and by process CPU time (the steadier figure on a shared machine);
// the sizes where the kernel and OpenBLAS cross set openblasMin.
func BenchmarkKernels(b *testing.B) {
	shapes := [][3]int{{8, 8, 8}, {4, 16, 16}, {2, 200, 256}, {256, 1, 200}, {256, 200, 1}, {256, 64, 2}, {16, 16, 16}, {32, 32, 32}, {256, 64, 64}, {64, 64, 64}, {96, 96, 96}, {128, 128, 128}, {192, 192, 192}, {256, 256, 256}, {512, 512, 512}}
	kernels := []struct {
		name string
		f    func(m, n, k int, a, bb, c []float64)
	}{
		{"loops", func(m, n, k int, a, bb, c []float64) { smallGemm(false, false, m, n, k, a, k, bb, n, c, n, 0) }},
		{"kernel", func(m, n, k int, a, bb, c []float64) { packedGemm(false, false, m, n, k, a, k, bb, n, c, n, 0) }},
		{"base", func(m, n, k int, a, bb, c []float64) {
			base.Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, bb, n, 0, c, n)
		}},
		{"gonum", func(m, n, k int, a, bb, c []float64) {
			gonum.Implementation{}.Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, bb, n, 0, c, n)
		}},
		{"Gemm", func(m, n, k int, a, bb, c []float64) { Gemm(false, false, m, n, k, a, k, bb, n, c, n, false) }},
	}
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		a, bb, c := randVec(1, m*k, 1), randVec(2, k*n, 1), make([]float64, m*n)
		for _, kr := range kernels {
			if kr.name == "kernel" && (!haveKernel || n < kernN) {
				continue
			}
			if kr.name == "loops" && m*n*k > 1<<22 {
				continue
			}
			b.Run(fmt.Sprintf("%dx%dx%d/%s", m, n, k, kr.name), func(b *testing.B) {
				cpu0 := cpuSeconds()
				for b.Loop() {
					kr.f(m, n, k, a, bb, c)
				}
				flops := 2 * float64(m*n*k) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOPS")
				if cpu := cpuSeconds() - cpu0; cpu > 0 {
					b.ReportMetric(flops/cpu/1e9, "cpu-GFLOPS")
				}
			})
		}
	}
}
