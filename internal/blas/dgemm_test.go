package blas

import (
	"math"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestRoutedDgemmMatchesGonum: gorgonia's BLAS (Dgemm routed through Gemm)
// against gonum's native Dgemm for all transposes, beta 0 and 1 (the two
// gorgonia uses) and alpha, beta it passes on (2, 0.5), at sizes that take
// each kernel (plain loops below 4096 multiply-adds, the packed kernel,
// and under -tags openblas OpenBLAS from 2^23), with padded leading
// dimensions. Measured: at most 8.4e-16 relative to ‖c‖∞ here (sums in
// another order, FMA); asserted 1e-14.
func TestRoutedDgemmMatchesGonum(t *testing.T) {
	if _, ok := G.WhichBLAS().(routed); !ok {
		t.Fatalf("gorgonia's BLAS is %T, not the routed one", G.WhichBLAS())
	}
	if _, ok := tensor.WhichBLAS().(routed); !ok {
		t.Fatalf("gorgonia.org/tensor's BLAS is %T, not the routed one", tensor.WhichBLAS())
	}
	var worst float64
	for _, sz := range [][3]int{{1, 1, 1}, {3, 50, 20}, {16, 16, 16}, {31, 17, 9}, {64, 64, 64}, {200, 130, 100}, {128, 128, 128}, {256, 256, 128}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range [][2]gblas.Transpose{{gblas.NoTrans, gblas.NoTrans}, {gblas.NoTrans, gblas.Trans}, {gblas.Trans, gblas.NoTrans}, {gblas.Trans, gblas.Trans}} {
			for _, ab := range [][2]float64{{1, 0}, {1, 1}, {2, 0.5}} {
				lda, ldb, ldc := k+1, n+2, n+3
				ar, br := m, k
				if tr[0] == gblas.Trans {
					lda, ar = m+2, k
				}
				if tr[1] == gblas.Trans {
					ldb, br = k+1, n
				}
				a, b := randVec(uint64(m+n), ar*lda, 1), randVec(uint64(k), br*ldb, 1)
				c := randVec(5, m*ldc, 1)
				if ab[1] == 0 { // c must not be read
					for i := range m {
						for j := range n {
							c[i*ldc+j] = math.NaN()
						}
					}
				}
				want := append([]float64(nil), c...)
				G.WhichBLAS().Dgemm(tr[0], tr[1], m, n, k, ab[0], a, lda, b, ldb, ab[1], c, ldc)
				gonum.Implementation{}.Dgemm(tr[0], tr[1], m, n, k, ab[0], a, lda, b, ldb, ab[1], want, ldc)
				e := relErr(c, want)
				worst = max(worst, e)
				if e > 1e-14 {
					t.Errorf("%d×%d×%d %v alpha,beta %v: rel err %.2g against gonum", m, n, k, tr, ab, e)
				}
			}
		}
	}
	t.Logf("%s build, kernel %v: worst rel err %.2g", Name(), haveKernel, worst)
}

// TestGorgoniaMulUsesRoutedDgemm: a gorgonia graph's Mul and its gradient
// (both matrix products in tensor.MatMul) give gonum's numbers to rounding:
// z = sum(X·W) for X 37×50, W 50×29 (a shape with edge tiles), dz/dX = 1·Wᵀ
// and dz/dW = Xᵀ·1 in closed form.
func TestGorgoniaMulUsesRoutedDgemm(t *testing.T) {
	const m, k, n = 37, 50, 29
	xv, wv := randVec(1, m*k, 1), randVec(2, k*n, 1)
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(m, k), G.WithName("x"), G.WithValue(tensor.New(tensor.WithShape(m, k), tensor.WithBacking(append([]float64(nil), xv...)))))
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(k, n), G.WithName("w"), G.WithValue(tensor.New(tensor.WithShape(k, n), tensor.WithBacking(append([]float64(nil), wv...)))))
	y, err := G.Mul(x, w)
	if err != nil {
		t.Fatal(err)
	}
	z, err := G.Sum(y)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(z, x, w); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, m*n)
	gonum.Implementation{}.Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, xv, k, wv, n, 0, want, n)
	if e := relErr(y.Value().Data().([]float64), want); e > 1e-14 {
		t.Errorf("X·W: rel err %.2g against gonum", e)
	}
	gx, _ := x.Grad()
	gw, _ := w.Grad()
	wantX := make([]float64, m*k) // dz/dX[i][x] = Σ_j W[x][j]
	for i := range m {
		for xx := range k {
			for j := range n {
				wantX[i*k+xx] += wv[xx*n+j]
			}
		}
	}
	wantW := make([]float64, k*n) // dz/dW[x][j] = Σ_i X[i][x]
	for xx := range k {
		for j := range n {
			for i := range m {
				wantW[xx*n+j] += xv[i*k+xx]
			}
		}
	}
	if e := relErr(gx.Data().([]float64), wantX); e > 1e-14 {
		t.Errorf("dz/dX: rel err %.2g", e)
	}
	if e := relErr(gw.Data().([]float64), wantW); e > 1e-14 {
		t.Errorf("dz/dW: rel err %.2g", e)
	}
}

// TestRoutedDgemmBadArgs: arguments that do not fit their shapes go to the
// base BLAS, which panics as gonum always has (never a silent read past a
// slice in the kernel).
func TestRoutedDgemmBadArgs(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a too-short a did not panic")
		}
	}()
	c := make([]float64, 64*64)
	G.WhichBLAS().Dgemm(gblas.NoTrans, gblas.NoTrans, 64, 64, 64, 1, make([]float64, 10), 64, make([]float64, 64*64), 64, 0, c, 64)
}
