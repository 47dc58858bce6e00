package blas

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// randVec returns n uniform values in [−scale, scale).
func randVec(seed uint64, n int, scale float64) []float64 {
	r := rng.New(seed)
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * (2*r.Float64() - 1)
	}
	return v
}

// relErr is ‖got−want‖∞ / ‖want‖∞ (+Inf on a length mismatch or a NaN).
func relErr(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var d, s float64
	for i := range got {
		if math.IsNaN(got[i]) || math.IsNaN(want[i]) {
			return math.Inf(1)
		}
		d = math.Max(d, math.Abs(got[i]-want[i]))
		s = math.Max(s, math.Abs(want[i]))
	}
	if s == 0 {
		return d
	}
	return d / s
}
