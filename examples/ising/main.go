// Command ising sweeps the 2D Ising model across its critical temperature
// with the multi-spin Metropolis kernel, prints the energy, |m|, specific
// heat, susceptibility and Binder cumulant per spin with their error bars
// beside Onsager's exact values, compares the autocorrelation times of
// Metropolis and Wolff at T_c, and writes PNG plots: |m|, e and C against
// the exact curves, and lattice snapshots below, at and above T_c.
//
//	go run ./examples/ising                  # L = 128, 25 temperatures, ~30 s
//	go run ./examples/ising -L 256 -sweeps 20000
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/ising"
)

func main() {
	out := flag.String("out", "out/ising", "folder for the PNG plots")
	L := flag.Int("L", 128, "lattice side (a multiple of 16)")
	sweeps := flag.Int("sweeps", 10000, "recorded sweeps per temperature")
	points := flag.Int("points", 25, "temperatures between 1.5 and 3.5")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()
	if err := run(*out, *L, *sweeps, *points, *seed); err != nil {
		// Errors from the package already start with "ising: ".
		fmt.Fprintln(os.Stderr, "ising:", strings.TrimPrefix(err.Error(), "ising: "))
		os.Exit(1)
	}
}

func run(out string, L, sweeps, points int, seed uint64) error {
	if points < 2 || sweeps < 64 {
		return fmt.Errorf("need at least 2 temperatures and 64 sweeps")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	m, err := ising.NewLattice(2, L, 1, 0)
	if err != nil {
		return err
	}
	Tc := ising.CriticalTemperature
	fmt.Printf("2D Ising, L = %d, multi-spin Metropolis, %d sweeps per point (T_c = %.4f)\n", L, sweeps, Tc)
	fmt.Printf("exact: e and C of the finite L×L torus (Kaufman), |m| of the infinite lattice (Onsager–Yang)\n")
	fmt.Printf("%6s  %-22s %9s  %-22s %8s  %-18s %8s  %-14s %-14s\n", "T", "e", "exact", "|m|", "exact", "C", "exact", "χ", "U")
	var Ts, es, ms, cs []float64
	// One chain cooled from high T: each point starts from the last state.
	c, err := ising.NewChain(m, ising.Config{T: 3.5, Algorithm: ising.MultiSpin, Seed: seed, Hot: true})
	if err != nil {
		return err
	}
	start := time.Now()
	for k := range points {
		T := 3.5 - 2*float64(k)/float64(points-1)
		if err := c.SetTemperature(T); err != nil {
			return err
		}
		s, err := c.Run(sweeps/5, sweeps)
		if err != nil {
			return err
		}
		o, err := s.Observables()
		if err != nil {
			return err
		}
		short := ""
		if o.Short {
			short = "  (short: τ too long for this run)"
		}
		f, err := ising.KaufmanSquare(L, T)
		if err != nil {
			return err
		}
		fmt.Printf("%6.3f  %9.5f ± %-9.2g %9.5f  %8.5f ± %-9.2g %8.5f  %7.4f ± %-7.2g %8.4f  %-14.4g %-14.4f%s\n",
			T, o.Energy.Value, o.Energy.Err, f.Energy,
			o.AbsMagnetization.Value, o.AbsMagnetization.Err, ising.OnsagerMagnetization(T),
			o.SpecificHeat.Value, o.SpecificHeat.Err, f.SpecificHeat,
			o.Susceptibility.Value, o.Binder.Value, short)
		Ts = append(Ts, T)
		es = append(es, o.Energy.Value)
		ms = append(ms, o.AbsMagnetization.Value)
		cs = append(cs, o.SpecificHeat.Value)
	}
	fmt.Printf("   [%d temperatures in %.1fs]\n", points, time.Since(start).Seconds())

	// Exact curves on a fine grid: Onsager's infinite lattice (C cut near
	// its log divergence) and Kaufman's finite L×L torus.
	var xT, xe, xm, xc, ke, kc []float64
	for k := range 401 {
		T := 1.5 + 2*float64(k)/400
		xT = append(xT, T)
		xe = append(xe, ising.OnsagerEnergy(T))
		xm = append(xm, ising.OnsagerMagnetization(T))
		xc = append(xc, math.Min(ising.OnsagerSpecificHeat(T), 4))
		f, err := ising.KaufmanSquare(L, T)
		if err != nil {
			return err
		}
		ke = append(ke, f.Energy)
		kc = append(kc, f.SpecificHeat)
	}
	mc := fmt.Sprintf("Monte Carlo, L = %d", L)
	for _, p := range []struct {
		file, title, y string
		mcY, exY, kY   []float64
		legendBottom   bool // the curve rises to the top right corner
	}{
		{"ising-magnetization.png", "2D Ising: magnetisation per spin", "|m| per spin (dimensionless)", ms, xm, nil, false},
		{"ising-energy.png", "2D Ising: energy per spin", "energy per spin (units of J)", es, xe, ke, true},
		{"ising-specific-heat.png", "2D Ising: specific heat per spin", "specific heat per spin (units of k_B)", cs, xc, kc, false},
	} {
		path := filepath.Join(out, p.file)
		series := []plotting.Series{
			{Name: "Onsager (L = ∞)", X: xT, Y: p.exY, Dashed: true},
			{Name: mc, X: Ts, Y: p.mcY, Points: true},
		}
		if p.kY != nil {
			series = append(series, plotting.Series{Name: fmt.Sprintf("Kaufman (exact, L = %d)", L), X: xT, Y: p.kY})
		}
		err := plotting.Lines(path, plotting.Figure{Title: p.title, XLabel: "temperature T (units of J/k_B)", YLabel: p.y, LegendBottom: p.legendBottom}, series...)
		if err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}

	// Snapshots below, at and above T_c.
	for _, snap := range []struct {
		name string
		T    float64
	}{{"below", 2.0}, {"critical", Tc}, {"above", 3.0}} {
		c, err := ising.NewChain(m, ising.Config{T: snap.T, Algorithm: ising.MultiSpin, Seed: seed + 7, Hot: true})
		if err != nil {
			return err
		}
		if err := c.Sweep(4000); err != nil {
			return err
		}
		s := c.Spins(nil)
		z := mat.NewDense(L, L, nil)
		for i, v := range s {
			z.Set(i/L, i%L, float64(v))
		}
		path := filepath.Join(out, "ising-snapshot-"+snap.name+".png")
		title := fmt.Sprintf("spins at T = %.3f (%s T_c; white +1, red −1)", snap.T, map[string]string{"below": "below", "critical": "at", "above": "above"}[snap.name])
		if err := plotting.Heatmap(path, plotting.Figure{Title: title, XLabel: "lattice column x (sites)", YLabel: "lattice row y (sites)", Width: 12, Height: 12}, z, 0, float64(L-1), 0, float64(L-1)); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}

	// Critical slowing down: τ_int of |m| at T_c, Metropolis vs Wolff.
	fmt.Println("\nτ_int(|m|) at T_c in sweeps (Metropolis: checkerboard order; Wolff: N spins of clusters per sweep)")
	fmt.Printf("%5s  %12s  %10s\n", "L", "Metropolis", "Wolff")
	for _, l := range []int{16, 32, 64} {
		ml, err := ising.NewLattice(2, l, 1, 0)
		if err != nil {
			return err
		}
		var taus [2]float64
		for i, a := range []ising.Algorithm{ising.Checkerboard, ising.Wolff} {
			n := 20000 * l / 16
			if a == ising.Wolff {
				n = 5000
			}
			c, err := ising.NewChain(ml, ising.Config{T: Tc, Algorithm: a, Seed: seed})
			if err != nil {
				return err
			}
			s, err := c.Run(n/10, n)
			if err != nil {
				return err
			}
			o, err := s.Observables()
			if err != nil {
				return err
			}
			taus[i] = o.AbsMagnetization.Tau
		}
		fmt.Printf("%5d  %12.1f  %10.2f\n", l, taus[0], taus[1])
	}
	return nil
}
