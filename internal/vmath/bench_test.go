package vmath

import (
	"math"
	"testing"
)

// Benchmarks: 51,200 values (a 256×200 activation), the kernels beside the
// math package's scalar functions.
//
//	go test -run '^$' -bench . ./internal/vmath/

func benchData() (x, y []float64) {
	x = make([]float64, 256*200)
	for i := range x {
		x[i] = 4 * math.Sin(float64(i))
	}
	return x, make([]float64, len(x))
}

func benchVec(b *testing.B, f func(dst, x []float64)) {
	x, y := benchData()
	b.SetBytes(int64(8 * len(x)))
	for b.Loop() {
		f(y, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/value")
}

func benchScalar(b *testing.B, f func(float64) float64) {
	benchVec(b, func(dst, x []float64) {
		for i, v := range x {
			dst[i] = f(v)
		}
	})
}

func BenchmarkExp(b *testing.B)          { benchVec(b, Exp) }
func BenchmarkExpMath(b *testing.B)      { benchScalar(b, math.Exp) }
func BenchmarkTanh(b *testing.B)         { benchVec(b, Tanh) }
func BenchmarkTanhMath(b *testing.B)     { benchScalar(b, math.Tanh) }
func BenchmarkSigmoid(b *testing.B)      { benchVec(b, Sigmoid) }
func BenchmarkSigmoidMath(b *testing.B)  { benchScalar(b, sigmoid) }
func BenchmarkSoftplus(b *testing.B)     { benchVec(b, Softplus) }
func BenchmarkSoftplusMath(b *testing.B) { benchScalar(b, softplus) }
