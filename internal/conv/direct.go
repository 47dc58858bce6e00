package conv

// The direct float32 convolution of stride 1: no im2col, no col2im. A
// sample's (zero-padded) input is read in place through a table of offsets
// (sgemmOff): on an image of width Wp, the window row of channel c and
// kernel offset (a, e) is the run of the image starting at c·Hp·Wp + a·Wp +
// e, so the column matrix of im2col is the image itself seen with a
// different start for each row. Its columns are the output pixels of a
// "wide" output with Wp columns per row, of which the first WO are the
// output and the last Wp − WO straddle the image's edge and are dropped.
// The input gradient is the same correlation of the upstream gradient,
// padded by the kernel size less one, with the filters flipped and their
// two channel axes swapped; the filter gradient is the product of the
// windows with the transposed upstream gradient, whose dropped columns are
// zero.

// minDirectCols is the fewest wide output columns (HO−1)·Wp + WO of a
// sample for which the direct path is taken: smaller maps go through
// im2col, whose product spans all samples of a chunk less wastefully. A
// variable so tests can send every case down either path.
var minDirectCols = 32

// direct reports whether the float32 convolution of geometry g runs on
// the direct path.
func (g geom) direct() bool {
	return haveKernel && active.list != nil && g.S == 1 && (g.HO-1)*(g.W+2*g.P)+g.WO >= minDirectCols
}

// padded returns sample x (C, H, W) zero-padded by P on every side, in buf
// when P > 0 (whose border must be zero: only the inside is written), or
// x itself.
func (g geom) padded(x, buf []float32) []float32 {
	if g.P == 0 {
		return x
	}
	hp, wp := g.H+2*g.P, g.W+2*g.P
	for c := 0; c < g.C; c++ {
		for i := 0; i < g.H; i++ {
			copy(buf[(c*hp+i+g.P)*wp+g.P:], x[(c*g.H+i)*g.W:(c*g.H+i+1)*g.W])
		}
	}
	return buf
}

// windowOffsets returns the offset of window row (c, a, e) in a padded
// sample, c·Hp·Wp + a·Wp + e, for the C·KH·KW rows of im2col's matrix.
func (g geom) windowOffsets() *[]int {
	hp, wp := g.H+2*g.P, g.W+2*g.P
	t := getInts(g.rows())
	r := 0
	for c := 0; c < g.C; c++ {
		for a := 0; a < g.KH; a++ {
			for e := 0; e < g.KW; e++ {
				(*t)[r] = c*hp*wp + a*wp + e
				r++
			}
		}
	}
	return t
}

// strided returns the table 0, s, 2s, … of n offsets.
func strided(n, s int) *[]int {
	t := getInts(n)
	for i := range *t {
		(*t)[i] = i * s
	}
	return t
}

// directForward sets y (B, O, HO, WO) to the correlation of x with w plus
// b (nil for none), and to its ReLU with relu.
func directForward(g geom, x, w, b, y []float32, relu bool) {
	hp, wp := g.H+2*g.P, g.W+2*g.P
	rows := g.rows()
	n := (g.HO-1)*wp + g.WO
	boff := g.windowOffsets()
	defer intPool.Put(boff)
	aoff := strided(g.O, rows)
	defer intPool.Put(aoff)
	xs, ys := g.C*g.H*g.W, g.O*g.HO*g.WO
	forChunks(g.B, func(_, lo, hi int) {
		wide := getBuf[float32](g.O * n)
		defer bufPool.Put(wide)
		var pad []float32
		if g.P > 0 {
			p := getBuf[float32](g.C * hp * wp)
			defer bufPool.Put(p)
			pad = *p
			clear(pad)
		}
		for s := lo; s < hi; s++ {
			xp := g.padded(x[s*xs:(s+1)*xs], pad)
			sgemmOff(g.O, n, rows, w, *aoff, 1, xp, *boff, 0, *wide, n)
			ysn := y[s*ys : (s+1)*ys]
			for o := 0; o < g.O; o++ {
				var bo float32
				if b != nil {
					bo = b[o]
				}
				for i := 0; i < g.HO; i++ {
					dst := ysn[(o*g.HO+i)*g.WO : (o*g.HO+i+1)*g.WO]
					src := (*wide)[o*n+i*wp : o*n+i*wp+g.WO]
					if b == nil {
						copy(dst, src)
					} else {
						for j, v := range src {
							dst[j] = v + bo
						}
					}
					if relu {
						relu32(dst, dst)
					}
				}
			}
		}
	})
}

// directInputGrad sets dx (B, C, H, W) to the derivative of the
// convolution with respect to its input, from the filters w and the
// upstream gradient dy (B, O, HO, WO), masked where the output y is 0
// when y is not nil (a ReLU inside the op).
func directInputGrad(g geom, w, dy, y, dx []float32) {
	// The gradient padded by KH−1 rows and KW−1 columns on every side.
	gh, gw := g.HO+2*(g.KH-1), g.WO+2*(g.KW-1)
	k2 := g.O * g.KH * g.KW
	// wt[c, (o, a, e)] = w[o, c, KH−1−a, KW−1−e].
	wtb := getBuf[float32](g.C * k2)
	defer bufPool.Put(wtb)
	wt := *wtb
	for o := 0; o < g.O; o++ {
		for c := 0; c < g.C; c++ {
			for a := 0; a < g.KH; a++ {
				for e := 0; e < g.KW; e++ {
					wt[c*k2+(o*g.KH+a)*g.KW+e] = w[((o*g.C+c)*g.KH+g.KH-1-a)*g.KW+g.KW-1-e]
				}
			}
		}
	}
	// Window row (o, a, e), shifted to the first unpadded input pixel.
	boff := getInts(k2)
	defer intPool.Put(boff)
	r := 0
	for o := 0; o < g.O; o++ {
		for a := 0; a < g.KH; a++ {
			for e := 0; e < g.KW; e++ {
				(*boff)[r] = o*gh*gw + (a+g.P)*gw + e + g.P
				r++
			}
		}
	}
	aoff := strided(g.C, k2)
	defer intPool.Put(aoff)
	n := (g.H-1)*gw + g.W
	xs, ys := g.C*g.H*g.W, g.O*g.HO*g.WO
	forChunks(g.B, func(_, lo, hi int) {
		gpb := getBuf[float32](g.O * gh * gw)
		defer bufPool.Put(gpb)
		gp := *gpb
		clear(gp)
		wide := getBuf[float32](g.C * n)
		defer bufPool.Put(wide)
		for s := lo; s < hi; s++ {
			dys := dy[s*ys : (s+1)*ys]
			for o := 0; o < g.O; o++ {
				for i := 0; i < g.HO; i++ {
					src := dys[(o*g.HO+i)*g.WO : (o*g.HO+i+1)*g.WO]
					dst := gp[(o*gh+i+g.KH-1)*gw+g.KW-1:][:g.WO]
					if y == nil {
						copy(dst, src)
					} else {
						maskGrad32(dst, y[s*ys+(o*g.HO+i)*g.WO:][:g.WO], src)
					}
				}
			}
			sgemmOff(g.C, n, k2, wt, *aoff, 1, gp, *boff, 0, *wide, n)
			dxs := dx[s*xs : (s+1)*xs]
			for c := 0; c < g.C; c++ {
				for i := 0; i < g.H; i++ {
					copy(dxs[(c*g.H+i)*g.W:(c*g.H+i+1)*g.W], (*wide)[c*n+i*gw:])
				}
			}
		}
	})
}

// directFilterGrad sets dw (O, C, KH, KW) to the derivative of the
// convolution with respect to its filters, from the input x and the
// upstream gradient dy (masked where y is 0 when y is not nil): Σ over
// samples of the windows times the transposed gradient, summed in fixed
// chunks and then the chunks in order, so the result does not depend on
// GOMAXPROCS.
func directFilterGrad(g geom, x, dy, y, dw []float32) {
	hp, wp := g.H+2*g.P, g.W+2*g.P
	rows := g.rows()
	n := (g.HO-1)*wp + g.WO
	aoff := g.windowOffsets()
	defer intPool.Put(aoff)
	boff := strided(n, g.O)
	defer intPool.Put(boff)
	xs, ys := g.C*g.H*g.W, g.O*g.HO*g.WO
	nw := rows * g.O
	k := min(chunks, g.B)
	part := make([]float32, k*nw) // (rows, O) per chunk: dwᵀ
	forChunks(g.B, func(ch, lo, hi int) {
		// gt[(i·Wp + j), o] = dy[o, i, j]; zero for j ≥ WO.
		gtb := getBuf[float32](n * g.O)
		defer bufPool.Put(gtb)
		gt := *gtb
		clear(gt)
		var pad []float32
		if g.P > 0 {
			p := getBuf[float32](g.C * hp * wp)
			defer bufPool.Put(p)
			pad = *p
			clear(pad)
		}
		acc := part[ch*nw : (ch+1)*nw]
		var mrow []float32
		if y != nil {
			mrow = make([]float32, g.WO)
		}
		for s := lo; s < hi; s++ {
			dys := dy[s*ys : (s+1)*ys]
			for o := 0; o < g.O; o++ {
				for i := 0; i < g.HO; i++ {
					row := dys[(o*g.HO+i)*g.WO : (o*g.HO+i+1)*g.WO]
					if y != nil {
						maskGrad32(mrow, y[s*ys+(o*g.HO+i)*g.WO:][:g.WO], row)
						row = mrow
					}
					base := i*wp*g.O + o
					for j, v := range row {
						gt[base+j*g.O] = v
					}
				}
			}
			xp := g.padded(x[s*xs:(s+1)*xs], pad)
			sgemmOff(rows, g.O, n, xp, *aoff, 1, gt, *boff, 1, acc, g.O)
		}
	})
	for c := 1; c < k; c++ {
		for i, v := range part[c*nw : (c+1)*nw] {
			part[i] += v
		}
	}
	for r := 0; r < rows; r++ {
		for o := 0; o < g.O; o++ {
			dw[o*rows+r] = part[r*g.O+o]
		}
	}
}
