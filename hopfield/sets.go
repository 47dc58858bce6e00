package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// MarkedSets makes a multiple-instance set-classification task, the kind
// HopfieldPooling was built for (Ramsauer et al. 2020, Widrich et al. 2020):
// n sets of size elements in dim ≥ 2 dimensions, stored row-major in x
// (n·size·dim values). Every element is Gaussian noise except one marked
// element per set, whose feature 0 is 3 (noise elements: N(0, ½²)); the
// label (±1 in y) is the sign of the marked element's feature 1, of size
// at least ½. Noise elements have feature 1 ~ N(0, 1), so the mean of the
// set says little about the label: the model must find the marked
// element. It returns an error unless n, size > 0, dim ≥ 2 and
// n·size·dim ≤ 2^30.
func MarkedSets(n, size, dim int, seed uint64) (x, y []float64, err error) {
	if n <= 0 || size <= 0 || dim < 2 || size > maxValues/dim || n > maxValues/(size*dim) {
		return nil, nil, errorf(ErrInput, "MarkedSets needs n, size > 0, dim ≥ 2 and n·size·dim ≤ 2^30, got %d, %d, %d", n, size, dim)
	}
	r := rng.New(seed)
	x = make([]float64, n*size*dim)
	y = make([]float64, n)
	for s := 0; s < n; s++ {
		set := x[s*size*dim : (s+1)*size*dim]
		for i := range set {
			set[i] = r.NormFloat64()
		}
		for e := 0; e < size; e++ {
			set[e*dim] *= 0.5
		}
		y[s] = 1
		if r.IntN(2) == 0 {
			y[s] = -1
		}
		m := r.IntN(size)
		set[m*dim] = 3
		set[m*dim+1] = y[s] * (0.5 + math.Abs(r.NormFloat64()))
	}
	return x, y, nil
}
