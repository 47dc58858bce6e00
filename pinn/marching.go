package pinn

import (
	"context"
	"math"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/fail"
)

// Marched is a solution learnt by time marching (March): one model per
// time window, each started from the previous window's solution at its
// start.
type Marched struct {
	models []*Model
	bounds []float64 // window k is [bounds[k], bounds[k+1]]
}

// March trains p by time marching (Krishnapriyan et al. 2021; Wang et al.
// 2023): the time interval is split into windows equal windows; a model
// (Config cfg) is trained on the first with p's initial condition, then
// each next window gets a model whose initial condition is the previous
// window's solution at the window's start and whose weights start from the
// previous window's trained weights; an InitialRate condition likewise
// takes the previous window's ∂u/∂t there. train trains each window's model
// (window counts from 0), with one or several Train calls of the caller's
// choosing; nil means m.Train(ctx, TrainConfig{}). Hard constraints build the window's
// initial condition into the output, so the windows join continuously;
// a Problem.Lift, which describes the first window only, is used there and
// replaced by the previous solution after.
//
// It returns the windows trained so far; an error of train in a window
// (a cancelled context, a NaN) stops the march there and is returned
// wrapped, naming the window.
func March(ctx context.Context, p Problem, cfg Config, windows int, train func(window int, m *Model) error) (*Marched, error) {
	if ctx == nil {
		return nil, errorf(ErrInput, "March: nil context (use context.Background())")
	}
	if windows < 1 {
		return nil, errorf(ErrInput, "March: windows = %d, want ≥ 1", windows)
	}
	if !p.Domain.HasTime() {
		return nil, errorf(ErrInput, "March: the problem has no time interval to march through")
	}
	if train == nil {
		train = func(_ int, m *Model) error { _, err := m.Train(ctx, TrainConfig{}); return err }
	}
	ic, rc := -1, -1
	for i, c := range p.Conditions {
		if c.Kind == Initial && ic < 0 {
			ic = i
		}
		if c.Kind == InitialRate && rc < 0 {
			rc = i
		}
	}
	if ic < 0 {
		return nil, errorf(ErrInput, "March: the problem has no Initial condition for the windows to pass on")
	}
	iv := p.Domain.Time
	mr := &Marched{}
	for k := 0; k <= windows; k++ {
		mr.bounds = append(mr.bounds, iv.Lo+iv.Width()*float64(k)/float64(windows))
	}
	mr.bounds[windows] = iv.Hi
	var prev *Model
	for k := 0; k < windows; k++ {
		q := p
		q.Domain.Time = Interval{mr.bounds[k], mr.bounds[k+1]}
		q.Domain.Space = append([]Interval(nil), p.Domain.Space...)
		q.Conditions = append([]Condition(nil), p.Conditions...)
		if prev != nil {
			f, err := prev.pointFunc()
			if err != nil {
				return mr, err
			}
			q.Conditions[ic].Value = f
			if rc >= 0 {
				q.Conditions[rc].Value = prev.rateFunc()
			}
			q.Lift = nil
		}
		c := cfg
		c.Seed = cfg.Seed + uint64(k) // fresh points per window
		m, err := New(q, c)
		if err != nil {
			return mr, wrap(err, "March: window %d", k+1)
		}
		if prev != nil {
			vals, err := prev.values()
			if err != nil {
				return mr, err
			}
			if err := setValues(m, vals); err != nil {
				return mr, err
			}
		}
		err = callTrain(train, k, m)
		mr.models = append(mr.models, m)
		if err != nil {
			return mr, wrap(err, "March: window %d", k+1)
		}
		prev = m
	}
	return mr, nil
}

// rateFunc returns ∂u/∂t(p) of m, for use as the Value of the next
// window's InitialRate condition (NaN if m cannot evaluate it, which the
// new window's model reports as a value that is not finite).
func (m *Model) rateFunc() func(p []float64) float64 {
	ti := m.prob.Domain.TimeIndex()
	return func(p []float64) float64 {
		d, err := m.Derivatives([][]float64{p})
		if err != nil {
			return math.NaN()
		}
		return d.Grad[0][ti]
	}
}

// callTrain runs the caller's train function, recovering a panic.
func callTrain(train func(int, *Model) error, k int, m *Model) (err error) {
	defer fail.Recover(&err, "pinn", "March's train function")
	return train(k, m)
}

// setValues loads parameter values into m's training graph.
func setValues(m *Model, vals []float64) error {
	st, err := m.build(vals)
	if err != nil {
		return err
	}
	m.st, m.norms = st, nil
	return nil
}

// pointFunc returns u(p) from one plain-Go copy of the network (and the
// hard-constraint transform), for use as a condition's Value.
func (m *Model) pointFunc() (func(p []float64) float64, error) {
	var fwd func(x []float64) float64
	if m.st.gen != nil {
		net, err := m.st.gen.snapshot()
		if err != nil {
			return nil, err
		}
		fwd = net.forward
	} else {
		net, err := m.st.net.Snapshot()
		if err != nil {
			return nil, wrap(err, "March")
		}
		fwd = denseForward(net)
		if e := m.emb; e != nil {
			inner := fwd
			h := make([]float64, e.width())
			fwd = func(x []float64) float64 { e.apply(h, x); return inner(h) }
		}
	}
	a, b := m.a, m.b
	hard := m.hard
	return func(p []float64) float64 {
		x := make([]float64, len(p))
		for i, v := range p {
			x[i] = a[i]*v + b[i]
		}
		u := fwd(x)
		if hard != nil {
			d := 1.0
			for i, v := range p {
				f, _, _ := hard.phi(i, v)
				d *= f
			}
			u = hard.lift(p) + d*u
		}
		return u
	}, nil
}

func denseForward(net *ad.Dense) func(x []float64) float64 {
	y := make([]float64, 1)
	return func(x []float64) float64 {
		if err := net.Forward(x, y); err != nil {
			return math.NaN()
		}
		return y[0]
	}
}

// Windows returns the models of the windows, earliest first (each can be
// saved with Save).
func (mr *Marched) Windows() []*Model {
	if mr == nil {
		return nil
	}
	return append([]*Model(nil), mr.models...)
}

// Predict returns u at the points, each from the window holding its time
// (a time on a boundary between windows goes to the earlier window, whose
// solution the later one starts from).
func (mr *Marched) Predict(pts [][]float64) ([]float64, error) {
	if mr == nil || len(mr.models) == 0 {
		return nil, errorf(ErrZeroValue, "nil or empty Marched")
	}
	ti := mr.models[0].prob.Domain.TimeIndex()
	dim := mr.models[0].Dim()
	if err := checkPoints("Predict", pts, dim); err != nil {
		return nil, err
	}
	groups := make([][]int, len(mr.models))
	for k, p := range pts {
		w := 0
		for w+1 < len(mr.models) && p[ti] > mr.bounds[w+1] {
			w++
		}
		groups[w] = append(groups[w], k)
	}
	out := make([]float64, len(pts))
	for w, idx := range groups {
		if len(idx) == 0 {
			continue
		}
		sub := make([][]float64, len(idx))
		for i, k := range idx {
			sub[i] = pts[k]
		}
		u, err := mr.models[w].Predict(sub)
		if err != nil {
			return nil, err
		}
		for i, k := range idx {
			out[k] = u[i]
		}
	}
	return out, nil
}
