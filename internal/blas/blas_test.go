package blas

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"
)

// TestMatMulAgreesWithHand checks that whichever BLAS this build uses gives a
// 2×2 product computed by hand, through gorgonia and through blas64.
func TestMatMulAgreesWithHand(t *testing.T) {
	a := []float64{1, 2, 3, 4}
	b := []float64{5, 6, 7, 8}
	want := []float64{19, 22, 43, 50}
	c := make([]float64, 4)
	G.WhichBLAS().Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2)
	for i := range want {
		if math.Abs(c[i]-want[i]) > 1e-12 {
			t.Fatalf("%s gorgonia Dgemm: got %v, want %v", Name(), c, want)
		}
	}
	c2 := blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: a},
		blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: b}, 0, c2)
	for i := range want {
		if math.Abs(c2.Data[i]-want[i]) > 1e-12 {
			t.Fatalf("%s blas64 Gemm: got %v, want %v", Name(), c2.Data, want)
		}
	}
	t.Logf("BLAS in use: %s", Name())
}
