package ode

import (
	"math"
	"testing"
)

// TestConvergenceOrder measures the order of every fixed-step method on
// every problem with a closed form it applies to: the least-squares slope of
// log(max-norm error at t1) against log(dt) over five step sizes halving
// each time must equal Order() within ±0.2. The step ranges sit in each
// order's asymptotic regime and above round-off (errors 1e-13 … 1e-1).
func TestConvergenceOrder(t *testing.T) {
	steps := map[int][]int{
		1: {640, 1280, 2560, 5120, 10240},
		2: {40, 80, 160, 320, 640},
		4: {40, 80, 160, 320, 640},
	}
	for _, newM := range []func() Method{Euler, RK4, Leapfrog, Yoshida4} {
		m := newM()
		for _, p := range problems {
			symplectic := m.Name() == "Leapfrog" || m.Name() == "Yoshida4"
			if symplectic && !p.separable {
				continue
			}
			t.Run(m.Name()+"/"+p.name, func(t *testing.T) {
				var dts, errs []float64
				for _, n := range steps[m.Order()] {
					n *= max(p.refine, 1)
					dt := (p.t1 - p.t0) / float64(n)
					y, st, err := Solve(p.f, m, p.y0, p.t0, p.t1, dt, nil)
					if err != nil {
						t.Fatal(err)
					}
					if st.Steps != n {
						t.Fatalf("n=%d: took %d steps", n, st.Steps)
					}
					dts = append(dts, dt)
					errs = append(errs, maxAbsDiff(y, p.exact(p.t1)))
				}
				got := slope(t, dts, errs)
				t.Logf("order %.3f (errors %.3g … %.3g)", got, errs[0], errs[len(errs)-1])
				if math.Abs(got-float64(m.Order())) > 0.2 {
					t.Errorf("measured order %.3f, Order() = %d", got, m.Order())
				}
			})
		}
	}
}

// TestNFEPerStep checks the documented cost of a step: the counts are what
// Solve reports, and Leapfrog/Yoshida4 reuse the last force inside Solve.
func TestNFEPerStep(t *testing.T) {
	for _, c := range []struct {
		m         Method
		step, run int // evaluations of one Step alone; of a 100-step Solve
	}{
		{Euler(), 1, 100}, {RK4(), 4, 400}, {Leapfrog(), 3, 201}, {Yoshida4(), 7, 601},
	} {
		n := 0
		f := func(t float64, y, d []float64) { n++; oscillator(t, y, d) }
		y := []float64{1, 0}
		if err := c.m.Step(f, 0, y, 0.1); err != nil {
			t.Fatal(err)
		}
		if n != c.step {
			t.Errorf("%s: %d evaluations in one Step, want %d", c.m.Name(), n, c.step)
		}
		_, st, err := Solve(oscillator, c.m, []float64{1, 0}, 0, 10, 0.1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.NFE != c.run || st.Steps != 100 {
			t.Errorf("%s: Solve took %d steps, %d evaluations; want 100, %d", c.m.Name(), st.Steps, st.NFE, c.run)
		}
	}
}

// TestLeapfrogCacheAcrossFunctions: a Method reused with a different f from
// the same state must not reuse a force computed with the old f.
func TestLeapfrogCacheAcrossFunctions(t *testing.T) {
	for _, m := range []Method{Leapfrog(), Yoshida4()} {
		stiff := func(t float64, y, d []float64) { d[0], d[1] = y[1], -4*y[0] }
		if _, _, err := Solve(oscillator, m, []float64{1, 0}, 0, 1, 0.1, nil); err != nil {
			t.Fatal(err)
		}
		a := []float64{1, 0}
		for i := 0; i < 10; i++ {
			if err := m.Step(oscillator, float64(i)*0.1, a, 0.1); err != nil {
				t.Fatal(err)
			}
		}
		b := []float64{1, 0}
		if err := m.Step(stiff, 0, b, 0.1); err != nil {
			t.Fatal(err)
		}
		want := []float64{1, 0}
		if err := m.(interface {
			Step(Func, float64, []float64, float64) error
		}).Step(stiff, 0, want, 0.1); err != nil {
			t.Fatal(err)
		}
		fresh := []float64{1, 0}
		var fm Method
		if m.Name() == "Leapfrog" {
			fm = Leapfrog()
		} else {
			fm = Yoshida4()
		}
		if err := fm.Step(stiff, 0, fresh, 0.1); err != nil {
			t.Fatal(err)
		}
		if b[0] != fresh[0] || b[1] != fresh[1] {
			t.Errorf("%s: step after another f gave %v, a fresh method %v", m.Name(), b, fresh)
		}
	}
}

// TestSymplecticEnergy is the harmonic oscillator H = (q² + p²)/2 from
// (q, p) = (1, 0) with dt = 0.1, run for 10⁶ steps (t = 10⁵) with the
// numbers at 10⁵ steps logged too.
//
// Leapfrog (kick-drift-kick) conserves q²(1 − dt²/4) + p² exactly, so
// starting at p = 0 the relative energy error oscillates in [0, dt²/4] =
// [0, 2.5e-3] forever: we assert its max ≤ dt²/4 (+1e-12 for rounding) and
// < 1e-2. RK4 multiplies the energy by |R(i·dt)|² = 1 − dt⁶/72 + dt⁸/576
// every step, a steady loss: after n steps the relative error is
// 1 − (1 − dt⁶/72 + dt⁸/576)ⁿ, 1.39e-3 at 10⁵ steps (still below leapfrog's
// bounded 2.5e-3) and 1.38e-2 at 10⁶ (above it). We assert RK4 matches that
// closed form to 1e-6 relative (rounding over 10⁶ steps), grows at every
// tenth of the run, and ends above leapfrog's max.
func TestSymplecticEnergy(t *testing.T) {
	const dt, n = 0.1, 1000000
	energy := func(y []float64) float64 { return (y[0]*y[0] + y[1]*y[1]) / 2 }
	run := func(m Method) (maxErr, maxErr1e5 float64, trace []float64) {
		const e0 = 0.5
		k := 0
		_, _, err := Solve(oscillator, m, []float64{1, 0}, 0, n*dt, dt, func(t float64, y []float64) {
			e := math.Abs(energy(y)-e0) / e0
			maxErr = math.Max(maxErr, e)
			k++
			if k <= 100000 {
				maxErr1e5 = maxErr
			}
			if k%(n/10) == 0 {
				trace = append(trace, e)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return maxErr, maxErr1e5, trace
	}
	lf, lf5, _ := run(Leapfrog())
	_, _, rk := run(RK4()) // rk[i] after (i+1)·10⁵ steps
	rkFinal := rk[len(rk)-1]
	t.Logf("10^5 steps: leapfrog max |ΔH|/H %.3g, RK4 final %.3g", lf5, rk[0])
	t.Logf("10^6 steps: leapfrog max |ΔH|/H %.3g, RK4 final %.3g; RK4 at every 10^5 steps: %.3g", lf, rkFinal, rk)
	if bound := dt * dt / 4; lf >= 1e-2 || lf > bound+1e-12 {
		t.Errorf("leapfrog energy error %.6g, want < 1e-2 and ≤ dt²/4 = %.6g", lf, bound)
	}
	perStep := 1 - math.Pow(dt, 6)/72 + math.Pow(dt, 8)/576
	for i, e := range rk {
		steps := float64(i+1) * n / 10
		want := 1 - math.Pow(perStep, steps)
		if math.Abs(e-want) > 1e-6*want {
			t.Errorf("RK4 energy error %.6g after %g steps, closed form %.6g", e, steps, want)
		}
		if i > 0 && e <= rk[i-1] {
			t.Errorf("RK4 energy error not growing: %.3g then %.3g", rk[i-1], e)
		}
	}
	if rkFinal <= lf {
		t.Errorf("RK4 final energy error %.3g not above leapfrog's max %.3g", rkFinal, lf)
	}
}
