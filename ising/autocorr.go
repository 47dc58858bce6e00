package ising

import (
	"math"

	"github.com/physbias/physbias/internal/fail"
	"gonum.org/v1/gonum/dsp/fourier"
)

// IntegratedTime returns the integrated autocorrelation time of the series
// x (Sokal's convention),
//
//	τ_int = 1/2 + Σ_{t=1}^{W} ρ(t),
//
// so that the variance of the mean of n correlated samples is 2 τ_int σ²/n
// (τ_int = 1/2 for independent samples). The window W is the smallest with
// W ≥ 6 τ_int(W) (Sokal's automatic windowing); ρ is computed by FFT. A
// constant series has τ_int = 1/2. It returns an error for fewer than 4
// samples or a NaN or infinite value.
func IntegratedTime(x []float64) (float64, error) {
	tau, _, err := integratedTime(x)
	return tau, err
}

func integratedTime(x []float64) (tau float64, window int, err error) {
	n := len(x)
	if n < 4 {
		return 0, 0, fail.Errorf(fail.ErrInput, "ising", "need at least 4 samples for an autocorrelation time, got %d", n)
	}
	var mean float64
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, fail.Errorf(fail.ErrNotFinite, "ising", "sample %d is %v", i, v)
		}
		mean += v
	}
	mean /= float64(n)
	// Zero-pad to a power of two ≥ 2n so the circular correlation is the
	// linear one.
	m := 1
	for m < 2*n {
		m <<= 1
	}
	buf := make([]float64, m)
	for i, v := range x {
		buf[i] = v - mean
	}
	fft := fourier.NewFFT(m)
	co := fft.Coefficients(nil, buf)
	for i, c := range co {
		co[i] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	ac := fft.Sequence(buf, co)
	if !(ac[0] > 1e-300*float64(m)) {
		return 0.5, 0, nil
	}
	tau = 0.5
	for w := 1; w < n; w++ {
		tau += ac[w] / ac[0]
		if float64(w) >= 6*tau {
			return tau, w, nil
		}
	}
	return tau, n - 1, nil
}
