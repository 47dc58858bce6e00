package node

import (
	"github.com/physbias/physbias/internal/ode"
)

// adjointBackward computes the same gradients as tape.backward by the
// adjoint method (Chen et al. 2018, after Pontryagin): the augmented system
//
//	dy/dτ = f(y, τ),  da/dτ = −aᵀ∂f/∂y,  dθ̄/dτ = −aᵀ∂f/∂θ
//
// solved backwards from the last time to the first with the same solver and
// options, restarting y at each output time from the forward solution
// there (checkpoints: one state per output time, none per step) and adding
// that time's cotangent to a. Its memory does not grow with the number of
// steps. The terms' cotangents stay constant (nothing depends on their
// integrals), so they ride in a unchanged. ∂L/∂T is cot(T)·f(y(T), T).
func adjointBackward(sys *system, tb *ode.Tableau, ys [][]float64, ts []float64, cot [][]float64, o ode.RKOptions, nTheta int) ([]float64, []float64, float64, ode.Stats, error) {
	N, ny := sys.size(), sys.ny()
	P := nTheta
	// z = (y, a, θ̄): y is the states' part only.
	zlen := ny + N + P
	ybar := make([]float64, N)
	gth := make([]float64, P)
	d := make([]float64, N)
	yfull := make([]float64, N)
	rhs := func(tau float64, z, dz []float64) error {
		copy(yfull[:ny], z[:ny]) // the terms' part of y is not read
		_, err := sys.vjp(tau, yfull, z[ny:ny+N], ybar, gth, d)
		if err != nil {
			return err
		}
		copy(dz[:ny], d[:ny])
		for c := 0; c < N; c++ {
			dz[ny+c] = -ybar[c]
		}
		for c := 0; c < P; c++ {
			dz[ny+N+c] = -gth[c]
		}
		return nil
	}
	K := len(ts) - 1
	z := make([]float64, zlen)
	// ∂L/∂T from f at the end.
	var Tbar float64
	if cot[K] != nil {
		if err := sys.rhs(ts[K], ys[K], d); err != nil {
			return nil, nil, 0, ode.Stats{}, err
		}
		Tbar = dot(cot[K], d[:len(cot[K])])
	}
	var total ode.Stats
	total.NFE = 1
	for i := K; i >= 1; i-- {
		copy(z[:ny], ys[i][:ny])
		if cot[i] != nil {
			for c, v := range cot[i] {
				z[ny+c] += v
			}
		}
		zs, st, err := ode.RK(tb, rhs, z, []float64{ts[i], ts[i-1]}, o, nil)
		total.NFE += st.NFE
		total.Steps += st.Steps
		total.Rejected += st.Rejected
		if err != nil {
			return nil, nil, 0, total, wrapODE(err)
		}
		copy(z, zs[1])
	}
	a := append([]float64(nil), z[ny:ny+N]...)
	if cot[0] != nil {
		for c, v := range cot[0] {
			a[c] += v
		}
	}
	return a, append([]float64(nil), z[ny+N:]...), Tbar, total, nil
}
