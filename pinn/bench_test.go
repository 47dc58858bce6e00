package pinn

import (
	"context"
	"testing"
)

// benchTrainStep times one Adam step (forward jets, loss, backward pass,
// update) of the Burgers PINN of Raissi et al. (2-20×8-1 tanh, u, u_t,
// u_x, u_xx at n collocation points plus 100 initial and boundary points).
// The machine is compiled once before the timer starts.
func benchTrainStep(b *testing.B, n int) {
	m, err := New(BurgersProblem(BurgersNu, 50, 25), Config{
		Hidden: []int{20, 20, 20, 20, 20, 20, 20, 20}, Collocation: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 1}}}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: b.N}}}); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkTrainStep2048(b *testing.B)  { benchTrainStep(b, 2048) }
func BenchmarkTrainStep10000(b *testing.B) { benchTrainStep(b, 10000) }
