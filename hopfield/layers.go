package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/attention"
	_ "github.com/physbias/physbias/internal/blas" // BLAS choice for gorgonia
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LayerConfig configures the modern Hopfield layers. The zero value means
// the defaults in the field comments.
type LayerConfig struct {
	// Name prefixes the parameter names (they must be unique in a graph:
	// two layers of one kind in a graph need different names). Zero
	// means "hopfield", "hopfield_pooling" or "hopfield_layer".
	Name string
	// DimK is the dimension of the space where state and stored patterns
	// are associated (the keys); zero means 16.
	DimK int
	// DimV is the dimension of the retrieved patterns (the layer's
	// output); zero means DimK.
	DimV int
	// Beta is the inverse temperature β of the softmax; zero means
	// 1/√DimK, as in Ramsauer et al. (2020) and in transformer attention.
	Beta float64
	// Seed draws the initial parameters (Glorot uniform).
	Seed uint64
	// Normalize layer-normalises the state and stored patterns given to
	// the layer (zero mean and unit variance along the pattern dimension,
	// no learned scale or shift) before their projections, as the layers
	// of Ramsauer et al. do by default. It makes dot-product association
	// insensitive to pattern norms.
	Normalize bool
}

func (c LayerConfig) withDefaults(kind string) (LayerConfig, error) {
	if c.Name == "" {
		c.Name = kind
	}
	if c.DimK == 0 {
		c.DimK = 16
	}
	if c.DimV == 0 {
		c.DimV = c.DimK
	}
	if c.DimK < 0 || c.DimV < 0 {
		return c, errorf(ErrInput, "%s: DimK %d and DimV %d must be positive", c.Name, c.DimK, c.DimV)
	}
	if c.Beta == 0 {
		c.Beta = 1 / math.Sqrt(float64(c.DimK))
	}
	if !(c.Beta > 0) || math.IsInf(c.Beta, 0) {
		return c, errorf(ErrInput, "%s: β must be positive and finite, got %v", c.Name, c.Beta)
	}
	return c, nil
}

// param makes a trainable rows×cols float64 matrix named name, Glorot
// uniform from stream k of seed. It fails when the graph already holds a
// node of that name.
func param(g *G.ExprGraph, name string, rows, cols int, seed, k uint64) (*G.Node, error) {
	if rows <= 0 || cols <= 0 || rows > maxValues/cols {
		return nil, errorf(ErrInput, "parameter %s needs positive dimensions and at most 2^30 values, got %d×%d", name, rows, cols)
	}
	if len(g.ByName(name)) > 0 {
		return nil, errorf(ErrInput, "the graph already has a node named %q; give the layer another LayerConfig.Name", name)
	}
	r := rng.Stream(seed, k)
	a := math.Sqrt(6 / float64(rows+cols))
	data := make([]float64, rows*cols)
	for i := range data {
		data[i] = a * (2*r.Float64() - 1)
	}
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewMatrix(g, tensor.Float64, G.WithShape(rows, cols), G.WithName(name), G.WithValue(t)), nil
}

// normEps is added to the variance in layerNorm.
const normEps = 1e-5

// layerNorm returns (x − mean)/√(var + ε) along the last axis of x.
// (Built from Sqrt and a broadcast division: gorgonia v0.9.18's
// InverseSqrt has a wrong gradient.)
func layerNorm(b *build.B, x *G.Node) *G.Node {
	if !b.OK() || x == nil {
		return b.Failf(fail.ErrInput, "layer norm of a nil node")
	}
	last := byte(len(x.Shape()) - 1)
	xc := b.BroadcastSub(x, b.Mean(x, int(last)), nil, []byte{last})
	sd := b.Sqrt(b.Shift(b.Mean(b.Square(xc), int(last)), normEps))
	return b.BroadcastHadamardDiv(xc, sd, nil, []byte{last})
}

// maybeNorm layer-normalises x when the layer asks for it.
func maybeNorm(b *build.B, x *G.Node, norm bool) *G.Node {
	if !norm {
		return x
	}
	return layerNorm(b, x)
}

// project maps x of shape (B, N, d) through w (d×k) to (B, N, k).
func project(b *build.B, x, w *G.Node) *G.Node {
	if !b.OK() {
		return nil
	}
	s := x.Shape()
	k := w.Shape()[1]
	return b.Reshape(b.Mul(b.Reshape(x, s[0]*s[1], s[2]), w), s[0], s[1], k)
}

// check3 checks that x is a (B, N, d) tensor with d = dim in graph g.
func check3(what string, x *G.Node, dim int, g *G.ExprGraph) error {
	if x == nil {
		return errorf(ErrInput, "%s is nil", what)
	}
	if x.Graph() != g {
		return errorf(ErrInput, "%s is in another graph than the layer's parameters", what)
	}
	s := x.Shape()
	if len(s) != 3 || s[2] != dim || s[0] <= 0 || s[1] <= 0 {
		return errorf(ErrInput, "%s has shape %v, want (batch, patterns, %d)", what, s, dim)
	}
	if x.Dtype() != tensor.Float64 {
		return errorf(ErrInput, "%s is %v, want float64", what, x.Dtype())
	}
	return nil
}

// Associate returns softmax(β Q Kᵀ) V for every batch item: q of shape
// (B, S, k) holds the state (query) patterns, k of shape (B, N, k) the
// stored patterns, v of shape (B, N, dv) their values (all sizes
// positive); the result has shape (B, S, dv). It is one update of the modern Hopfield network
// (Ramsauer et al. 2020, eq. 10), with the softmax over the N stored
// patterns, as one fused op with a hand-written backward pass:
// differentiable once (a second derivative through it is an error).
func Associate(q, k, v *G.Node, beta float64) (*G.Node, error) {
	if q == nil || k == nil || v == nil {
		return nil, errorf(ErrInput, "Associate of a nil node")
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, errorf(ErrInput, "β must be positive and finite, got %v", beta)
	}
	if k.Graph() != q.Graph() || v.Graph() != q.Graph() {
		return nil, errorf(ErrInput, "Associate of nodes from different graphs")
	}
	qs, ks, vs := q.Shape(), k.Shape(), v.Shape()
	if len(qs) != 3 || len(ks) != 3 || len(vs) != 3 || qs[0] != ks[0] || ks[0] != vs[0] || qs[2] != ks[2] || ks[1] != vs[1] ||
		qs[0] <= 0 || qs[1] <= 0 || qs[2] <= 0 || ks[1] <= 0 || vs[2] <= 0 {
		return nil, errorf(ErrInput, "Associate shapes q %v, k %v, v %v; want (B,S,k), (B,N,k), (B,N,dv)", qs, ks, vs)
	}
	// One fused op (internal/attention.Attend) rather than BatchedMatMul,
	// SoftMax and BatchedMatMul: gorgonia's batched products slice and
	// allocate per batch item. Differentiable once, as gorgonia's SoftMax
	// also was.
	b := build.New(q.Graph(), "hopfield")
	z := b.Do("Associate", func() (*G.Node, error) { return attention.Attend(q, k, v, beta) })
	return z, b.Err()
}

// Hopfield is the layer "Hopfield" of Ramsauer et al. (2020): it
// associates given state patterns R (B, S, dimR) with given stored
// patterns Y (B, N, dimY) through learned projections,
//
//	Z = softmax(β R W_Q (Y W_K)ᵀ) Y W_V   (B, S, DimV).
//
// With S = N and R = Y it is self-attention; with R the queries of a
// decoder it is cross-attention.
type Hopfield struct {
	WQ, WK, WV *G.Node
	cfg        LayerConfig
	dimR, dimY int
}

// NewHopfield adds the layer's parameters W_Q (dimR×DimK), W_K
// (dimY×DimK) and W_V (dimY×DimV) to g.
func NewHopfield(g *G.ExprGraph, dimR, dimY int, cfg LayerConfig) (*Hopfield, error) {
	cfg, err := cfg.withDefaults("hopfield")
	if err != nil {
		return nil, err
	}
	if g == nil || dimR <= 0 || dimY <= 0 {
		return nil, errorf(ErrInput, "NewHopfield needs a graph and dimR, dimY > 0, got %d, %d", dimR, dimY)
	}
	h := &Hopfield{cfg: cfg, dimR: dimR, dimY: dimY}
	if h.WQ, err = param(g, cfg.Name+"_wq", dimR, cfg.DimK, cfg.Seed, 1); err != nil {
		return nil, err
	}
	if h.WK, err = param(g, cfg.Name+"_wk", dimY, cfg.DimK, cfg.Seed, 2); err != nil {
		return nil, err
	}
	if h.WV, err = param(g, cfg.Name+"_wv", dimY, cfg.DimV, cfg.Seed, 3); err != nil {
		return nil, err
	}
	return h, nil
}

// Params returns W_Q, W_K, W_V (nil for a zero layer).
func (h *Hopfield) Params() []*G.Node {
	if h == nil || h.WQ == nil {
		return nil
	}
	return []*G.Node{h.WQ, h.WK, h.WV}
}

// Forward returns Z (B, S, DimV) for state patterns r (B, S, dimR) and
// stored patterns y (B, N, dimY).
func (h *Hopfield) Forward(r, y *G.Node) (*G.Node, error) {
	if h == nil || h.WQ == nil {
		return nil, errZero("Hopfield layer", "NewHopfield")
	}
	if err := check3("state patterns R", r, h.dimR, h.WQ.Graph()); err != nil {
		return nil, err
	}
	if err := check3("stored patterns Y", y, h.dimY, h.WQ.Graph()); err != nil {
		return nil, err
	}
	if r.Shape()[0] != y.Shape()[0] {
		return nil, errorf(ErrInput, "R has batch %d, Y has batch %d", r.Shape()[0], y.Shape()[0])
	}
	b := build.New(r.Graph(), "hopfield")
	r = maybeNorm(b, r, h.cfg.Normalize)
	y = maybeNorm(b, y, h.cfg.Normalize)
	q := project(b, r, h.WQ)
	k := project(b, y, h.WK)
	v := project(b, y, h.WV)
	if err := b.Err(); err != nil {
		return nil, wrap(err, "%s", h.cfg.Name)
	}
	return Associate(q, k, v, h.cfg.Beta)
}

// HopfieldPooling is the layer "HopfieldPooling" of Ramsauer et al.
// (2020): S learned state (query) patterns Q (S×DimK) retrieve from the
// stored patterns Y (B, N, dimY) of each input set,
//
//	Z = softmax(β Q (Y W_K)ᵀ) Y W_V   (B, S, DimV),
//
// a permutation-invariant pooling of the set (the attention pooling of
// multiple-instance learning, e.g. immune repertoire classification).
type HopfieldPooling struct {
	Q, WK, WV *G.Node
	cfg       LayerConfig
	dimY, s   int
}

// NewHopfieldPooling adds the parameters Q (queries×DimK), W_K
// (dimY×DimK) and W_V (dimY×DimV) to g.
func NewHopfieldPooling(g *G.ExprGraph, dimY, queries int, cfg LayerConfig) (*HopfieldPooling, error) {
	cfg, err := cfg.withDefaults("hopfield_pooling")
	if err != nil {
		return nil, err
	}
	if g == nil || dimY <= 0 || queries <= 0 {
		return nil, errorf(ErrInput, "NewHopfieldPooling needs a graph and dimY, queries > 0, got %d, %d", dimY, queries)
	}
	p := &HopfieldPooling{cfg: cfg, dimY: dimY, s: queries}
	if p.Q, err = param(g, cfg.Name+"_q", queries, cfg.DimK, cfg.Seed, 1); err != nil {
		return nil, err
	}
	if p.WK, err = param(g, cfg.Name+"_wk", dimY, cfg.DimK, cfg.Seed, 2); err != nil {
		return nil, err
	}
	if p.WV, err = param(g, cfg.Name+"_wv", dimY, cfg.DimV, cfg.Seed, 3); err != nil {
		return nil, err
	}
	return p, nil
}

// Params returns Q, W_K, W_V (nil for a zero layer).
func (p *HopfieldPooling) Params() []*G.Node {
	if p == nil || p.Q == nil {
		return nil
	}
	return []*G.Node{p.Q, p.WK, p.WV}
}

// Forward pools the sets y (B, N, dimY) into (B, S, DimV). The update is
// one fused op with a hand-written backward pass: its output is
// differentiable once (gradients for training), and a second derivative
// through it (Grad of a gradient) is an error.
func (p *HopfieldPooling) Forward(y *G.Node) (*G.Node, error) {
	if p == nil || p.Q == nil {
		return nil, errZero("HopfieldPooling", "NewHopfieldPooling")
	}
	if err := check3("stored patterns Y", y, p.dimY, p.Q.Graph()); err != nil {
		return nil, err
	}
	o := build.New(y.Graph(), "hopfield")
	yn := maybeNorm(o, y, p.cfg.Normalize)
	// One fused op (internal/attention): gorgonia's graph of the same
	// update (projections, SoftMax, a broadcast product or BatchedMatMul)
	// had some 30 nodes a step, most of them allocating, and was most of a
	// training step's time. It is differentiable once.
	z := o.Do("pooling", func() (*G.Node, error) { return attention.Pool(yn, p.Q, p.WK, p.WV, p.cfg.Beta) }) // (B, S, dv)
	return z, wrap(o.Err(), "%s", p.cfg.Name)
}

// HopfieldLayer is the layer "HopfieldLayer" of Ramsauer et al. (2020):
// the stored patterns are learned weights K (P×DimK) with values V
// (P×DimV), and the input state patterns R (M, dimR) retrieve from them,
//
//	Z = softmax(β R W_Q Kᵀ) V   (M, DimV),
//
// a layer that can replace a fully connected layer, learn prototypes or
// act as a lookup memory.
type HopfieldLayer struct {
	WQ, K, V *G.Node
	cfg      LayerConfig
	dimR     int
}

// NewHopfieldLayer adds W_Q (dimR×DimK), the stored patterns K
// (patterns×DimK) and their values V (patterns×DimV) to g.
func NewHopfieldLayer(g *G.ExprGraph, dimR, patterns int, cfg LayerConfig) (*HopfieldLayer, error) {
	cfg, err := cfg.withDefaults("hopfield_layer")
	if err != nil {
		return nil, err
	}
	if g == nil || dimR <= 0 || patterns <= 0 {
		return nil, errorf(ErrInput, "NewHopfieldLayer needs a graph and dimR, patterns > 0, got %d, %d", dimR, patterns)
	}
	l := &HopfieldLayer{cfg: cfg, dimR: dimR}
	if l.WQ, err = param(g, cfg.Name+"_wq", dimR, cfg.DimK, cfg.Seed, 1); err != nil {
		return nil, err
	}
	if l.K, err = param(g, cfg.Name+"_k", patterns, cfg.DimK, cfg.Seed, 2); err != nil {
		return nil, err
	}
	if l.V, err = param(g, cfg.Name+"_v", patterns, cfg.DimV, cfg.Seed, 3); err != nil {
		return nil, err
	}
	return l, nil
}

// Params returns W_Q, K, V (nil for a zero layer).
func (l *HopfieldLayer) Params() []*G.Node {
	if l == nil || l.WQ == nil {
		return nil
	}
	return []*G.Node{l.WQ, l.K, l.V}
}

// Forward returns Z (M, DimV) for the state patterns r (M, dimR); r may
// also be (B, S, dimR), giving (B, S, DimV).
func (l *HopfieldLayer) Forward(r *G.Node) (*G.Node, error) {
	if l == nil || l.WQ == nil {
		return nil, errZero("HopfieldLayer", "NewHopfieldLayer")
	}
	if r == nil {
		return nil, errorf(ErrInput, "state patterns R is nil")
	}
	if r.Graph() != l.WQ.Graph() {
		return nil, errorf(ErrInput, "state patterns R are in another graph than the layer's parameters")
	}
	s := r.Shape()
	o := build.New(r.Graph(), "hopfield")
	var r2 *G.Node
	switch {
	case len(s) == 2 && s[1] == l.dimR && s[0] > 0:
		r2 = maybeNorm(o, r, l.cfg.Normalize)
	case len(s) == 3 && s[2] == l.dimR && s[0] > 0 && s[1] > 0:
		// Normalise before the reshape: gorgonia's tape machine let the
		// layer norm of a reshaped input node overwrite the input.
		r2 = o.Reshape(maybeNorm(o, r, l.cfg.Normalize), s[0]*s[1], l.dimR)
	default:
		return nil, errorf(ErrInput, "state patterns R have shape %v, want (M, %d) or (B, S, %d)", s, l.dimR, l.dimR)
	}
	if r.Dtype() != tensor.Float64 {
		return nil, errorf(ErrInput, "state patterns R are %v, want float64", r.Dtype())
	}
	// One fused op (internal/attention.Attend, one batch item of M
	// queries) for softmax(β R W_Q Kᵀ) V: differentiable once, as
	// gorgonia's SoftMax also was.
	m := r2.Shape()[0]
	q := o.Reshape(o.Mul(r2, l.WQ), 1, m, l.cfg.DimK)
	p := l.K.Shape()[0]
	k := o.Reshape(l.K, 1, p, l.cfg.DimK)
	v := o.Reshape(l.V, 1, p, l.cfg.DimV)
	z := o.Reshape(o.Do("attention", func() (*G.Node, error) { return attention.Attend(q, k, v, l.cfg.Beta) }), m, l.cfg.DimV)
	if len(s) == 3 {
		z = o.Reshape(z, s[0], s[1], l.cfg.DimV)
	}
	return z, wrap(o.Err(), "%s", l.cfg.Name)
}
