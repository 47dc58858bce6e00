package pinn

import (
	"math"
)

// Interval is the closed interval [Lo, Hi].
type Interval struct{ Lo, Hi float64 }

// Width returns Hi − Lo.
func (iv Interval) Width() float64 { return iv.Hi - iv.Lo }

func (iv Interval) valid() bool {
	return !math.IsNaN(iv.Lo) && !math.IsNaN(iv.Hi) && !math.IsInf(iv.Lo, 0) && !math.IsInf(iv.Hi, 0) && iv.Hi > iv.Lo
}

// Domain is a box in space, possibly times a time interval. A point of the
// domain is the slice p = (x_1, …, x_d, t): the spatial coordinates in the
// order of Space, then the time if the problem has one. Input index i in
// Fields.D and friends refers to this layout.
type Domain struct {
	// Space holds one interval per spatial dimension; at least one, each
	// with Lo < Hi.
	Space []Interval
	// Time is the time interval; its zero value {0, 0} means a steady
	// problem with no time input.
	Time Interval
}

// HasTime reports whether the domain has a time coordinate.
func (d Domain) HasTime() bool { return d.Time != (Interval{}) }

// Dim returns the number of network inputs: spatial dimensions plus one if
// the problem is time dependent.
func (d Domain) Dim() int {
	if d.HasTime() {
		return len(d.Space) + 1
	}
	return len(d.Space)
}

// TimeIndex returns the input index of t (len(Space)), or −1 for a steady
// problem.
func (d Domain) TimeIndex() int {
	if d.HasTime() {
		return len(d.Space)
	}
	return -1
}

// interval returns the range of input i.
func (d Domain) interval(i int) Interval {
	if i < len(d.Space) {
		return d.Space[i]
	}
	return d.Time
}

// Validate checks that the domain is a non-empty box.
func (d Domain) Validate() error {
	if len(d.Space) == 0 {
		return errorf(ErrInput, "empty domain: no spatial dimension")
	}
	for i, iv := range d.Space {
		if !iv.valid() {
			return errorf(ErrInput, "empty domain: spatial interval %d is [%v, %v], want finite Lo < Hi", i, iv.Lo, iv.Hi)
		}
	}
	if d.HasTime() && !d.Time.valid() {
		return errorf(ErrInput, "empty domain: time interval is [%v, %v], want finite Lo < Hi (or {0, 0} for a steady problem)", d.Time.Lo, d.Time.Hi)
	}
	return nil
}

// Contains reports whether p lies in the closed domain (with len(p) = Dim()).
func (d Domain) Contains(p []float64) bool {
	if len(p) != d.Dim() {
		return false
	}
	for i, v := range p {
		iv := d.interval(i)
		if !(v >= iv.Lo && v <= iv.Hi) {
			return false
		}
	}
	return true
}

// scaling returns, per input, the affine map s = a·p + b that takes the
// domain to [−1, 1] (the input normalisation of Raissi et al.).
func (d Domain) scaling() (a, b []float64) {
	n := d.Dim()
	a, b = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		iv := d.interval(i)
		a[i] = 2 / iv.Width()
		b[i] = -(iv.Hi + iv.Lo) / iv.Width()
	}
	return a, b
}
