package ad

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// The fused ops. Every derivative this package builds is a short chain of
// these custom gorgonia Ops on "stacked" matrices: a (S·B, n) matrix holds S
// blocks of B rows, block 0 the values and blocks 1… the tangents (first
// order, then second order) of one layer. One GEMM per layer then serves the
// value and all its tangents, an activation op computes σ and the jet in one
// pass, output buffers are reused from run to run, and the graph stays a few
// nodes per layer. Each op that can sit on a training path has a SymDiff
// built from the others; the backward-only ops are not differentiable.

type opKind uint8

const (
	kStackIn    opKind = iota // x (B,in) [, v (B,in)] → (S·B,in): x; basis rows e_d or v; zeros
	kLin                      // X (R,n), W (n,m) [, b (1,m)] → X·W (+ b on the first B rows)
	kLinT                     // G (R,m), W (n,m) → G·Wᵀ (R,n)
	kMatTN                    // A (R,n), C (R,m) → Aᵀ·C (n,m)
	kColSum                   // D (R,m) → (1,m), column sums of the first B rows
	kAct                      // Z (S·B,n) → A: σ on block 0 and the jet on the tangent blocks
	kActBack                  // Z, A, dA → dZ for kAct
	kRevAct                   // Z, A, G → G_z: the reverse pass through σ and its tangents
	kRevBackZ                 // Z, A, G, dG_z → dZ for kRevAct
	kRevBackG                 // Z, A, G, dG_z → dG for kRevAct
	kSeed                     // W (n,out) [, u (B,out)] → (S·B,n): block 0 = u·Wᵀ (u = 1), rest 0
	kSeedBackW                // dS (S·B,n) [, u] → dW (n,out)
	kSeedBackU                // dS (S·B,n), W → du (B,out)
	kBlock                    // Y (S·B,m) → block k (B,m)
	kUnblock                  // d (B,m) → (S·B,m) with d in block k
	kGather                   // Y (S·B,m) → (B,nr,nc): out[b,r,c] = Y[blk[rc]·B+b, col[rc]]
	kScatter                  // d (B,nr,nc) → (S·B,m), the adjoint of kGather
	kBlockSum                 // Y (S·B,m) → (B,m): the sum of the listed blocks
	kUnblockSum               // d (B,m) → (S·B,m) with d in each listed block
	numKinds
)

var kindNames = [numKinds]string{"StackIn", "Lin", "LinT", "MatTN", "ColSum", "Act", "ActBack",
	"RevAct", "RevBackZ", "RevBackG", "Seed", "SeedBackW", "SeedBackU", "Block", "Unblock",
	"Gather", "Scatter", "BlockSum", "UnblockSum"}

// fop is one fused op. Which fields matter depends on kind; WriteHash
// writes all of them in full, so two ops are merged by the graph only when
// every parameter agrees.
type fop struct {
	kind  opKind
	arity int
	act   Activation
	b     int   // rows per block (kLin: rows that get the bias)
	s     int   // number of blocks
	nf    int   // kAct: first-order tangent blocks
	k     int   // kBlock/kUnblock: block; kSeedBackW: out; kScatter…: columns m
	ints  []int // kAct: pair of each second-order block; kStackIn: directions; kBlockSum: blocks
	blk   []int // kGather/kScatter: block of each output entry
	col   []int // kGather/kScatter: column of each output entry
	nr    int   // kGather/kScatter: rows of each output matrix
	nc    int   // kGather/kScatter: columns of each output matrix
	cache *actCache
	out   *outBuf
	use   *gradUse // ops built by SymDiff: skip runs nobody reads (unused.go)
}

// outBuf is the output buffer a node of a fused op owns: allocated on the
// first run and rewritten by every later one (gorgonia's tape machine frees
// its registers on Reset, so its own preallocation never survives a
// training step). As with gorgonia's memory reuse, a value read from a
// node is only valid until the next run.
type outBuf struct {
	id uint64
	t  *tensor.Dense
}

// actCache holds σ′, σ″, σ‴ at block 0 of a kAct op's input, computed when
// the op runs, for the backward ops of the same layer (which take the kAct
// output as an input, so they always run after it in a machine).
type actCache struct {
	id         uint64
	ord        int // highest derivative the layer's ops use (1..3); 0 means 3
	s1, s2, s3 []float64
	t          []float64 // σ itself when the caller does not want it (tanh, sigmoid)
	z          uintptr   // address of the data it was computed from
}

var cacheIDs atomic.Uint64

// newActCacheOrder returns a cache that computes σ′ up to the derivative of
// order ord only.
func newActCacheOrder(ord int) *actCache { return &actCache{id: cacheIDs.Add(1), ord: ord} }

var (
	_ G.SDOp            = fop{}
	_ G.UsePreallocDoer = fop{}
)

func (o fop) Arity() int { return o.arity }

func (o fop) outDims() int {
	if o.kind == kGather {
		return 3
	}
	return 2
}

func (o fop) Type() hm.Type {
	t := hm.TypeVariable('a')
	ts := make([]hm.Type, 0, o.arity+1)
	for i := 0; i < o.arity; i++ {
		d := 2
		if o.kind == kScatter {
			d = 3
		}
		ts = append(ts, G.TensorType{Dims: d, Of: t})
	}
	ts = append(ts, G.TensorType{Dims: o.outDims(), Of: t})
	return hm.NewFnType(ts...)
}

func (o fop) ReturnsPtr() bool     { return false }
func (o fop) CallsExtern() bool    { return false }
func (o fop) OverwritesInput() int { return -1 }

func (o fop) String() string {
	if int(o.kind) < len(kindNames) {
		return "ad." + kindNames[o.kind]
	}
	return fmt.Sprintf("ad.op%d", o.kind)
}

func (o fop) WriteHash(h hash.Hash) {
	var cid, oid uint64
	if o.cache != nil {
		cid = o.cache.id
	}
	if o.out != nil {
		oid = o.out.id
	}
	fmt.Fprintf(h, "ad.fop{kind=%d arity=%d act=%d b=%d s=%d nf=%d k=%d ints=%v blk=%v col=%v nr=%d nc=%d cache=%d out=%d grad=%t}",
		o.kind, o.arity, o.act, o.b, o.s, o.nf, o.k, o.ints, o.blk, o.col, o.nr, o.nc, cid, oid, o.use != nil)
}

func (o fop) Hashcode() uint32 {
	h := fnv.New32a()
	o.WriteHash(h)
	return h.Sum32()
}

func shapeOf(d G.DimSizer) (tensor.Shape, error) {
	switch s := d.(type) {
	case tensor.Shape:
		return s, nil
	}
	n := 0
	var out tensor.Shape
	for {
		v, err := d.DimSize(n)
		if err != nil {
			break
		}
		out = append(out, v)
		n++
		if n > 8 {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no shape")
	}
	return out, nil
}

// InferShape computes the output shape and checks the inputs' shapes.
func (o fop) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != o.arity {
		return nil, fmt.Errorf("ad: %v: %d inputs, want %d", o, len(ds), o.arity)
	}
	sh := make([]tensor.Shape, len(ds))
	for i, d := range ds {
		s, err := shapeOf(d)
		if err != nil {
			return nil, fmt.Errorf("ad: %v: input %d: %w", o, i, err)
		}
		sh[i] = s
	}
	bad := func() (tensor.Shape, error) {
		return nil, fmt.Errorf("ad: %v: input shapes %v do not fit", o, sh)
	}
	want := 2 // every input is a matrix, but the (B, nr, nc) input of kScatter
	if o.kind == kScatter {
		want = 3
	}
	for _, s := range sh {
		if len(s) != want {
			return bad()
		}
	}
	switch o.kind {
	case kStackIn:
		if sh[0][0] != o.b || (o.arity == 2 && !sh[1].Eq(sh[0])) {
			return bad()
		}
		return tensor.Shape{o.s * o.b, sh[0][1]}, nil
	case kLin:
		if sh[0][1] != sh[1][0] || (o.arity == 3 && (sh[2][0] != 1 || sh[2][1] != sh[1][1])) || o.b > sh[0][0] {
			return bad()
		}
		return tensor.Shape{sh[0][0], sh[1][1]}, nil
	case kLinT:
		if sh[0][1] != sh[1][1] {
			return bad()
		}
		return tensor.Shape{sh[0][0], sh[1][0]}, nil
	case kMatTN:
		if sh[0][0] != sh[1][0] {
			return bad()
		}
		return tensor.Shape{sh[0][1], sh[1][1]}, nil
	case kColSum:
		if o.b > sh[0][0] {
			return bad()
		}
		return tensor.Shape{1, sh[0][1]}, nil
	case kAct, kActBack, kRevAct, kRevBackZ, kRevBackG:
		for _, s := range sh[1:] {
			if !s.Eq(sh[0]) {
				return bad()
			}
		}
		if sh[0][0] != o.s*o.b {
			return bad()
		}
		return sh[0].Clone(), nil
	case kSeed:
		if o.arity == 2 && (sh[1][0] != o.b || sh[1][1] != sh[0][1]) {
			return bad()
		}
		if o.arity == 1 && sh[0][1] != 1 {
			return bad()
		}
		return tensor.Shape{o.s * o.b, sh[0][0]}, nil
	case kSeedBackW:
		if sh[0][0] != o.s*o.b || (o.arity == 2 && (sh[1][0] != o.b || sh[1][1] != o.k)) {
			return bad()
		}
		return tensor.Shape{sh[0][1], o.k}, nil
	case kSeedBackU:
		if sh[0][0] != o.s*o.b || sh[0][1] != sh[1][0] {
			return bad()
		}
		return tensor.Shape{o.b, sh[1][1]}, nil
	case kBlock, kBlockSum:
		if sh[0][0] != o.s*o.b {
			return bad()
		}
		return tensor.Shape{o.b, sh[0][1]}, nil
	case kUnblock, kUnblockSum:
		if sh[0][0] != o.b {
			return bad()
		}
		return tensor.Shape{o.s * o.b, sh[0][1]}, nil
	case kGather:
		if sh[0][0] != o.s*o.b || sh[0][1] != o.k {
			return bad()
		}
		return tensor.Shape{o.b, o.nr, o.nc}, nil
	case kScatter:
		if sh[0][0] != o.b || sh[0][1] != o.nr || sh[0][2] != o.nc {
			return bad()
		}
		return tensor.Shape{o.s * o.b, o.k}, nil
	}
	return bad()
}

// DiffWRT: the ops that sit on training paths are differentiable in their
// data inputs; the backward-only ops are not (this package never nests Grad).
func (o fop) DiffWRT(n int) []bool {
	d := make([]bool, n)
	switch o.kind {
	case kStackIn, kLin, kLinT, kAct, kSeed, kBlock, kGather, kBlockSum:
		for i := range d {
			d[i] = true
		}
	case kRevAct:
		d[0], d[2] = true, true // A (input 1) only orders the op after kAct
	}
	return d
}

// apply adds op o on inputs in to the graph, giving the node its own
// output buffer.
func apply(o fop, in ...*G.Node) (*G.Node, error) {
	o.arity = len(in)
	o.out = &outBuf{id: cacheIDs.Add(1)}
	n, err := G.ApplyOp(o, in...)
	if err != nil {
		return nil, fmt.Errorf("ad: %v: %w", o, err)
	}
	return n, nil
}

// SymDiff writes each differentiable op's gradient with other fused ops.
func (o fop) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	res := make(G.Nodes, len(in))
	var err error
	set := func(i int) func(*G.Node, error) {
		return func(n *G.Node, e error) {
			if err == nil {
				res[i], err = n, e
			}
		}
	}
	switch o.kind {
	case kStackIn:
		set(0)(applyGrad(fop{kind: kBlock, b: o.b, s: o.s, k: 0}, grad))
		if len(in) == 2 {
			vb := 1
			for t, d := range o.ints {
				if d < 0 {
					vb = 1 + t
				}
			}
			set(1)(applyGrad(fop{kind: kBlock, b: o.b, s: o.s, k: vb}, grad))
		}
	case kLin:
		set(0)(applyGrad(fop{kind: kLinT}, grad, in[1]))
		set(1)(applyGrad(fop{kind: kMatTN}, in[0], grad))
		if len(in) == 3 {
			set(2)(applyGrad(fop{kind: kColSum, b: o.b}, grad))
		}
	case kLinT:
		set(0)(applyGrad(fop{kind: kLin}, grad, in[1]))
		set(1)(applyGrad(fop{kind: kMatTN}, grad, in[0]))
	case kAct:
		bo := o
		bo.kind = kActBack
		set(0)(applyGrad(bo, in[0], out, grad))
	case kRevAct:
		bz, bg := o, o
		bz.kind, bg.kind = kRevBackZ, kRevBackG
		set(0)(applyGrad(bz, in[0], in[1], in[2], grad))
		set(2)(applyGrad(bg, in[0], in[1], in[2], grad))
	case kSeed:
		if len(in) == 2 {
			set(0)(applyGrad(fop{kind: kSeedBackW, b: o.b, s: o.s, k: in[0].Shape()[1]}, grad, in[1]))
			set(1)(applyGrad(fop{kind: kSeedBackU, b: o.b, s: o.s}, grad, in[0]))
		} else {
			set(0)(applyGrad(fop{kind: kSeedBackW, b: o.b, s: o.s, k: 1}, grad))
		}
	case kBlock:
		set(0)(applyGrad(fop{kind: kUnblock, b: o.b, s: o.s, k: o.k}, grad))
	case kGather:
		so := o
		so.kind = kScatter
		set(0)(applyGrad(so, grad))
	case kBlockSum:
		so := o
		so.kind = kUnblockSum
		set(0)(applyGrad(so, grad))
	default:
		return nil, fmt.Errorf("ad: %v is a backward op and has no derivative (nested derivatives are not supported)", o)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (o fop) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(nil, in...) }

// UsePreallocDo computes the op into prealloc when it fits (same size, not
// sharing memory with an input), allocating otherwise.
func (o fop) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != o.arity {
		return nil, fmt.Errorf("ad: %v: %d inputs, want %d", o, len(in), o.arity)
	}
	shapes := make([]G.DimSizer, len(in))
	data := make([][]float64, len(in))
	for i, v := range in {
		shapes[i] = v.Shape()
		d, err := valueData(v)
		if err != nil {
			return nil, fmt.Errorf("ad: %v: input %d: %w", o, i, err)
		}
		data[i] = d
	}
	s, err := o.InferShape(shapes...)
	if err != nil {
		return nil, err
	}
	if o.out != nil && !o.use.needed() {
		// A gradient nobody reads: its buffer, zeros, stands in.
		if o.out.t == nil || !o.out.t.Shape().Eq(s) {
			o.out.t = tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(tensor.Float64))
		}
		return o.out.t, nil
	}
	var t *tensor.Dense
	var y []float64
	if o.out != nil {
		t, y = outputBuffer(o.out.t, s, data...)
		o.out.t = t
	} else {
		t, y = outputBuffer(prealloc, s, data...)
	}
	o.compute(y, data, in)
	return t, nil
}

// valueData returns the contiguous float64 data of v, materialising views.
func valueData(v G.Value) ([]float64, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("a %T, want *tensor.Dense", v)
	}
	if t.RequiresIterator() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("cannot materialise a view")
		}
		t = m
	}
	d, ok := t.Data().([]float64)
	if !ok {
		return nil, fmt.Errorf("holds %T, want []float64", t.Data())
	}
	if len(d) != t.Shape().TotalSize() {
		return nil, fmt.Errorf("%d values for shape %v", len(d), t.Shape())
	}
	return d, nil
}

// outputBuffer returns a tensor of shape s to write into: prealloc when it is
// a contiguous float64 tensor of that size not sharing memory with an input.
func outputBuffer(prealloc G.Value, s tensor.Shape, in ...[]float64) (*tensor.Dense, []float64) {
	if t, ok := prealloc.(*tensor.Dense); ok && t != nil && t.Dtype() == tensor.Float64 && !t.RequiresIterator() {
		if d, ok := t.Data().([]float64); ok && len(d) == s.TotalSize() && !opbuf.Overlaps(d, in...) {
			if !t.Shape().Eq(s) {
				if err := t.Reshape(s...); err != nil {
					goto fresh
				}
			}
			return t, d
		}
	}
fresh:
	t := tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(tensor.Float64))
	return t, t.Data().([]float64)
}
