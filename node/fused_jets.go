package node

import (
	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/blas"
)

// Kelly et al.'s regularizer of order K ≥ 3 on the fused path, by Taylor
// mode along the flow. The solution through (y, t) is y(t+s) = Σ_k y_k s^k
// with y_0 = y and, from y′ = f(y, t), y_{k+1} = f_k/(k+1), where f_k is the
// s^k coefficient of f(y(t+s), t+s); so dᴷy/dtᴷ = K!·y_K = (K−1)!·f_{K−1}.
// The coefficients come order by order, J = K − 1 passes through the
// network after its value: the input's are x_k = (y_k, [k = 1]), a layer's
//
//	z_{l,k} = a_{l−1,k}·W_l,  a_{l,k} = Σ_{j=1..k} c_{l,j} ⊙ [δ_l^j]_k,
//
// with c_{l,j} = σ⁽ʲ⁾(z_{l,0})/j! and δ_l = Σ_{m≥1} z_{l,m}s^m, whose powers'
// coefficients [δ^j]_k = Σ_i [δ^{j−1}]_i·δ_{k−i} build up order by order
// (Faà di Bruno's formula as a product of series). The reverse pass runs
// the orders from J down to 1, each from the output layer down (a record
// keeps the z_{l,k}; the c_{l,j}, the powers and the a_{l,k} are computed
// again): a
// coefficient's cotangent is complete when its order comes, because only
// higher orders and later layers use it. The cotangents of the c_{l,j}
// join z_{l,0}'s as Σ_j ḡ_{c_j}·(j+1)c_{j+1} (σ up to its K-th derivative);
// that of x_k goes to f_{k−1} through y_k = f_{k−1}/k. K = 2 is Kelly's
// term by one forward tangent (fused_terms.go), the same numbers; the
// tests check the jets at K = 2 against it, and at K = 3 and 4 against
// nested finite differences, a user's Network with the same weights
// differentiated by internal/grad, and finite differences of the gradient.

// jets holds what a fused evaluator needs for a Kelly term of order K ≥ 3
// (K = 0: none).
type jets struct {
	K, J  int // the order and the highest Taylor coefficient, J = K − 1
	jterm int // the term's index in the list
	// Scratch of an evaluation, per hidden layer l (B×sizes[l+1] each):
	// kc[l][j] = c_{l,j} for j = 1..K; pw[l][j][m] = [δ_l^j]_m for
	// 2 ≤ j ≤ m ≤ J; gpw[l][j][m] their cotangents (j = 1 for δ_m = z_{l,m}
	// itself); gc[l][j] the cotangents of the c_{l,j}, j = 1..J.
	kc, gc   [][][]float64
	pw, gpw  [][][][]float64
	aj       [][][]float64 // aj[l][k] = a_{l,k}, k = 1..J (records keep z_{l,k} only)
	gfj      [][]float64   // cotangents of f_k, k = 1..J (B×n)
	jx, jgx  []float64     // an input coefficient and its cotangent, B×sizes[0]
	jg0, jg1 []float64     // output layer's cotangent buffers, B×max width
}

// kellyOrder returns K when t is Kelly's term of order K ≥ 2 by Taylor
// mode (termKelly + K), else 0.
func kellyOrder(t term) int {
	if t > termKelly+1 && t <= termKelly+6 {
		return int(t - termKelly)
	}
	return 0
}

// newJets lays out the jets for act when ts holds a Kelly term of order K ≥ 2
// by Taylor mode (at most one).
func newJets(ts []term, act ad.Activation) jets {
	var j jets
	for i, t := range ts {
		if K := kellyOrder(t); K > 0 {
			j.K, j.J, j.jterm = K, K-1, i
		}
	}
	if j.K == 0 {
		return j
	}
	return j
}

// allocJets allocates the jets' scratch of f.
func (f *fused) allocJets(B, maxW int) {
	if f.K == 0 {
		return
	}
	L, J := len(f.sizes)-1, f.J
	f.kc = make([][][]float64, L-1)
	f.gc = make([][][]float64, L-1)
	f.pw = make([][][][]float64, L-1)
	f.gpw = make([][][][]float64, L-1)
	f.aj = make([][][]float64, L-1)
	for l := 0; l < L-1; l++ {
		w := B * f.sizes[l+1]
		f.aj[l] = make([][]float64, J+1)
		for k := 1; k <= J; k++ {
			f.aj[l][k] = make([]float64, w)
		}
		f.kc[l] = make([][]float64, f.K+1)
		for j := 1; j <= f.K; j++ {
			f.kc[l][j] = make([]float64, w)
		}
		f.gc[l] = make([][]float64, J+1)
		f.pw[l] = make([][][]float64, J+1)
		f.gpw[l] = make([][][]float64, J+1)
		for j := 1; j <= J; j++ {
			f.gc[l][j] = make([]float64, w)
			f.pw[l][j] = make([][]float64, J+1)
			f.gpw[l][j] = make([][]float64, J+1)
			for m := j; m <= J; m++ {
				if j >= 2 {
					f.pw[l][j][m] = make([]float64, w)
				}
				f.gpw[l][j][m] = make([]float64, w)
			}
		}
	}
	f.gfj = make([][]float64, J+1)
	for k := 1; k <= J; k++ {
		f.gfj[k] = make([]float64, B*f.n)
	}
	f.jx, f.jgx = make([]float64, B*f.sizes[0]), make([]float64, B*f.sizes[0])
	f.jg0, f.jg1 = make([]float64, B*maxW), make([]float64, B*maxW)
}

// coeffs sets f.kc[l][j] = c_{l,j} = σ⁽ʲ⁾(z_l)/j!, j = 1..upto, from a = σ(z_l)
// and d1 = σ′(z_l). For tanh and the sigmoid they are the Taylor
// coefficients e_j of σ, which its ODE gives one from the others: from
// σ′ = 1 − σ² (tanh) and σ′ = σ − σ² (the sigmoid),
//
//	(n+1)·e_{n+1} = α·e_n − Σ_{k=0..n} e_k·e_{n−k},  n ≥ 1  (α = 0 for tanh, 1 for the sigmoid),
//
// with e_0 = σ and e_1 = σ′; softplus′ is the sigmoid s = σ′, so softplus's
// are c_j = e_{j−1}/j with the sigmoid's e of s.
func (f *fused) coeffs(l int, a, d1 []float64, upto int) {
	kc := f.kc[l]
	n := len(a)
	switch f.act {
	case ad.Tanh, ad.Sigmoid, ad.Softplus:
		alpha, sh := 0.0, 0 // e_j is kc[j+sh] (e_0 = a unless shifted)
		e0 := a
		if f.act != ad.Tanh {
			alpha = 1
		}
		if f.act == ad.Softplus {
			sh = 1
			e0 = kc[1][:n]
			copy(e0, d1[:n])
			e1 := kc[2][:n]
			for i, v := range e0 {
				e1[i] = v - v*v
			}
		} else {
			copy(kc[1][:n], d1[:n])
		}
		e := func(j int) []float64 {
			if j+sh == 0 {
				return e0
			}
			return kc[j+sh][:n]
		}
		for m := 1; m+1+sh <= upto; m++ { // e_{m+1} from e_0..e_m
			out := e(m + 1)
			inv := 1 / float64(m+1)
			em := e(m)
			for i := range out {
				out[i] = alpha * em[i]
			}
			for k := 0; 2*k <= m; k++ {
				p, q := e(k), e(m-k)
				w := 2.0
				if 2*k == m {
					w = 1
				}
				for i := range out {
					out[i] -= w * p[i] * q[i]
				}
			}
			for i := range out {
				out[i] *= inv
			}
		}
		if sh == 1 {
			for j := 2; j <= upto; j++ {
				c := kc[j][:n]
				inv := 1 / float64(j)
				for i := range c {
					c[i] *= inv
				}
			}
		}
	case ad.Sin: // sin⁽ʲ⁾ = cos, −sin, −cos, sin, ...
		fact := 1.0
		for j := 1; j <= upto; j++ {
			fact *= float64(j)
			src, sign := d1, 1.0
			switch j % 4 {
			case 2:
				src, sign = a, -1
			case 3:
				sign = -1
			case 0:
				src = a
			}
			c := kc[j][:n]
			for i, v := range src[:n] {
				c[i] = sign * v / fact
			}
		}
	default: // identity, ReLU: σ′ only
		copy(kc[1][:n], d1[:n])
		for j := 2; j <= upto; j++ {
			clear(kc[j][:n])
		}
	}
}

// powers sets f.pw[l][j][k] = [δ^j]_k for 2 ≤ j ≤ k from the coefficients
// z[m] = z_{l,m}, m < k, and z[k].
func (f *fused) powers(l, k int, z [][]float64) {
	for j := 2; j <= k; j++ {
		p := f.pw[l][j][k]
		clear(p)
		for i := j - 1; i <= k-1; i++ {
			q := z[i] // [δ^1]_i
			if j-1 >= 2 {
				q = f.pw[l][j-1][i]
			}
			d := z[k-i][:len(p)]
			q = q[:len(p)]
			for e := range p {
				p[e] += q[e] * d[e]
			}
		}
	}
}

// activeJet sets f.aj[l][k] = a_{l,k} = Σ_{j=1..k} c_{l,j}⊙[δ^j]_k from the
// coefficients and powers in hand, and returns it.
func (f *fused) activeJet(l, k int, z [][]float64) []float64 {
	out := f.aj[l][k]
	c, p := f.kc[l][1][:len(out)], z[k][:len(out)]
	for e := range out {
		out[e] = c[e] * p[e]
	}
	for j := 2; j <= k; j++ {
		c, p := f.kc[l][j][:len(out)], f.pw[l][j][k][:len(out)]
		for e := range out {
			out[e] += c[e] * p[e]
		}
	}
	return out
}

// forwardJets computes the Taylor coefficients f_1..f_J of f along the flow
// into rec (after forward has evaluated f into rec.f).
func (f *fused) forwardJets(rec *fusedRec) {
	B, n, in := f.B, f.n, f.sizes[0]
	L := len(f.sizes) - 1
	for l := 0; l < L-1; l++ {
		d1 := rec.d[l]
		if d1 == nil {
			d1 = f.d1[l]
		}
		f.coeffs(l, rec.a[l], d1, f.J)
	}
	prev := rec.f // f_{k−1}
	for k := 1; k <= f.J; k++ {
		x := rec.xj[k]
		for r := 0; r < B; r++ {
			row := x[r*in : (r+1)*in]
			for c := 0; c < n; c++ {
				row[c] = prev[r*n+c] / float64(k)
			}
			if f.timeInput {
				row[n] = 0
				if k == 1 {
					row[n] = 1
				}
			}
		}
		a := x
		for l := 0; l < L; l++ {
			if l == L-1 {
				f.mul(l, B, a, rec.fj[k], false)
				break
			}
			z := rec.zj[l]
			f.mul(l, B, a, z[k], false)
			f.powers(l, k, z)
			a = f.activeJet(l, k, z)
		}
		prev = rec.fj[k]
	}
}

// kellyScale is ((K−1)!)², the factor of ‖f_{K−1}‖² in ‖dᴷy/dtᴷ‖².
func (f *fused) kellyScale() float64 {
	s := 1.0
	for j := 2; j < f.K; j++ {
		s *= float64(j)
	}
	return s * s
}

// backwardJets runs the reverse pass of the jets for the Kelly term's
// cotangents c (one per sample, stride m in cot's terms part): it adds to
// gtheta's weights, to f's cotangent gf and to ext[l], the part of hidden
// layer l's cotangent ḡ_{z_{l,0}} that comes through the c_{l,j}; cur1[l]
// is σ′(z_l).
func (f *fused) backwardJets(rec *fusedRec, cot, gf, gtheta []float64, ext [][]float64) {
	B, n, in, J := f.B, f.n, f.sizes[0], f.J
	L := len(f.sizes) - 1
	m := len(f.list)
	for l := 0; l < L-1; l++ {
		f.coeffs(l, rec.a[l], f.cur1[l], f.K)
		for k := 1; k <= J; k++ {
			f.powers(l, k, rec.zj[l])
			f.activeJet(l, k, rec.zj[l])
		}
		for j := 1; j <= J; j++ {
			clear(f.gc[l][j])
			for k := j; k <= J; k++ {
				clear(f.gpw[l][j][k])
			}
		}
	}
	for k := 1; k < J; k++ {
		clear(f.gfj[k])
	}
	scale := 2 * f.kellyScale()
	fJ, gJ := rec.fj[J], f.gfj[J]
	for r := 0; r < B; r++ {
		c := scale * cot[B*n+r*m+f.jterm]
		for i := r * n; i < (r+1)*n; i++ {
			gJ[i] = c * fJ[i]
		}
	}
	for k := J; k >= 1; k-- {
		g := f.gfj[k]
		buf, next := f.jg0, f.jg1
		for l := L - 1; l >= 0; l-- {
			fi, fo := f.sizes[l], f.sizes[l+1]
			a := rec.xj[k]
			if l > 0 {
				a = f.aj[l-1][k]
			}
			p := f.off[l]
			blas.Gemm(true, false, fi, fo, B, a, fi, g, fo, gtheta[p:p+fi*fo], fo, true)
			gin := f.jgx
			if l > 0 {
				gin = buf[:B*fi]
			}
			blas.Gemm(false, true, B, fi, fo, g, fo, f.w[l], fo, gin, fi, false)
			if l == 0 {
				// x_k = (f_{k−1}/k, const): to f_{k−1}'s cotangent.
				dst := gf
				if k > 1 {
					dst = f.gfj[k-1]
				}
				inv := 1 / float64(k)
				for r := 0; r < B; r++ {
					for c := 0; c < n; c++ {
						dst[r*n+c] += gin[r*in+c] * inv
					}
				}
				break
			}
			g = f.reverseActivation(l-1, k, gin, rec.zj[l-1])
			buf, next = next, buf
		}
	}
	for l := 0; l < L-1; l++ {
		e := ext[l]
		for j := 1; j <= J; j++ {
			gc, c := f.gc[l][j], f.kc[l][j+1]
			gc, c = gc[:len(e)], c[:len(e)]
			fj := float64(j + 1)
			for i := range e {
				e[i] += gc[i] * fj * c[i]
			}
		}
	}
}

// reverseActivation takes ḡ of a_{l,k} (ga) through a_{l,k} = Σ_j c_j⊙[δ^j]_k
// and the powers of order k, adding to the cotangents of the c_j and of the
// lower orders' coefficients, and returns the cotangent of z_{l,k}, now
// complete.
func (f *fused) reverseActivation(l, k int, ga []float64, z [][]float64) []float64 {
	for j := 1; j <= k; j++ {
		p := z[k]
		if j >= 2 {
			p = f.pw[l][j][k]
		}
		gc, gp, c := f.gc[l][j], f.gpw[l][j][k], f.kc[l][j]
		p, gc, gp, c = p[:len(ga)], gc[:len(ga)], gp[:len(ga)], c[:len(ga)]
		for e, v := range ga {
			gc[e] += v * p[e]
			gp[e] += v * c[e]
		}
	}
	// [δ^j]_k = Σ_i [δ^{j−1}]_i δ_{k−i}, j from k down to 2.
	for j := k; j >= 2; j-- {
		G := f.gpw[l][j][k]
		for i := j - 1; i <= k-1; i++ {
			q := z[i]
			if j-1 >= 2 {
				q = f.pw[l][j-1][i]
			}
			gq, d, gd := f.gpw[l][j-1][i], z[k-i], f.gpw[l][1][k-i]
			q, gq, d, gd = q[:len(G)], gq[:len(G)], d[:len(G)], gd[:len(G)]
			for e, v := range G {
				gq[e] += v * d[e]
				gd[e] += v * q[e]
			}
		}
	}
	return f.gpw[l][1][k]
}
