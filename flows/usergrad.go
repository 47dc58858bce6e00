package flows

import (
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/train"
)

// userGrad evaluates ∇ₓ of a user's Network at fixed parameters outside
// training (sampling, LogProb, Forward, Inverse): a small graph of the
// network and its internal/grad gradient, compiled once for each batch
// size it meets and run by a tape machine. It is safe for concurrent use.
type userGrad struct {
	spec  netSpec
	theta []float64

	mu  sync.Mutex
	byB map[int]*gradMachine
}

// gradMachine is the compiled gradient graph for one batch size.
type gradMachine struct {
	x   []float64 // the input's backing, (B, Dim)
	val G.Value   // ∇ₓ, read after each run
	vm  G.VM
}

// maxMachines bounds the batch sizes kept compiled at once.
const maxMachines = 8

// grad sets g = ∇ₓf at the rows of x. A failure (the network's Build
// failing or making other parameters than it first made, its graph failing
// to run) panics with a gradFailure, which Leapfrog and LeapfrogInverse
// return as their error.
func (u *userGrad) grad(x, g []float64) {
	if err := u.run(x, g); err != nil {
		panic(gradFailure{err})
	}
}

func (u *userGrad) run(x, g []float64) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	d := u.spec.dim
	B := len(x) / d
	gm, ok := u.byB[B]
	if !ok {
		var err error
		if gm, err = u.compile(B); err != nil {
			return err
		}
		if len(u.byB) >= maxMachines {
			u.closeAll()
		}
		if u.byB == nil {
			u.byB = map[int]*gradMachine{}
		}
		u.byB[B] = gm
	}
	copy(gm.x, x)
	defer gm.vm.Reset()
	if err := gm.vm.RunAll(); err != nil {
		return errorf(ErrInput, "gradient of Network %s: %w", u.spec.name, err)
	}
	copy(g, gm.val.Data().([]float64))
	return nil
}

// compile builds the gradient graph for B points.
func (u *userGrad) compile(B int) (*gradMachine, error) {
	g := G.NewGraph()
	n, err := u.spec.buildOn(g, 0)
	if err != nil {
		return nil, err
	}
	if err := train.SetValues(n.Params(), u.theta); err != nil {
		return nil, errorf(ErrCallback, "network %s: its parameters differ from those it first made: %w", u.spec.name, err)
	}
	d := u.spec.dim
	xs := make([]float64, B*d)
	x := G.NewMatrix(g, G.Float64, G.WithShape(B, d), G.WithName("flows.x"),
		G.WithValue(tensor.New(tensor.WithShape(B, d), tensor.WithBacking(xs))))
	gx, err := n.InputGrad(x)
	if err != nil {
		return nil, err
	}
	gm := &gradMachine{x: xs}
	G.Read(gx, &gm.val)
	gm.vm = G.NewTapeMachine(g)
	return gm, nil
}

func (u *userGrad) closeAll() {
	for B, gm := range u.byB {
		gm.vm.Close()
		delete(u.byB, B)
	}
}

// close releases the machines (the model's weights changed).
func (u *userGrad) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closeAll()
}
