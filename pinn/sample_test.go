package pinn

import (
	"math"
	"testing"
)

// TestLatinHypercubeStratifies checks the defining property: with n points,
// each of the n equal slices of every coordinate holds exactly one point.
func TestLatinHypercubeStratifies(t *testing.T) {
	d := Domain{Space: []Interval{{-1, 1}, {0, 3}}, Time: Interval{0, 0.5}}
	const n = 97
	pts, err := d.Sample(n, LatinHypercube, 5)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < d.Dim(); k++ {
		iv := d.interval(k)
		seen := make([]bool, n)
		for _, p := range pts {
			s := int((p[k] - iv.Lo) / iv.Width() * n)
			if s < 0 || s >= n || seen[s] {
				t.Fatalf("coordinate %d: slice %d empty or taken twice", k, s)
			}
			seen[s] = true
		}
	}
	again, _ := d.Sample(n, LatinHypercube, 5)
	for i := range pts {
		for k := range pts[i] {
			if pts[i][k] != again[i][k] {
				t.Fatal("same seed gave different points")
			}
		}
	}
}

// TestUniformSampling checks the range and the mean of uniform points
// (tolerance 4 standard errors of the mean, w/√(12n)).
func TestUniformSampling(t *testing.T) {
	d := Domain{Space: []Interval{{2, 4}}, Time: Interval{0, 1}}
	const n = 4000
	pts, err := d.Sample(n, Uniform, 9)
	if err != nil {
		t.Fatal(err)
	}
	var mx, mt float64
	for _, p := range pts {
		if !d.Contains(p) {
			t.Fatalf("point %v outside the domain", p)
		}
		mx += p[0] / n
		mt += p[1] / n
	}
	if math.Abs(mx-3) > 4*2/math.Sqrt(12*n) || math.Abs(mt-0.5) > 4/math.Sqrt(12*n) {
		t.Errorf("means %v, %v; want 3, 0.5", mx, mt)
	}
}

// TestFacePoints checks that boundary and initial points lie on their face
// and spread over the others.
func TestFacePoints(t *testing.T) {
	d := Domain{Space: []Interval{{-1, 1}, {0, 2}}, Time: Interval{0.5, 1}}
	up, err := d.SampleBoundary(50, 1, true, LatinHypercube, 1)
	if err != nil {
		t.Fatal(err)
	}
	ini, err := d.SampleInitial(50, Uniform, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range up {
		if up[i][1] != 2 || !d.Contains(up[i]) {
			t.Fatalf("upper face point %v", up[i])
		}
		if ini[i][2] != 0.5 || !d.Contains(ini[i]) {
			t.Fatalf("initial point %v", ini[i])
		}
	}
	if _, err := d.SampleBoundary(5, 2, false, Uniform, 1); err == nil {
		t.Error("boundary of the time dimension: no error")
	}
	steady := Domain{Space: []Interval{{0, 1}}}
	if _, err := steady.SampleInitial(5, Uniform, 1); err == nil {
		t.Error("initial points of a steady domain: no error")
	}
	if _, err := d.Sample(0, Uniform, 1); err == nil {
		t.Error("0 points: no error")
	}
}
