package hnn_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/physbias/physbias/hnn"
)

// Example_program is the program of the README's "Using physbias in your own
// program": a Hamiltonian neural network learns a system that hnn does not
// ship (a quartic oscillator), is saved to a file, loaded back and rolled
// out. Keeping it here keeps the README's code compiling.
func Example_program() {
	sys := hnn.System{
		Name:   "quartic oscillator",
		Dof:    1,
		Energy: func(x []float64) float64 { return x[1]*x[1]/2 + x[0]*x[0]*x[0]*x[0]/4 },
		Grad: func(x, g []float64) {
			g[0] = x[0] * x[0] * x[0] // ∂H/∂q
			g[1] = x[1]               // ∂H/∂p
		},
		Initial: func(r *rand.Rand, x []float64) { // r: math/rand/v2, seeded from DataConfig.Seed
			x[0], x[1] = 2*r.Float64()-1, 2*r.Float64()-1
		},
		Separable: true,
	}
	data, err := hnn.Simulate(sys, hnn.DataConfig{Trajectories: 20, Points: 30, T: 4, TestFraction: 0.2, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	m, err := hnn.New(sys.Dim(), hnn.Config{Hidden: []int{32, 32}, Seed: 2})
	if err != nil {
		log.Fatal(err)
	}
	h, err := m.Train(context.Background(), data, hnn.TrainConfig{Steps: 500, LR: 3e-3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("loss fell a hundredfold:", h.Loss[len(h.Loss)-1] < h.Loss[0]/100)

	dir, err := os.MkdirTemp("", "quartic")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "quartic.hnn")
	if err := m.SaveFile(file); err != nil {
		log.Fatal(err)
	}
	loaded, err := hnn.LoadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	tr, err := hnn.Rollout(loaded, []float64{0.8, 0}, 10, 1000, hnn.RK4())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("true energy at t = 0: %.2f, at t = 10 on the learned flow: %.2f\n",
		sys.Energy(tr.X[0]), sys.Energy(tr.X[len(tr.X)-1]))
	// Output:
	// loss fell a hundredfold: true
	// true energy at t = 0: 0.10, at t = 10 on the learned flow: 0.10
}
