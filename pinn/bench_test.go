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

// benchAllenCahnStep times one Adam step on Allen–Cahn (4×64 tanh, 2048
// collocation points, 512 initial points and 256 periodic pairs) with the
// given network options: the price of each network path.
func benchAllenCahnStep(b *testing.B, cfg Config) {
	cfg.Hidden, cfg.Collocation, cfg.Seed = []int{64, 64, 64, 64}, 2048, 1
	m, err := New(AllenCahnProblem(512, 256), cfg)
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

// The fused MLP (forward jets).
func BenchmarkStepAllenCahnVanilla(b *testing.B) { benchAllenCahnStep(b, Config{}) }

// The periodic embedding on the fused path (gradient and Hessian block).
func BenchmarkStepAllenCahnFourier(b *testing.B) {
	benchAllenCahnStep(b, Config{Fourier: Fourier{Periodic: []int{0}}})
}

// The periodic embedding with causal weights (32 slabs).
func BenchmarkStepAllenCahnCausal(b *testing.B) {
	benchAllenCahnStep(b, Config{Fourier: Fourier{Periodic: []int{0}}, Causal: &Causal{}})
}

// The modified MLP through internal/grad (reverse-over-reverse).
func BenchmarkStepAllenCahnModified(b *testing.B) {
	benchAllenCahnStep(b, Config{Fourier: Fourier{Periodic: []int{0}}, Architecture: ModifiedMLP})
}
