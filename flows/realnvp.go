package flows

import (
	"context"
	"math"
	"strconv"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/rng"
)

// RealNVP is the coupling-flow baseline (Dinh, Sohl-Dickstein and Bengio,
// "Density estimation using Real NVP", ICLR 2017): a stack of affine
// coupling layers, each of which keeps one half of the coordinates (the
// first half in even layers, the second in odd ones) and transforms the
// other half, with the scale and shift of tanh networks s and t of the kept
// half h:
//
//	y = x ⊙ exp(s) + t,  s = tanh(S(h)) and t = T(h) on the transformed half, 0 on the kept one,
//
// mapping data x to a standard normal base z, so that
//
//	log p(x) = log N(z; 0, I) + Σ over layers of Σ s.
//
// The data dimension must be even (the halves are equal).
type RealNVP struct {
	dim int
	cfg RealNVPConfig
	p   *params // per layer: scale network, then shift network
}

// NewRealNVP returns an untrained RealNVP for data of even dimension dim,
// with the weights drawn from cfg.Seed.
func NewRealNVP(dim int, cfg RealNVPConfig) (*RealNVP, error) {
	if dim < 2 || dim%2 != 0 || dim > 1<<16 {
		return nil, errorf(ErrInput, "RealNVP data dimension %d; must be even (the coupling layers split it into two equal halves) and between 2 and 65536", dim)
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := realNVPSpecs(dim, c)
	if err := checkParams(specs); err != nil {
		return nil, err
	}
	p, err := newParams(specs, c.Seed)
	if err != nil {
		return nil, err
	}
	return &RealNVP{dim: dim, cfg: c, p: p}, nil
}

func realNVPSpecs(dim int, c RealNVPConfig) []netSpec {
	h := dim / 2
	sizes := append(append([]int{h}, c.Hidden...), h)
	var specs []netSpec
	for l := 0; l < c.Layers; l++ {
		specs = append(specs, netSpec{name: layerName(l, "s"), sizes: sizes}, netSpec{name: layerName(l, "t"), sizes: sizes})
	}
	return specs
}

func layerName(l int, what string) string {
	return "layer" + strconv.Itoa(l) + "." + what
}

func (m *RealNVP) ok() error {
	if m == nil || m.p == nil {
		return errorf(ErrZeroValue, "RealNVP: use NewRealNVP or Load")
	}
	return nil
}

// Dim returns the data dimension.
func (m *RealNVP) Dim() int {
	if m.ok() != nil {
		return 0
	}
	return m.dim
}

// Config returns the configuration with its defaults filled in.
func (m *RealNVP) Config() RealNVPConfig {
	if m.ok() != nil {
		return RealNVPConfig{}
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// NumParams returns the number of weights and biases of all scale and shift
// networks.
func (m *RealNVP) NumParams() int {
	if m.ok() != nil {
		return 0
	}
	return m.p.count()
}

// halves returns the column offsets of the kept and the transformed half
// of layer l.
func (m *RealNVP) halves(l int) (keep, move int) {
	if l%2 == 0 {
		return 0, m.dim / 2
	}
	return m.dim / 2, 0
}

// ToBase maps data points x (rows of Dim values) to the base in place and
// returns the log-determinant of the map at each row.
func (m *RealNVP) ToBase(x []float64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	n, err := checkData("ToBase points", x, m.dim)
	if err != nil {
		return nil, err
	}
	ld := make([]float64, n)
	if err := m.coupling(x, n, ld, false); err != nil {
		return nil, err
	}
	return ld, finite("ToBase result", x)
}

// FromBase maps base points z (rows of Dim values) to data space in place;
// it undoes ToBase to rounding.
func (m *RealNVP) FromBase(z []float64) error {
	if err := m.ok(); err != nil {
		return err
	}
	n, err := checkData("FromBase points", z, m.dim)
	if err != nil {
		return err
	}
	if err := m.coupling(z, n, nil, true); err != nil {
		return err
	}
	return finite("FromBase result", z)
}

// coupling runs the layers forward (data to base, adding log-determinants
// to ld) or, with inverse, backward (base to data).
func (m *RealNVP) coupling(x []float64, n int, ld []float64, inverse bool) error {
	d, h := m.dim, m.dim/2
	kept, sb, tb := make([]float64, n*h), make([]float64, n*h), make([]float64, n*h)
	for k := 0; k < m.cfg.Layers; k++ {
		l := k
		if inverse {
			l = m.cfg.Layers - 1 - k
		}
		keep, move := m.halves(l)
		for r := 0; r < n; r++ {
			copy(kept[r*h:(r+1)*h], x[r*d+keep:r*d+keep+h])
		}
		s, err := m.p.net(2*l).ForwardBatch(sb, kept)
		if err != nil {
			return errorf(ErrInput, "coupling layer %d: %w", l, err)
		}
		t, err := m.p.net(2*l+1).ForwardBatch(tb, kept)
		if err != nil {
			return errorf(ErrInput, "coupling layer %d: %w", l, err)
		}
		for r := 0; r < n; r++ {
			for i := 0; i < h; i++ {
				si := math.Tanh(s[r*h+i])
				xi := &x[r*d+move+i]
				if inverse {
					*xi = (*xi - t[r*h+i]) * math.Exp(-si)
				} else {
					*xi = *xi*math.Exp(si) + t[r*h+i]
					ld[r] += si
				}
			}
		}
	}
	return nil
}

// LogProb returns the exact log-density of the flow at each row of x.
func (m *RealNVP) LogProb(x []float64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	z := append([]float64(nil), x...)
	ld, err := m.ToBase(z)
	if err != nil {
		return nil, err
	}
	d := m.dim
	for r := range ld {
		s := 0.0
		for _, v := range z[r*d : (r+1)*d] {
			s += v * v
		}
		ld[r] += -0.5*s - 0.5*float64(d)*log2Pi
	}
	return ld, nil
}

// Sample draws n points of the flow (rows of Dim values).
func (m *RealNVP) Sample(n int, seed uint64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	if err := checkCount("Sample: n", n, m.dim); err != nil {
		return nil, err
	}
	r := rng.New(seed)
	z := make([]float64, n*m.dim)
	for i := range z {
		z[i] = r.NormFloat64()
	}
	return z, m.FromBase(z)
}

// Train fits the flow to the points x (rows of Dim values, row-major) by
// maximum likelihood with Adam. Training continues from the current
// weights.
//
// Cancelling ctx (which must not be nil) stops training after the current
// step: Train returns the history so far and an error matching
// context.Canceled, and the model keeps the weights of the last completed
// step; tc.TimeLimit stops the same way without an error (History.Stop
// "time limit"). The first NaN or Inf loss or gradient stops with an error
// matching ErrNotFinite that names the step, the weights those before it;
// a panic of tc.Progress stops with an error matching ErrCallback.
func (m *RealNVP) Train(ctx context.Context, x []float64, tc TrainConfig) (History, error) {
	if err := m.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	n, tc, b, ms, err := m.p.trainGraph(x, m.dim, tc)
	if err != nil {
		return History{}, err
	}
	B, d := tc.BatchSize, m.dim
	xn, xs := b.input("x", B, d)
	loss := m.lossGraph(b, ms, xn, B)
	if b.Err() != nil {
		return History{}, b.Err()
	}
	feed := func(idx []int) error {
		for j, i := range idx {
			copy(xs[j*d:(j+1)*d], x[i*d:(i+1)*d])
		}
		return nil
	}
	return m.p.fitRead(ctx, b, ms, loss, nodes(ms), n, feed, tc)
}

// trainGraph opens a Train of a flow on p's networks: it checks the
// training data x (rows of dim values), fills in tc's defaults and builds
// the networks on a new graph. It returns the number of points, tc with
// defaults, the graph builder and the networks.
func (p *params) trainGraph(x []float64, dim int, tc TrainConfig) (int, TrainConfig, *gb, []*gnet, error) {
	n, err := checkData("training data", x, dim)
	if err != nil {
		return 0, tc, nil, nil, err
	}
	if tc, err = tc.withDefaults(n); err != nil {
		return 0, tc, nil, nil, err
	}
	b := newBuilder()
	ms, err := p.build(b.Graph())
	if err != nil {
		return 0, tc, nil, nil, err
	}
	return n, tc, b, ms, nil
}

// fitRead closes a Train: it minimises loss over ps (see fit) and reads the
// networks ms back into p whatever the outcome (the weights of the last
// completed step); an error of fit comes first.
func (p *params) fitRead(ctx context.Context, b *gb, ms []*gnet, loss *G.Node, ps []*G.Node, n int, feed func([]int) error, tc TrainConfig) (History, error) {
	hist, err := fit(ctx, b.Graph(), loss, ps, n, feed, tc)
	if rerr := p.read(ms); rerr != nil && err == nil {
		err = rerr
	}
	return hist, err
}

// lossGraph builds the mean negative log-likelihood of the batch x (B, d).
// The halves are selected and put back with constant 0/1 matrices (a
// product with (d, d/2) and (d/2, d) matrices), which keeps every node a
// plain matrix product and avoids column slices.
func (m *RealNVP) lossGraph(b *gb, ms []*gnet, x *G.Node, B int) *G.Node {
	d, h := m.dim, m.dim/2
	var logdet *G.Node
	for l := 0; l < m.cfg.Layers && b.Err() == nil; l++ {
		keep, move := m.halves(l)
		pick := func(off int) (in, out *G.Node) {
			sel := make([]float64, d*h)
			put := make([]float64, h*d)
			for i := 0; i < h; i++ {
				sel[(off+i)*h+i] = 1
				put[i*d+off+i] = 1
			}
			return b.Constant(sel, d, h), b.Constant(put, h, d)
		}
		selK, _ := pick(keep)
		selM, putM := pick(move)
		xk := b.Mul(x, selK)
		s := b.Tanh(b.do("scale network", func() (*G.Node, error) { return ms[2*l].Forward(xk) }))
		t := b.do("shift network", func() (*G.Node, error) { return ms[2*l+1].Forward(xk) })
		xm := b.Mul(x, selM)
		ym := b.Add(b.HadamardProd(xm, b.Exp(s)), t)
		// x ← x + (ym − xm) placed back in the moved columns.
		x = b.Add(x, b.Mul(b.Sub(ym, xm), putM))
		ls := b.Sum(s)
		if logdet == nil {
			logdet = ls
		} else {
			logdet = b.Add(logdet, ls)
		}
	}
	// B·loss = ½Σz² − Σ log det + B·(d/2)·log 2π.
	tot := b.Sub(b.Scale(0.5, b.Sum(b.Square(x))), logdet)
	return b.Add(b.Scale(1/float64(B), tot), b.Scalar(float64(d)/2*log2Pi))
}
