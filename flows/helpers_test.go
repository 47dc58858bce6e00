package flows_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/flows"
)

// fdJacobian returns the Jacobian of f: ℝⁿ → ℝⁿ at x by 4th-order central
// differences with step h.
func fdJacobian(t *testing.T, f func(x []float64) []float64, x []float64, h float64) *mat.Dense {
	t.Helper()
	n := len(x)
	J := mat.NewDense(n, n, nil)
	y := make([]float64, n)
	for j := 0; j < n; j++ {
		at := func(s float64) []float64 {
			copy(y, x)
			y[j] += s * h
			return f(y)
		}
		p1, m1, p2, m2 := at(1), at(-1), at(2), at(-2)
		for i := 0; i < n; i++ {
			J.Set(i, j, (8*(p1[i]-m1[i])-(p2[i]-m2[i]))/(12*h))
		}
	}
	return J
}

func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// must returns f, failing the test on err.
func must[T flows.Flow](t *testing.T) func(f T, err error) flows.Flow {
	return func(f T, err error) flows.Flow {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
}

// sumExp returns Σ exp(v) over the log-densities lp.
func sumExp(lp []float64) float64 {
	s := 0.0
	for _, v := range lp {
		s += math.Exp(v)
	}
	return s
}
