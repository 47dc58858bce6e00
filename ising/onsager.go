package ising

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Onsager's exact solution of the 2D square-lattice Ising model at h = 0
// in the thermodynamic limit (Onsager 1944; Yang 1952 for the
// magnetization), in units J = 1, k_B = 1. For another coupling J > 0 use
// T/J and multiply energies by J.

// CriticalTemperature is T_c = 2/ln(1 + √2) ≈ 2.269185 (the float64
// nearest to it).
const CriticalTemperature = 2.269185314213022

// OnsagerMagnetization returns the spontaneous magnetization per spin,
// (1 − sinh(2/T)^−4)^{1/8} for T < T_c and 0 above.
func OnsagerMagnetization(T float64) float64 {
	if !(T > 0) {
		if T == 0 {
			return 1
		}
		return math.NaN()
	}
	if T >= CriticalTemperature {
		return 0
	}
	sh := math.Sinh(2 / T)
	return math.Pow(1-1/(sh*sh*sh*sh), 0.125)
}

// onsagerK returns the common pieces of the energy and specific heat at
// temperature T: β = 1/T, t = tanh 2β, κ² = (2 sinh 2β / cosh² 2β)².
func onsagerK(T float64) (beta, t, k2 float64) {
	beta = 1 / T
	ch := math.Cosh(2 * beta)
	k := 2 * math.Sinh(2*beta) / (ch * ch)
	return beta, math.Tanh(2 * beta), math.Min(k*k, 1)
}

// OnsagerEnergy returns the energy per spin,
//
//	u = −coth(2β)·[1 + (2/π)(2 tanh²(2β) − 1)·K(κ)],  κ = 2 sinh 2β / cosh² 2β,
//
// K the complete elliptic integral of the first kind; u(T_c) = −√2.
func OnsagerEnergy(T float64) float64 {
	if !(T > 0) {
		if T == 0 {
			return -2
		}
		return math.NaN()
	}
	beta, t, k2 := onsagerK(T)
	f := 2*t*t - 1
	var fk float64
	if k2 < 1 {
		fk = f * mathext.CompleteK(k2)
	} // at κ = 1 (T = T_c) f = 0 and f·K → 0
	return -(1 / math.Tanh(2*beta)) * (1 + 2/math.Pi*fk)
}

// OnsagerSpecificHeat returns the specific heat per spin, du/dT,
//
//	c = (4/π)(β coth 2β)²·{K(κ) − E(κ) − (1 − tanh² 2β)[π/2 + (2 tanh² 2β − 1)K(κ)]},
//
// E the complete elliptic integral of the second kind. It diverges
// (logarithmically) at T_c, where it returns +Inf.
func OnsagerSpecificHeat(T float64) float64 {
	if !(T > 0) {
		if T == 0 {
			return 0
		}
		return math.NaN()
	}
	beta, t, k2 := onsagerK(T)
	if k2 >= 1 {
		return math.Inf(1)
	}
	K, E := mathext.CompleteK(k2), mathext.CompleteE(k2)
	bc := beta / math.Tanh(2*beta)
	return 4 / math.Pi * bc * bc * (K - E - (1-t*t)*(math.Pi/2+(2*t*t-1)*K))
}
