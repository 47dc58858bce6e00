package ising_test

import (
	"fmt"

	"github.com/physbias/physbias/ising"
)

// Sample the 64×64 lattice at T = 2 with the multi-spin kernel and compare
// with Onsager's exact solution.
func Example() {
	m, err := ising.NewLattice(2, 64, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := ising.NewChain(m, ising.Config{T: 2, Algorithm: ising.MultiSpin, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := c.Run(200, 5000)
	if err != nil {
		fmt.Println(err)
		return
	}
	o, err := s.Observables()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("e   = %.2f (exact %.2f)\n", o.Energy.Value, ising.OnsagerEnergy(2))
	fmt.Printf("|m| = %.2f (exact %.2f)\n", o.AbsMagnetization.Value, ising.OnsagerMagnetization(2))
	// Output:
	// e   = -1.75 (exact -1.75)
	// |m| = 0.91 (exact 0.91)
}

// A three-spin frustrated triangle (antiferromagnetic couplings) in a
// small field, sampled by Wolff's cluster update, which works for
// couplings of any sign.
func ExampleNewGraph() {
	g, err := ising.NewGraph(3, []ising.Edge{{I: 0, J: 1, W: -1}, {I: 1, J: 2, W: -1}, {I: 0, J: 2, W: -1}}, []float64{0.1, 0.1, 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := ising.NewChain(g, ising.Config{T: 0.5, Algorithm: ising.Wolff, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := c.Run(100, 20000)
	if err != nil {
		fmt.Println(err)
		return
	}
	var e float64
	for _, v := range s.E {
		e += v
	}
	// The six states with one unsatisfied bond dominate: three at
	// E = −1.1 (two spins along the field), three at −0.9, so
	// ⟨E⟩ = −(1.1·e^{0.4} + 0.9)/(e^{0.4} + 1) = −1.020.
	fmt.Printf("mean energy %.2f\n", e/float64(len(s.E)))
	// Output: mean energy -1.02
}

func ExampleOnsagerEnergy() {
	Tc := ising.CriticalTemperature
	fmt.Printf("T_c = %.6f, u(T_c) = %.6f, m(2) = %.6f\n", Tc, ising.OnsagerEnergy(Tc), ising.OnsagerMagnetization(2))
	// Output: T_c = 2.269185, u(T_c) = -1.414214, m(2) = 0.911319
}

// The exact energy and specific heat per spin of the 16×16 torus at T_c,
// where Onsager's infinite-lattice specific heat diverges.
func ExampleKaufmanSquare() {
	Tc := ising.CriticalTemperature
	f, err := ising.KaufmanSquare(16, Tc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("L = 16: e = %.4f, C = %.3f; L = ∞: e = %.4f, C = %v\n", f.Energy, f.SpecificHeat, ising.OnsagerEnergy(Tc), ising.OnsagerSpecificHeat(Tc))
	// Output: L = 16: e = -1.4531, C = 1.499; L = ∞: e = -1.4142, C = +Inf
}
