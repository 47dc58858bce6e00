package node

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// finlayReg is the regularized step of bench/torch_rows/node_reg.py: the
// kinetic energy and Hutchinson's Frobenius norm of Finlay et al. 2020, each
// of weight 0.01.
var finlayReg = TrainConfig{Kinetic: 0.01, Frobenius: 0.01}

// BenchmarkStepFinlay is one Adam training step of BenchmarkStep's neural
// ODE (f a 2-64-64-2 tanh MLP, a batch of 256 states, 20 fixed RK4 steps
// over [0, 1], backprop through the solver) with the regularizers of
// Finlay et al. 2020 on the fused path: loss = MSE of y(1) + 0.01·mean
// ∫‖f‖² dt + 0.01·mean ∫‖(∂f/∂y)ε‖² dt, ε Gaussian, one probe per sample
// drawn once per step, the integrals by the same RK4 steps. The row
// node_reg of bench/compare.sh times it beside PyTorch
// (bench/torch_rows/node_reg.py).
func BenchmarkStepFinlay(b *testing.B) { benchTrain(b, Backprop, false, finlayReg) }

// finlayExport is what TestExportStepFinlay writes for
// `python3 bench/torch_rows/node_reg.py --check <file>`: the problem of
// BenchmarkStepFinlay (parameters θ laid out W0, b0, W1, b1, W2, b2 with
// W_l row-major (in, out); y0, targets and the probe ε row-major (B, 2)) and
// what the Go side computes on it.
type finlayExport struct {
	Sizes             []int     `json:"sizes"`
	Dt                float64   `json:"dt"`
	Kinetic           float64   `json:"kinetic_weight"`
	Frobenius         float64   `json:"frobenius_weight"`
	LR                float64   `json:"lr"`
	Theta             []float64 `json:"theta"`
	Y0                []float64 `json:"y0"`
	Target            []float64 `json:"target"`
	Eps               []float64 `json:"eps"`
	Loss              float64   `json:"loss"`               // History.Loss[0] with both terms
	Fit               float64   `json:"fit"`                // History.Fit[0]
	KineticIntegral   float64   `json:"kinetic_integral"`   // mean over the batch of ∫‖f‖² dt
	FrobeniusIntegral float64   `json:"frobenius_integral"` // mean over the batch of ∫‖(∂f/∂y)ε‖² dt
	Grad              []float64 `json:"grad"`               // ∂loss/∂θ
	Theta1            []float64 `json:"theta1"`             // θ after one Adam step
}

// TestExportStepFinlay writes BenchmarkStepFinlay's problem and the Go
// side's loss, integrals, gradient and one Adam step to the JSON file named
// by PHYSBIAS_NODE_REG_EXPORT, for bench/torch_rows/node_reg.py --check to
// compare against PyTorch; without the variable it writes nothing. Either
// way it checks the Go side: the loss is the fit plus the weighted
// integrals, and the gradient matches central differences of the loss.
func TestExportStepFinlay(t *testing.T) {
	path := os.Getenv("PHYSBIAS_NODE_REG_EXPORT") // empty: check only, write nothing
	const B, n = 256, 2
	// The data of benchModel.
	r := rng.New(2)
	d := &Data{T: []float64{0, 1}}
	y0 := make([]float64, 0, B*n)
	target := make([]float64, 0, B*n)
	for i := 0; i < B; i++ {
		row := []float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
		d.Y = append(d.Y, row)
		y0 = append(y0, row[:2]...)
		target = append(target, row[2:]...)
	}
	// Train's first batch is a permutation of the samples (internal/train's
	// batcher, TrainConfig.Seed 0), and its probe of that step is drawn in
	// the batch's order: export the batch in that order.
	perm := make([]int, B)
	for i := range perm {
		perm[i] = i
	}
	rng.New(0).Shuffle(B, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	y0p, targetp := make([]float64, B*n), make([]float64, B*n)
	for r, k := range perm {
		copy(y0p[r*n:(r+1)*n], y0[k*n:(k+1)*n])
		copy(targetp[r*n:(r+1)*n], target[k*n:(k+1)*n])
	}
	y0, target = y0p, targetp
	eps := make([]float64, B*n)
	probes := rng.Stream(0, 1)
	for i := range eps {
		eps[i] = probes.NormFloat64()
	}
	fresh := func() *Model {
		m, err := New(2, Config{Hidden: []int{64, 64}, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	opts := Options{Dt: 0.05}
	oneStep := func(m *Model, reg TrainConfig) History {
		tc := TrainConfig{Steps: 1, LR: 1e-3, Solver: RK4(), Options: opts, Kinetic: reg.Kinetic, Frobenius: reg.Frobenius}
		h, err := m.Train(context.Background(), d, tc)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	m := fresh()
	ex := finlayExport{Sizes: []int{2, 64, 64, 2}, Dt: opts.Dt, Kinetic: finlayReg.Kinetic, Frobenius: finlayReg.Frobenius,
		LR: 1e-3, Theta: m.Params(), Y0: y0, Target: target, Eps: eps}
	h := oneStep(m, finlayReg)
	ex.Loss, ex.Fit, ex.Theta1 = h.Loss[0], h.Fit[0], m.Params()
	hk := oneStep(fresh(), TrainConfig{Kinetic: 1})
	hf := oneStep(fresh(), TrainConfig{Frobenius: 1})
	ex.KineticIntegral, ex.FrobeniusIntegral = hk.Loss[0]-hk.Fit[0], hf.Loss[0]-hf.Fit[0]
	want := ex.Fit + ex.Kinetic*ex.KineticIntegral + ex.Frobenius*ex.FrobeniusIntegral
	if math.Abs(ex.Loss-want) > 1e-14*math.Abs(want) {
		t.Errorf("loss %.17g, fit + weighted integrals %.17g", ex.Loss, want)
	}

	// The gradient of the first step's loss, cotangents as in Train.
	m = fresh()
	terms, weights, err := finlayReg.terms()
	if err != nil {
		t.Fatal(err)
	}
	loss := func(m *Model) (float64, []float64) {
		var L float64
		cotFn := func(ys [][]float64) ([][]float64, error) {
			cot := [][]float64{nil, make([]float64, len(ys[1]))}
			for c := 0; c < B*n; c++ {
				e := ys[1][c] - target[c]
				L += e * e / (B * n)
				cot[1][c] = 2 * e / (B * n)
			}
			for j, w := range weights {
				for r := 0; r < B; r++ {
					L += w / B * ys[1][B*n+r*len(terms)+j]
					cot[1][B*n+r*len(terms)+j] = w / B
				}
			}
			return cot, nil
		}
		res, err := m.grad(B, terms, make([]float64, B), eps, y0, d.T, nil, RK4(), opts, Backprop, cotFn)
		if err != nil {
			t.Fatal(err)
		}
		return L, res.gtheta
	}
	L, g := loss(m)
	if math.Abs(L-ex.Loss) > 1e-14*math.Abs(L) {
		t.Errorf("loss by grad %.17g, by Train %.17g", L, ex.Loss)
	}
	ex.Grad = g
	// Central differences on a few parameters (first weight of each layer,
	// and the output bias).
	theta := m.Params()
	for _, i := range []int{0, 2*64 + 64, 2*64 + 64 + 64*64 + 64, len(theta) - 1} {
		const h = 1e-5
		p := append([]float64(nil), theta...)
		p[i] = theta[i] + h
		if err := m.SetParams(p); err != nil {
			t.Fatal(err)
		}
		lp, _ := loss(m)
		p[i] = theta[i] - h
		if err := m.SetParams(p); err != nil {
			t.Fatal(err)
		}
		lm, _ := loss(m)
		fd := (lp - lm) / (2 * h)
		t.Logf("∂loss/∂θ[%d] = %.12g, central difference %.12g (difference %.1e)", i, g[i], fd, fd-g[i])
		// Measured differences 2.1e-11, 5.6e-11, 8.4e-11 and 1.3e-10 (at
		// most 1.8e-9 relative) on these four.
		if math.Abs(fd-g[i]) > 5e-9*math.Abs(g[i])+5e-11 {
			t.Errorf("∂loss/∂θ[%d] = %.12g, central difference %.12g", i, g[i], fd)
		}
	}
	if path == "" {
		return
	}
	buf, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: loss %.17g (fit %.17g, kinetic %.17g, Frobenius %.17g)", path, ex.Loss, ex.Fit, ex.KineticIntegral, ex.FrobeniusIntegral)
}
