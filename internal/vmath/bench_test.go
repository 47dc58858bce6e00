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

// BenchmarkAddRows adds a 200-wide bias to 256 rows (a layer of the
// 2-200-200-1 benchmark MLP); BenchmarkAddRowsLoop is the plain loop.
func BenchmarkAddRows(b *testing.B) {
	y, bias := make([]float64, 256*200), make([]float64, 200)
	for b.Loop() {
		AddRows(y, bias)
	}
}

func BenchmarkAddRowsLoop(b *testing.B) {
	y, bias := make([]float64, 256*200), make([]float64, 200)
	for b.Loop() {
		for i := 0; i < 256; i++ {
			yr := y[i*200 : (i+1)*200]
			for j, v := range bias {
				yr[j] += v
			}
		}
	}
}

// BenchmarkSumRows sums 256 rows of 200 (a bias gradient);
// BenchmarkSumRowsLoop is the plain loop.
func BenchmarkSumRows(b *testing.B) {
	x, dst := make([]float64, 256*200), make([]float64, 200)
	for b.Loop() {
		SumRows(dst, x)
	}
}

func BenchmarkSumRowsLoop(b *testing.B) {
	x, dst := make([]float64, 256*200), make([]float64, 200)
	for b.Loop() {
		clear(dst)
		for i := 0; i < 256; i++ {
			for j, v := range x[i*200 : (i+1)*200] {
				dst[j] += v
			}
		}
	}
}

// BenchmarkTanhDerivs is tanh and its derivative in one pass;
// BenchmarkTanhThenDeriv is Tanh followed by the loop d = 1 − t·t.
func BenchmarkTanhDerivs(b *testing.B) {
	x, t := benchData()
	d := make([]float64, len(x))
	for b.Loop() {
		TanhDerivs(t, d, nil, nil, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/value")
}

func BenchmarkTanhThenDeriv(b *testing.B) {
	x, t := benchData()
	d := make([]float64, len(x))
	for b.Loop() {
		Tanh(t, x)
		for i, ti := range t {
			d[i] = 1 - ti*ti
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/value")
}
