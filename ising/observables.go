package ising

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/fail"
)

// Series is the record of a chain: the total energy E and magnetization M
// after each sweep, with the size and temperature needed to turn them into
// per-spin observables.
type Series struct {
	N    int
	T    float64
	E, M []float64
}

// MaxRecords is the largest number of sweeps Run records (two float64 a
// record: 4 GiB).
const MaxRecords = 1 << 28

// Run makes burnIn sweeps without recording, then sweeps sweeps recording
// E and M after each. A Wolff chain still setting its clusters per sweep
// (see Wolff) first finishes doing so, whatever burnIn is. It returns an
// error unless burnIn ≥ 0 and 1 ≤ sweeps ≤ MaxRecords.
func (c *Chain) Run(burnIn, sweeps int) (*Series, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if burnIn < 0 || sweeps < 1 || sweeps > MaxRecords {
		return nil, fail.Errorf(fail.ErrInput, "ising", "need burnIn ≥ 0 and 1 ≤ sweeps ≤ MaxRecords, got %d and %d", burnIn, sweeps)
	}
	if c.cfg.Algorithm == Wolff {
		burnIn = max(burnIn, WolffAdapt-c.adaptSweeps)
	}
	if err := c.Sweep(burnIn); err != nil {
		return nil, err
	}
	s := &Series{N: c.model.N(), T: c.cfg.T, E: make([]float64, sweeps), M: make([]float64, sweeps)}
	for k := range sweeps {
		if err := c.sweep(); err != nil {
			return nil, err
		}
		s.E[k], s.M[k] = c.EnergyMagnetization()
	}
	return s, nil
}

// Estimate is a Monte Carlo estimate: its value, its one-standard-error
// bar, and the integrated autocorrelation time (in records, i.e. sweeps)
// of the series it comes from.
type Estimate struct {
	Value, Err, Tau float64
}

// String formats the estimate as value ± error (τ = …).
func (e Estimate) String() string {
	return fmt.Sprintf("%.6g ± %.2g (τ = %.3g)", e.Value, e.Err, e.Tau)
}

// Observables are the per-spin estimates of a Series:
//
//	e = ⟨E⟩/N,  |m| = ⟨|M|⟩/N,
//	χ = N(⟨m²⟩ − ⟨|m|⟩²)/T,  C = N(⟨e²⟩ − ⟨e⟩²)/T²,
//	U = 1 − ⟨m⁴⟩/(3⟨m²⟩²)  (Binder's cumulant),
//
// with m = M/N and e = E/N per record. The error bars are jackknife errors
// over Blocks equal blocks (binning): a block is at least 10 τ_int long
// when the series allows it. Tau is τ_int of e for Energy and
// SpecificHeat, of |m| for AbsMagnetization, of m² for Susceptibility and
// Binder. Binder is NaN when every recorded M is 0.
type Observables struct {
	Energy, AbsMagnetization, Susceptibility, SpecificHeat, Binder Estimate
	Blocks                                                         int
	// Short is set when the series is shorter than 16 blocks of 10 τ_int:
	// the error bars then underestimate the true errors.
	Short bool
}

// Observables estimates the per-spin observables of the series. It
// returns an error for a series shorter than 64 records or holding NaN.
func (s *Series) Observables() (Observables, error) {
	var o Observables
	if s == nil {
		return o, fail.Errorf(fail.ErrZeroValue, "ising", "nil Series")
	}
	n := len(s.E)
	if n < 64 || len(s.M) != n {
		return o, fail.Errorf(fail.ErrInput, "ising", "need at least 64 records of E and M, got %d and %d", len(s.E), len(s.M))
	}
	if s.N < 1 || !(s.T > 0) {
		return o, fail.Errorf(fail.ErrInput, "ising", "series has N = %d and T = %v", s.N, s.T)
	}
	N := float64(s.N)
	e, am, m2, m4, e2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for k := range n {
		e[k] = s.E[k] / N
		m := s.M[k] / N
		am[k] = math.Abs(m)
		m2[k] = m * m
		m4[k] = m2[k] * m2[k]
		e2[k] = e[k] * e[k]
	}
	te, err := IntegratedTime(e)
	if err != nil {
		return o, err
	}
	tm, err := IntegratedTime(am)
	if err != nil {
		return o, err
	}
	tm2, err := IntegratedTime(m2)
	if err != nil {
		return o, err
	}
	tmax := math.Max(te, math.Max(tm, tm2))
	B := int(float64(n) / math.Ceil(10*tmax))
	if B < 16 {
		o.Short = true
		B = 16
	}
	B = min(B, 64)
	o.Blocks = B
	// Block sums of the five primaries (the first n mod B records dropped).
	bl := n / B
	skip := n - bl*B
	series := [][]float64{e, e2, am, m2, m4}
	sums := make([][]float64, len(series))
	tot := make([]float64, len(series))
	for q, x := range series {
		sums[q] = make([]float64, B)
		for b := range B {
			var t float64
			for _, v := range x[skip+b*bl : skip+(b+1)*bl] {
				t += v
			}
			sums[q][b] = t
			tot[q] += t
		}
	}
	derived := func(mean []float64) [5]float64 {
		me, me2, mam, mm2, mm4 := mean[0], mean[1], mean[2], mean[3], mean[4]
		return [5]float64{
			me,
			mam,
			N * (mm2 - mam*mam) / s.T,
			N * (me2 - me*me) / (s.T * s.T),
			1 - mm4/(3*mm2*mm2),
		}
	}
	mean := make([]float64, len(series))
	for q := range series {
		mean[q] = tot[q] / float64(bl*B)
	}
	full := derived(mean)
	var jk [5][]float64
	for b := range B {
		for q := range series {
			mean[q] = (tot[q] - sums[q][b]) / float64(bl*(B-1))
		}
		d := derived(mean)
		for q := range d {
			jk[q] = append(jk[q], d[q])
		}
	}
	errs := [5]float64{}
	for q := range jk {
		var mu float64
		for _, v := range jk[q] {
			mu += v
		}
		mu /= float64(B)
		var ss float64
		for _, v := range jk[q] {
			ss += (v - mu) * (v - mu)
		}
		errs[q] = math.Sqrt(float64(B-1) / float64(B) * ss)
	}
	if mm2 := tot[3]; mm2 == 0 {
		full[4], errs[4] = math.NaN(), math.NaN()
	}
	o.Energy = Estimate{full[0], errs[0], te}
	o.AbsMagnetization = Estimate{full[1], errs[1], tm}
	o.Susceptibility = Estimate{full[2], errs[2], tm2}
	o.SpecificHeat = Estimate{full[3], errs[3], te}
	o.Binder = Estimate{full[4], errs[4], tm2}
	return o, nil
}
