package pinn

import (
	"fmt"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/rng"
)

// Sampling is how points are drawn in a box.
type Sampling int

const (
	// LatinHypercube stratifies every coordinate: with n points, each of
	// the n equal slices of every coordinate's range holds exactly one
	// point (McKay et al. 1979), as Raissi et al. sample collocation
	// points. It is the zero value.
	LatinHypercube Sampling = iota
	// Uniform draws every coordinate independently and uniformly.
	Uniform
)

// String names the sampling.
func (s Sampling) String() string {
	switch s {
	case LatinHypercube:
		return "latin-hypercube"
	case Uniform:
		return "uniform"
	}
	return fmt.Sprintf("Sampling(%d)", int(s))
}

// box draws n points in the product of ivs with the sampling s.
func box(r *rand.Rand, n int, ivs []Interval, s Sampling) ([][]float64, error) {
	if n < 1 {
		return nil, errorf(ErrInput, "cannot sample %d points, want ≥ 1", n)
	}
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, len(ivs))
	}
	switch s {
	case Uniform:
		for _, p := range pts {
			for k, iv := range ivs {
				p[k] = iv.Lo + r.Float64()*iv.Width()
			}
		}
	case LatinHypercube:
		for k, iv := range ivs {
			perm := r.Perm(n)
			for i, p := range pts {
				p[k] = iv.Lo + (float64(perm[i])+r.Float64())/float64(n)*iv.Width()
			}
		}
	default:
		return nil, errorf(ErrInput, "unknown sampling %d", int(s))
	}
	return pts, nil
}

// Sample draws n points in the domain (space × time) with the sampling s,
// from seed: the same seed gives the same points.
func (d Domain) Sample(n int, s Sampling, seed uint64) ([][]float64, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	ivs := append([]Interval(nil), d.Space...)
	if d.HasTime() {
		ivs = append(ivs, d.Time)
	}
	return box(rng.New(seed), n, ivs, s)
}

// SampleBoundary draws n points on the face x_dim = Lo (upper false) or
// x_dim = Hi (upper true) of the spatial box, the other coordinates (and
// the time) drawn with the sampling s.
func (d Domain) SampleBoundary(n, dim int, upper bool, s Sampling, seed uint64) ([][]float64, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if dim < 0 || dim >= len(d.Space) {
		return nil, errorf(ErrInput, "boundary dimension %d out of range [0, %d)", dim, len(d.Space))
	}
	pts, err := d.Sample(n, s, seed)
	if err != nil {
		return nil, err
	}
	v := d.Space[dim].Lo
	if upper {
		v = d.Space[dim].Hi
	}
	for _, p := range pts {
		p[dim] = v
	}
	return pts, nil
}

// SampleInitial draws n points at t = Time.Lo, the spatial coordinates drawn
// with the sampling s. It is an error for a steady domain.
func (d Domain) SampleInitial(n int, s Sampling, seed uint64) ([][]float64, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if !d.HasTime() {
		return nil, errorf(ErrInput, "initial points need a time interval; the domain is steady")
	}
	pts, err := d.Sample(n, s, seed)
	if err != nil {
		return nil, err
	}
	for _, p := range pts {
		p[len(d.Space)] = d.Time.Lo
	}
	return pts, nil
}

// Grid returns the nx × nt points of a regular grid over a 1-D space × time
// domain, x varying fastest (row k·nx + j is (x_j, t_k)), with both ends of
// each interval included; for steady domains of any dimension use Sample.
func (d Domain) Grid(nx, nt int) ([][]float64, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if len(d.Space) != 1 || !d.HasTime() {
		return nil, errorf(ErrInput, "Grid needs a 1-D space × time domain, got %d spatial dimensions, time %v", len(d.Space), d.HasTime())
	}
	if nx < 2 || nt < 2 {
		return nil, errorf(ErrInput, "Grid needs at least 2×2 points, got %d×%d", nx, nt)
	}
	x, t := d.Space[0], d.Time
	pts := make([][]float64, 0, nx*nt)
	for k := 0; k < nt; k++ {
		tk := t.Lo + t.Width()*float64(k)/float64(nt-1)
		for j := 0; j < nx; j++ {
			pts = append(pts, []float64{x.Lo + x.Width()*float64(j)/float64(nx-1), tk})
		}
	}
	return pts, nil
}
