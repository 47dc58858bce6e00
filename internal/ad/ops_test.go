package ad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// Tests of each fused op on its own: values against direct definitions or
// finite differences, and gradients (SymDiff through the backward ops)
// against finite differences of a random weighted sum of the output.

func leaf(g *G.ExprGraph, name string, r, c int, seed uint64, scale float64) *G.Node {
	return G.NewMatrix(g, G.Float64, G.WithShape(r, c), G.WithName(name),
		G.WithValue(matrixValue(r, c, randVec(seed, r*c, scale))))
}

// runNodes evaluates nodes of g and returns copies of their values.
func runNodes(t *testing.T, g *G.ExprGraph, ns ...*G.Node) [][]float64 {
	t.Helper()
	r := &graphRun{g: g}
	for _, n := range ns {
		r.read(n)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(ns))
	for k, v := range r.reads {
		switch d := (*v).Data().(type) {
		case []float64:
			out[k] = append([]float64(nil), d...)
		case float64:
			out[k] = []float64{d}
		}
	}
	return out
}

// checkOpGrads compares G.Grad of Σ R⊙y with 4th-order central differences
// in every entry of the leaves; it returns the relative error.
func checkOpGrads(t *testing.T, g *G.ExprGraph, y *G.Node, leaves []*G.Node) float64 {
	t.Helper()
	loss := sumWeighted(t, g, y, 77)
	grads, err := G.Grad(loss, leaves...)
	if err != nil {
		t.Fatal(err)
	}
	r := &graphRun{g: g}
	kl := r.read(loss)
	for _, gn := range grads {
		r.read(gn)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	eval := func() [][]float64 {
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		out := make([][]float64, len(r.reads))
		for k, v := range r.reads {
			switch d := (*v).Data().(type) {
			case []float64:
				out[k] = append([]float64(nil), d...)
			case float64:
				out[k] = []float64{d}
			}
		}
		return out
	}
	vals := eval()
	var got, want []float64
	for i, l := range leaves {
		got = append(got, vals[kl+1+i]...)
		d, err := nodeData(l)
		if err != nil {
			t.Fatal(err)
		}
		const h = 1e-4
		for j := range d {
			orig := d[j]
			at := func(s float64) float64 { d[j] = orig + s*h; return eval()[kl][0] }
			p2, p1, m1, m2 := at(2), at(1), at(-1), at(-2)
			d[j] = orig
			want = append(want, (-p2+8*p1-8*m1+m2)/(12*h))
		}
	}
	return relErr(got, want)
}

func mustApply(t *testing.T, o fop, in ...*G.Node) *G.Node {
	t.Helper()
	n, err := apply(o, in...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOpActJetValues: the jet blocks of kAct are the derivatives of
// a(τ) = σ(z + τż + ½τ²z̈) at τ = 0, checked by finite differences in τ.
// Tolerances: the value is the same σ(z) evaluated another way, rounding
// only (1e-15 on |σ| ≲ 3). fd1 with h = 1e-3 has truncation h⁴|a⁽⁵⁾|/30
// ≈ 3e-14·|a⁽⁵⁾| and rounding ≈ ε|a|/h ≈ 3e-13, so 1e-9 leaves three
// orders of magnitude; fd2 with h = 4e-3 has truncation h⁴|a⁽⁶⁾|/90 ≈
// 3e-12·|a⁽⁶⁾| and rounding ≈ (64/12)ε|a|/h² ≈ 1e-10, so 1e-7.
func TestOpActJetValues(t *testing.T) {
	const B, n = 3, 4
	for _, act := range append(allActs, square) {
		g := G.NewGraph()
		// blocks: value, two first-order tangents, second-order tangents
		// paired with tangents 1, 0, 1.
		pairs := []int{1, 0, 1}
		s := 1 + 2 + len(pairs)
		z := leaf(g, "z", s*B, n, 5, 1)
		a := mustApply(t, fop{kind: kAct, act: act, b: B, s: s, nf: 2, ints: pairs, cache: newActCache()}, z)
		got := runNodes(t, g, a)[0]
		zd, _ := nodeData(z)
		e := B * n
		for j, p := range pairs {
			for k := 0; k < e; k++ {
				z0, z1, z2 := zd[k], zd[(1+p)*e+k], zd[(3+j)*e+k]
				f := func(x []float64) []float64 {
					v, _, _, _ := act.eval(z0 + x[0]*z1 + 0.5*x[0]*x[0]*z2)
					return []float64{v}
				}
				d1 := fd1(f, []float64{0}, 0, 1e-3)[0]
				d2 := fd2(f, []float64{0}, 0, 4e-3)[0]
				v0, _, _, _ := act.eval(z0)
				if e0 := math.Abs(got[k] - v0); e0 > 1e-15 {
					t.Errorf("%v: value %g, want %g", act, got[k], v0)
				}
				if e1 := math.Abs(got[(1+p)*e+k] - d1); e1 > 1e-9 {
					t.Errorf("%v: first-order block %d entry %d: %g, FD %g", act, 1+p, k, got[(1+p)*e+k], d1)
				}
				if e2 := math.Abs(got[(3+j)*e+k] - d2); e2 > 1e-7 {
					t.Errorf("%v: second-order block %d entry %d: %g, FD %g", act, 3+j, k, got[(3+j)*e+k], d2)
				}
			}
		}
	}
}

// TestOpRevActValues: kRevAct's tangent blocks are d/dτ of
// (g + τġ)·σ′(z + τż) at τ = 0, by finite differences in τ.
func TestOpRevActValues(t *testing.T) {
	const B, n, s = 2, 3, 3
	for _, act := range append(allActs, square) {
		g := G.NewGraph()
		z := leaf(g, "z", s*B, n, 6, 1)
		gg := leaf(g, "g", s*B, n, 7, 1)
		ao := fop{kind: kAct, act: act, b: B, s: s, nf: s - 1, cache: newActCache()}
		a := mustApply(t, ao, z)
		ro := ao
		ro.kind, ro.nf = kRevAct, 0
		y := mustApply(t, ro, z, a, gg)
		got := runNodes(t, g, y)[0]
		zd, _ := nodeData(z)
		gd, _ := nodeData(gg)
		e := B * n
		for i := 1; i < s; i++ {
			for k := 0; k < e; k++ {
				f := func(x []float64) []float64 {
					_, s1, _, _ := act.eval(zd[k] + x[0]*zd[i*e+k])
					return []float64{(gd[k] + x[0]*gd[i*e+k]) * s1}
				}
				want := fd1(f, []float64{0}, 0, 1e-3)[0]
				if math.Abs(got[i*e+k]-want) > 1e-9 {
					t.Errorf("%v: block %d entry %d: %g, FD %g", act, i, k, got[i*e+k], want)
				}
			}
			_, s1, _, _ := act.eval(zd[0])
			if math.Abs(got[0]-gd[0]*s1) > 1e-15 {
				t.Errorf("%v: g_z = %g, want %g", act, got[0], gd[0]*s1)
			}
		}
	}
}

// TestOpLinearValues: kLin, kLinT, kMatTN, kSeed, kStackIn, kBlock,
// kGather and kBlockSum against direct loops.
func TestOpLinearValues(t *testing.T) {
	g := G.NewGraph()
	const B, S, n, m = 2, 3, 4, 5
	x := leaf(g, "x", S*B, n, 1, 1)
	w := leaf(g, "w", n, m, 2, 1)
	bias := leaf(g, "b", 1, m, 3, 1)
	gm := leaf(g, "g", S*B, m, 4, 1)
	u := leaf(g, "u", B, m, 5, 1)
	x0 := leaf(g, "x0", B, n, 6, 1)
	v := leaf(g, "v", B, n, 7, 1)
	w1 := leaf(g, "w1", n, 1, 8, 1)
	lin := mustApply(t, fop{kind: kLin, b: B}, x, w, bias)
	linT := mustApply(t, fop{kind: kLinT}, gm, w)
	mtn := mustApply(t, fop{kind: kMatTN}, x, gm)
	seedU := mustApply(t, fop{kind: kSeed, b: B, s: S}, w1, leaf(g, "u1", B, 1, 9, 1))
	seedW := mustApply(t, fop{kind: kSeed, b: B, s: S}, w, u)
	stack := mustApply(t, fop{kind: kStackIn, b: B, s: 4, ints: []int{2, -1}}, x0, v)
	blk := mustApply(t, fop{kind: kBlock, b: B, s: S, k: 2}, gm)
	gat := mustApply(t, fop{kind: kGather, b: B, s: S, k: m, nr: 2, nc: 2, blk: []int{0, 2, 2, 1}, col: []int{4, 0, 0, 3}}, gm)
	bsum := mustApply(t, fop{kind: kBlockSum, b: B, s: S, ints: []int{1, 2, 2}}, gm)
	vals := runNodes(t, g, lin, linT, mtn, stack, blk, gat, bsum, seedU, seedW)
	X, _ := nodeData(x)
	W, _ := nodeData(w)
	Bv, _ := nodeData(bias)
	Gm, _ := nodeData(gm)
	X0, _ := nodeData(x0)
	V, _ := nodeData(v)
	check := func(what string, got, want []float64) {
		t.Helper()
		if e := relErr(got, want); e > 1e-14 {
			t.Errorf("%s: rel err %.2g\n got %v\nwant %v", what, e, got, want)
		}
	}
	var want []float64
	for r := 0; r < S*B; r++ {
		for j := 0; j < m; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += X[r*n+k] * W[k*m+j]
			}
			if r < B {
				s += Bv[j]
			}
			want = append(want, s)
		}
	}
	check("Lin", vals[0], want)
	want = want[:0]
	for r := 0; r < S*B; r++ {
		for k := 0; k < n; k++ {
			s := 0.0
			for j := 0; j < m; j++ {
				s += Gm[r*m+j] * W[k*m+j]
			}
			want = append(want, s)
		}
	}
	check("LinT", vals[1], want)
	want = want[:0]
	for k := 0; k < n; k++ {
		for j := 0; j < m; j++ {
			s := 0.0
			for r := 0; r < S*B; r++ {
				s += X[r*n+k] * Gm[r*m+j]
			}
			want = append(want, s)
		}
	}
	check("MatTN", vals[2], want)
	want = want[:0]
	want = append(want, X0...)
	for r := 0; r < B; r++ { // basis e_2
		want = append(want, 0, 0, 1, 0)
	}
	want = append(want, V...)
	want = append(want, make([]float64, B*n)...)
	check("StackIn", vals[3], want)
	check("Block", vals[4], Gm[2*B*m:3*B*m])
	want = want[:0]
	for b := 0; b < B; b++ {
		want = append(want, Gm[(0*B+b)*m+4], Gm[(2*B+b)*m+0], Gm[(2*B+b)*m+0], Gm[(1*B+b)*m+3])
	}
	check("Gather", vals[5], want)
	want = want[:0]
	for i := 0; i < B*m; i++ {
		want = append(want, Gm[B*m+i]+2*Gm[2*B*m+i])
	}
	check("BlockSum", vals[6], want)
	W1, _ := nodeData(w1)
	U1, _ := nodeData(g.ByName("u1")[0])
	want = make([]float64, S*B*n)
	for b := 0; b < B; b++ {
		for j := 0; j < n; j++ {
			want[b*n+j] = U1[b] * W1[j]
		}
	}
	check("Seed(u=column)", vals[7], want)
	U, _ := nodeData(u)
	want = make([]float64, S*B*n)
	for b := 0; b < B; b++ {
		for j := 0; j < n; j++ {
			for o := 0; o < m; o++ {
				want[b*n+j] += U[b*m+o] * W[j*m+o]
			}
		}
	}
	check("Seed(u)", vals[8], want)
}

// TestOpGradients: every differentiable fused op, alone or with the op it
// must follow, against finite differences of Σ R⊙y in all its inputs.
func TestOpGradients(t *testing.T) {
	const B, S, n, m = 2, 3, 3, 4
	type build func(g *G.ExprGraph) (*G.Node, []*G.Node)
	cases := map[string]build{
		"Lin": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x, w, b := leaf(g, "x", S*B, n, 1, 1), leaf(g, "w", n, m, 2, 1), leaf(g, "b", 1, m, 3, 1)
			return mustApply(t, fop{kind: kLin, b: B}, x, w, b), []*G.Node{x, w, b}
		},
		"LinT": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x, w := leaf(g, "x", S*B, m, 1, 1), leaf(g, "w", n, m, 2, 1)
			return mustApply(t, fop{kind: kLinT}, x, w), []*G.Node{x, w}
		},
		"StackIn": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x, v := leaf(g, "x", B, n, 1, 1), leaf(g, "v", B, n, 2, 1)
			return mustApply(t, fop{kind: kStackIn, b: B, s: 5, ints: []int{1, -1, 0}}, x, v), []*G.Node{x, v}
		},
		"Seed": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			w := leaf(g, "w", n, 1, 1, 1)
			return mustApply(t, fop{kind: kSeed, b: B, s: S}, w), []*G.Node{w}
		},
		"Seed(u)": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			w, u := leaf(g, "w", n, m, 1, 1), leaf(g, "u", B, m, 2, 1)
			return mustApply(t, fop{kind: kSeed, b: B, s: S}, w, u), []*G.Node{w, u}
		},
		"Block": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x := leaf(g, "x", S*B, m, 1, 1)
			return mustApply(t, fop{kind: kBlock, b: B, s: S, k: 1}, x), []*G.Node{x}
		},
		"Gather": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x := leaf(g, "x", S*B, m, 1, 1)
			return mustApply(t, fop{kind: kGather, b: B, s: S, k: m, nr: 2, nc: 2, blk: []int{0, 2, 2, 1}, col: []int{3, 0, 0, 1}}, x), []*G.Node{x}
		},
		"BlockSum": func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			x := leaf(g, "x", S*B, m, 1, 1)
			return mustApply(t, fop{kind: kBlockSum, b: B, s: S, ints: []int{2, 0, 2}}, x), []*G.Node{x}
		},
	}
	for _, act := range append(allActs, square) {
		act := act
		cases["Act/"+act.String()] = func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			pairs := []int{1, 0}
			s := 1 + 2 + len(pairs)
			z := leaf(g, "z", s*B, n, 4, 1)
			return mustApply(t, fop{kind: kAct, act: act, b: B, s: s, nf: 2, ints: pairs, cache: newActCache()}, z), []*G.Node{z}
		}
		cases["RevAct/"+act.String()] = func(g *G.ExprGraph) (*G.Node, []*G.Node) {
			z, gg := leaf(g, "z", S*B, n, 5, 1), leaf(g, "g", S*B, n, 6, 1)
			ao := fop{kind: kAct, act: act, b: B, s: S, nf: S - 1, cache: newActCache()}
			a := mustApply(t, ao, z)
			ro := ao
			ro.kind, ro.nf = kRevAct, 0
			return mustApply(t, ro, z, a, gg), []*G.Node{z, gg}
		}
	}
	// Tolerance as for parameter gradients (paramTol): the 4th-order stencil
	// is accurate to ≈1e-11 here.
	worst := 0.0
	for name, b := range cases {
		g := G.NewGraph()
		y, leaves := b(g)
		e := checkOpGrads(t, g, y, leaves)
		if e > paramTol {
			t.Errorf("%s: gradient rel err %.2g > %g", name, e, paramTol)
		}
		worst = math.Max(worst, e)
	}
	t.Logf("worst op-gradient rel err %.2g over %d ops", worst, len(cases))
}

// TestBackwardOpsRefuseDerivative: differentiating through a backward op is
// an error, not a silently wrong number.
func TestBackwardOpsRefuseDerivative(t *testing.T) {
	g := G.NewGraph()
	x, w := leaf(g, "x", 4, 3, 1, 1), leaf(g, "w", 3, 2, 2, 1)
	y := mustApply(t, fop{kind: kMatTN}, x, leaf(g, "y", 4, 2, 3, 1))
	if _, err := (fop{kind: kMatTN}).SymDiff(G.Nodes{x, w}, y, y); err == nil {
		t.Fatal("SymDiff of a backward op gave no error")
	}
	for i, d := range (fop{kind: kMatTN}).DiffWRT(2) {
		if d {
			t.Errorf("backward op claims to be differentiable in input %d", i)
		}
	}
}

// TestOpHashes: ops differing in any parameter hash differently, and two
// nodes of the same op on the same input stay distinct (each owns its
// output buffer).
func TestOpHashes(t *testing.T) {
	base := fop{kind: kGather, arity: 1, b: 300, s: 3, k: 4, nr: 1, nc: 2, blk: []int{1, 2}, col: []int{0, 3}}
	variants := []fop{base}
	for _, f := range []func(o *fop){
		func(o *fop) { o.b = 300 + 256 },
		func(o *fop) { o.s = 4 },
		func(o *fop) { o.k = 260 },
		func(o *fop) { o.blk = []int{1, 258} },
		func(o *fop) { o.col = []int{256, 3} },
		func(o *fop) { o.kind = kScatter },
		func(o *fop) { o.act = Tanh },
		func(o *fop) { o.ints = []int{1} },
	} {
		o := base
		f(&o)
		variants = append(variants, o)
	}
	seen := map[uint32]int{}
	for i, v := range variants {
		h := v.Hashcode()
		if j, ok := seen[h]; ok {
			t.Errorf("variants %d and %d hash alike", i, j)
		}
		seen[h] = i
	}
	g := G.NewGraph()
	x := leaf(g, "x", 6, 2, 1, 1)
	a := mustApply(t, fop{kind: kBlock, b: 2, s: 3, k: 1}, x)
	b := mustApply(t, fop{kind: kBlock, b: 2, s: 3, k: 1}, x)
	if a == b {
		t.Error("two applications of one op on one input were merged")
	}
}
