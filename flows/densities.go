package flows

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// Density is one of the package's 2-D test densities. Each one samples
// points with a seed and evaluates its own exact log-density, the reference
// that a learned flow's test log-likelihood is compared with.
type Density int

// The 2-D densities, all centred near the origin within about [−4, 4]².
const (
	// GaussianRing is an equal mixture of 8 Gaussians of standard
	// deviation 0.25 centred on a circle of radius 2.5.
	GaussianRing Density = iota
	// TwoMoons is two interleaved half circles of radius 2 (the moons of
	// scikit-learn, scaled by 2 and centred) with Gaussian noise of
	// standard deviation 0.2.
	TwoMoons
	// ConcentricRings is three circles of radii 1, 2 and 3, each point on
	// a ring chosen with probability proportional to its radius (uniform
	// along the arcs), with radial Gaussian noise of standard deviation
	// 0.1.
	ConcentricRings
	// Checkerboard is uniform on the 8 dark squares of a 4×4 board
	// covering [−4, 4]² (squares of side 2; density 1/32 on them).
	Checkerboard
)

// Densities lists the 2-D densities in order.
func Densities() []Density { return []Density{GaussianRing, TwoMoons, ConcentricRings, Checkerboard} }

// String returns the density's name ("gaussian-ring", "two-moons",
// "concentric-rings", "checkerboard").
func (d Density) String() string {
	switch d {
	case GaussianRing:
		return "gaussian-ring"
	case TwoMoons:
		return "two-moons"
	case ConcentricRings:
		return "concentric-rings"
	case Checkerboard:
		return "checkerboard"
	}
	return "unknown-density"
}

func (d Density) check() error {
	if d < GaussianRing || d > Checkerboard {
		return errorf(ErrInput, "unknown Density %d", int(d))
	}
	return nil
}

const (
	ringRadius, ringStd = 2.5, 0.25
	moonScale, moonStd  = 2.0, 0.2
	ringsStd            = 0.1
	boardHalf           = 4.0 // the board covers [−boardHalf, boardHalf]²
)

var ringsRadii = []float64{1, 2, 3}

// moonNodes is the number of Simpson intervals per moon in LogProb (even).
var moonNodes = 400

// Sample draws n points of d, row-major (x₀, y₀, x₁, y₁, …).
func (d Density) Sample(n int, seed uint64) ([]float64, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if err := checkCount("Sample: n", n, 2); err != nil {
		return nil, err
	}
	r := rng.New(seed)
	x := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		var a, b float64
		switch d {
		case GaussianRing:
			k := r.IntN(8)
			th := 2 * math.Pi * float64(k) / 8
			a = ringRadius*math.Cos(th) + ringStd*r.NormFloat64()
			b = ringRadius*math.Sin(th) + ringStd*r.NormFloat64()
		case TwoMoons:
			a, b = moonCentre(r.IntN(2), math.Pi*r.Float64())
			a += moonStd * r.NormFloat64()
			b += moonStd * r.NormFloat64()
		case ConcentricRings:
			u := r.Float64() * 6 // radii 1 + 2 + 3
			R := 3.0
			if u < 1 {
				R = 1
			} else if u < 3 {
				R = 2
			}
			rad := R + ringsStd*r.NormFloat64()
			th := 2 * math.Pi * r.Float64()
			a, b = rad*math.Cos(th), rad*math.Sin(th)
		case Checkerboard:
			// Pick a dark square (i+j even on the 4×4 board), then a
			// uniform point in it.
			k := r.IntN(8)
			i := k / 2
			j := 2*(k%2) + i%2
			a = -boardHalf + 2*(float64(i)+r.Float64())
			b = -boardHalf + 2*(float64(j)+r.Float64())
		}
		x[2*i], x[2*i+1] = a, b
	}
	return x, nil
}

// moonCentre returns the point at angle t ∈ [0, π] of moon c (0 the upper,
// 1 the lower), scaled and centred.
func moonCentre(c int, t float64) (float64, float64) {
	var a, b float64
	if c == 0 {
		a, b = math.Cos(t), math.Sin(t)
	} else {
		a, b = 1-math.Cos(t), 0.5-math.Sin(t)
	}
	return moonScale * (a - 0.5), moonScale * (b - 0.25)
}

// LogProb returns the exact log-density of d at each row of x (rows of 2
// values). For TwoMoons the integral along the arcs is done by Simpson's
// rule with 400 intervals per moon (relative error below 1e-5 wherever
// log p > −20, against 50,000 intervals).
func (d Density) LogProb(x []float64) ([]float64, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	n, err := checkData("Density.LogProb points", x, 2)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = d.logProb(x[2*i], x[2*i+1])
	}
	return out, nil
}

func (d Density) logProb(a, b float64) float64 {
	switch d {
	case GaussianRing:
		w := make([]float64, 8)
		for k := range w {
			th := 2 * math.Pi * float64(k) / 8
			da, db := a-ringRadius*math.Cos(th), b-ringRadius*math.Sin(th)
			w[k] = -(da*da+db*db)/(2*ringStd*ringStd) - math.Log(2*math.Pi*ringStd*ringStd)
		}
		return logMeanExp(w)
	case TwoMoons:
		// Composite Simpson's rule in t over [0, π] for each moon (chosen
		// with probability ½): node j of 0..M has weight c_j/(3M) of the
		// mean over t, c = 1, 4, 2, 4, …, 4, 1.
		m := moonNodes
		w := make([]float64, 0, 2*(m+1))
		for c := 0; c < 2; c++ {
			for j := 0; j <= m; j++ {
				cj := 2.0
				if j == 0 || j == m {
					cj = 1
				} else if j%2 == 1 {
					cj = 4
				}
				ca, cb := moonCentre(c, math.Pi*float64(j)/float64(m))
				da, db := a-ca, b-cb
				w = append(w, math.Log(cj/(6*float64(m)))-(da*da+db*db)/(2*moonStd*moonStd)-math.Log(2*math.Pi*moonStd*moonStd))
			}
		}
		return logMeanExp(w) + math.Log(float64(len(w))) // the log of the weighted sum
	case ConcentricRings:
		// The radius r = R + σε may come out negative; then the point is
		// at distance −r on the opposite side. Density in the plane: the
		// radial density at ±|x| over the circumference 2π|x|.
		rho := math.Hypot(a, b)
		s := 0.0
		for _, R := range ringsRadii {
			for _, r := range []float64{rho, -rho} {
				z := (r - R) / ringsStd
				s += R / 6 * math.Exp(-z*z/2) / (ringsStd * math.Sqrt(2*math.Pi))
			}
		}
		return math.Log(s / (2 * math.Pi * rho))
	case Checkerboard:
		if math.Abs(a) >= boardHalf || math.Abs(b) >= boardHalf {
			return math.Inf(-1)
		}
		i, j := int(math.Floor((a+boardHalf)/2)), int(math.Floor((b+boardHalf)/2))
		if (i+j)%2 != 0 {
			return math.Inf(-1)
		}
		return -math.Log(32)
	}
	return math.NaN()
}
