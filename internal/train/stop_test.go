package train

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/fail"
)

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// reference trains a fresh least-squares problem for exactly steps steps
// and returns its parameters.
func reference(t *testing.T, opt Optimizer, steps int) []float64 {
	t.Helper()
	p := newLSQ(t, 64, 3, 0, 7)
	h, err := Run(p.problem(0), opt, Config{Steps: steps})
	if err != nil || h.Steps != steps {
		t.Fatalf("reference run: %d steps, %v", h.Steps, err)
	}
	return p.params(t)
}

// TestCancel: cancelling the context during step k stops the run after
// step k, for Adam and L-BFGS: k losses, an error matching
// context.Canceled, and the parameters of a run of exactly k steps, bit
// for bit.
func TestCancel(t *testing.T) {
	const k = 5
	for _, opt := range []Optimizer{Adam{LR: 0.05}, LBFGS{}} {
		p := newLSQ(t, 64, 3, 0, 7)
		ctx, cancel := context.WithCancel(context.Background())
		cfg := Config{Steps: 50, Context: ctx, ReportEvery: 1, Prefix: "hnn", Progress: func(pr Progress) {
			if pr.Step == k {
				cancel()
			}
		}}
		h, err := Run(p.problem(0), opt, cfg)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%v: error %v, want context.Canceled", opt, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "hnn: ") || strings.Count(msg, ":") != 2 {
			t.Errorf("%v: message %q", opt, msg)
		}
		if h.Steps != k || len(h.Loss) != k {
			t.Errorf("%v: %d steps in the history, want %d", opt, h.Steps, k)
		}
		if got, want := p.params(t), reference(t, opt, k); !sameBits(got, want) {
			t.Errorf("%v: parameters after cancel %v, after %d steps %v", opt, got, k, want)
		}
	}
}

// TestCancelledBefore: a context done before Run starts trains nothing.
func TestCancelledBefore(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, opt := range []Optimizer{Adam{}, LBFGS{}} {
		p := newLSQ(t, 16, 2, 0, 1)
		before := p.params(t)
		h, err := Run(p.problem(0), opt, Config{Steps: 10, Context: ctx})
		if !errors.Is(err, context.Canceled) || h.Steps != 0 || !sameBits(before, p.params(t)) {
			t.Fatalf("%v: %d steps, err %v, parameters changed %v", opt, h.Steps, err, !sameBits(before, p.params(t)))
		}
	}
}

// TestTimeLimit: a time limit stops without an error, History.Stop "time
// limit", and the parameters of the last completed step. Each step sleeps
// at least 10 ms (in Progress), so 25 ms allows 1 to 3 of the 1000 steps
// (L-BFGS would converge after 8).
func TestTimeLimit(t *testing.T) {
	for _, opt := range []Optimizer{Adam{LR: 0.05}, LBFGS{}} {
		p := newLSQ(t, 64, 3, 0, 7)
		pr := p.problem(0)
		cfg := Config{Steps: 1000, TimeLimit: 25 * time.Millisecond, ReportEvery: 1,
			Progress: func(Progress) { time.Sleep(10 * time.Millisecond) }}
		h, err := Run(pr, opt, cfg)
		if err != nil {
			t.Fatalf("%v: %v", opt, err)
		}
		if h.Stop != StopTimeLimit || h.Steps < 1 || h.Steps > 3 {
			t.Fatalf("%v: stop %q after %d steps", opt, h.Stop, h.Steps)
		}
		if got, want := p.params(t), reference(t, opt, h.Steps); !sameBits(got, want) {
			t.Errorf("%v: parameters after the time limit differ from %d steps", opt, h.Steps)
		}
	}
}

// TestNotFiniteMatches: NaN stops match fail.ErrNotFinite and carry one
// prefix, Config.Prefix.
func TestNotFiniteMatches(t *testing.T) {
	g := G.NewGraph()
	th := G.NewScalar(g, tensor.Float64, G.WithName("theta"), G.WithValue(1.05))
	zero := G.NewScalar(g, tensor.Float64, G.WithName("zero"), G.WithValue(0.0))
	loss := G.Must(G.Add(th, G.Must(G.Mul(zero, G.Must(G.Sqrt(th))))))
	_, err := Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{th}}, Adam{LR: 0.1}, Config{Steps: 100, Prefix: "lnn"})
	if !errors.Is(err, fail.ErrNotFinite) || err.Error() != "lnn: step 12: loss is NaN" {
		t.Fatalf("got %v", err)
	}
	_, err = Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{th}}, Adam{}, Config{Steps: -1, Prefix: "lnn"})
	if !errors.Is(err, fail.ErrInput) || !strings.HasPrefix(err.Error(), "lnn: Config.Steps") {
		t.Fatalf("got %v", err)
	}
	_, err = Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{th}}, Adam{}, Config{TimeLimit: -time.Second})
	if !errors.Is(err, fail.ErrInput) {
		t.Fatalf("negative TimeLimit: %v", err)
	}
}

// TestProgressPanic: a Progress that panics at step k stops the run after
// step k, for Adam and L-BFGS, with an error matching fail.ErrCallback that
// names the step and the panic, k losses, no further Progress call, and
// the parameters of a run of exactly k steps, bit for bit. A panic in the
// final (Done) call is reported the same way.
func TestProgressPanic(t *testing.T) {
	const k = 4
	for _, opt := range []Optimizer{Adam{LR: 0.05}, LBFGS{}} {
		p := newLSQ(t, 64, 3, 0, 7)
		calls := 0
		cfg := Config{Steps: 50, ReportEvery: 1, Prefix: "hnn", Progress: func(pr Progress) {
			calls++
			if pr.Step == k {
				panic("user bug")
			}
		}}
		h, err := Run(p.problem(0), opt, cfg)
		if !errors.Is(err, fail.ErrCallback) {
			t.Fatalf("%v: error %v, want ErrCallback", opt, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "hnn: step 4: ") || !strings.Contains(msg, "user bug") {
			t.Errorf("%v: message %q", opt, msg)
		}
		if h.Steps != k || calls != k {
			t.Errorf("%v: %d steps and %d Progress calls, want %d", opt, h.Steps, calls, k)
		}
		if got, want := p.params(t), reference(t, opt, k); !sameBits(got, want) {
			t.Errorf("%v: parameters after the panic %v, after %d steps %v", opt, got, k, want)
		}
	}
	p := newLSQ(t, 16, 2, 0, 3)
	h, err := Run(p.problem(0), Adam{}, Config{Steps: 6, Progress: func(pr Progress) {
		if pr.Done {
			panic(errors.New("at the end"))
		}
	}})
	if !errors.Is(err, fail.ErrCallback) || h.Steps != 6 || !strings.Contains(err.Error(), "at the end") {
		t.Errorf("panic in the Done call: %d steps, error %v", h.Steps, err)
	}
}

// TestStepOffset: messages count steps from the start of the whole
// training (StepOffset + the Run's step); a negative offset is an error.
func TestStepOffset(t *testing.T) {
	p := newLSQ(t, 16, 2, 0, 3)
	h, err := Run(p.problem(0), Adam{}, Config{Steps: 10, ReportEvery: 1, StepOffset: 30, Prefix: "lnn",
		Progress: func(pr Progress) {
			if pr.Step == 4 {
				panic("x")
			}
		}})
	if h.Steps != 4 || err == nil || !strings.HasPrefix(err.Error(), "lnn: step 34: ") {
		t.Errorf("%d steps, error %v, want it at step 34", h.Steps, err)
	}
	if _, err := Run(p.problem(0), Adam{}, Config{StepOffset: -1}); !errors.Is(err, fail.ErrInput) {
		t.Errorf("StepOffset −1: %v", err)
	}
}
