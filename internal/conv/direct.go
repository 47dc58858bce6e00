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
// sample for which the direct path is taken; smaller maps (where most of a
// column strip would be padding) go through im2col. On the P4CNN step 16
// measured about 3% faster than 32 and the same as 1 (the 4×4 layer has
// 22, the last layer 1). A variable so tests can send every case down
// either path.
var minDirectCols = 16

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
//
// With pool above 0 each sample's output is then max-pooled into pooled
// while it is in cache.
func directForward(g geom, x, w, b, y []float32, relu bool, pool int, pooled []float32) {
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
						if relu {
							relu32(dst, dst)
						}
					} else {
						biasReLU32(dst, src, bo, relu)
					}
				}
			}
			if pool > 0 {
				ps := g.O * (g.HO / pool) * (g.WO / pool)
				pool2 := pooled[s*ps : (s+1)*ps]
				poolMaps(ysn, pool2, nil, g.O, g.HO, g.WO, pool)
			}
		}
	})
}

// directBackward computes the derivatives of the convolution from the
// upstream gradient dy (B, O, HO, WO), masked where the output y is 0 with
// relu (a ReLU inside the op): dx (B, C, H, W) from the filters w, dw (O,
// C, KH, KW) from the input x and db (O), each skipped when nil. With pool
// above 0, dy is the gradient of y max-pooled over pool×pool windows and
// is unpooled (to each window's first largest value of y) one sample at a
// time.
// One pass over the samples: each sample's gradient row is read (and
// masked) once and goes to the three places it is needed.
//
// dx is the correlation of dy, padded by KH−1 rows and KW−1 columns, with
// the filters flipped and their channel axes swapped. dw is Σ over samples
// of the windows of x times the transposed gradient (zero in the dropped
// wide columns). dw and db are summed in fixed chunks of samples and then
// the chunks in order, so they do not depend on GOMAXPROCS.
func directBackward(g geom, x, w, dy, y []float32, relu bool, pool int, dx, dw, db []float32) {
	hp, wp := g.H+2*g.P, g.W+2*g.P
	xs, ys := g.C*g.H*g.W, g.O*g.HO*g.WO
	// dx: the padded gradient is gh×gw, the flipped filters wt (C, O·KH·KW).
	gh, gw := g.HO+2*(g.KH-1), g.WO+2*(g.KW-1)
	k2 := g.O * g.KH * g.KW
	nx := (g.H-1)*gw + g.W
	var wt []float32
	var boffX, aoffX *[]int
	if dx != nil {
		wtb := getBuf[float32](g.C * k2)
		defer bufPool.Put(wtb)
		wt = *wtb
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
		boffX = getInts(k2)
		defer intPool.Put(boffX)
		r := 0
		for o := 0; o < g.O; o++ {
			for a := 0; a < g.KH; a++ {
				for e := 0; e < g.KW; e++ {
					(*boffX)[r] = o*gh*gw + (a+g.P)*gw + e + g.P
					r++
				}
			}
		}
		aoffX = strided(g.C, k2)
		defer intPool.Put(aoffX)
	}
	// dw: the windows of x against gt[(i·Wp + j), o] = dy[o, i, j].
	rows := g.rows()
	nw := (g.HO-1)*wp + g.WO
	var aoffW, boffW *[]int
	k := min(chunks, g.B)
	var partW, partB []float32
	if dw != nil {
		aoffW = g.windowOffsets()
		defer intPool.Put(aoffW)
		boffW = strided(nw, g.O)
		defer intPool.Put(boffW)
		pw := getBuf[float32](k * rows * g.O) // (rows, O) per chunk: dwᵀ
		defer bufPool.Put(pw)
		partW = *pw
		clear(partW)
	}
	if db != nil {
		pb := getBuf[float32](k * g.O)
		defer bufPool.Put(pb)
		partB = *pb
		clear(partB)
	}
	forChunks(g.B, func(ch, lo, hi int) {
		var gp, wide, gt, pad []float32
		if dx != nil {
			b := getBuf[float32](g.O * gh * gw)
			defer bufPool.Put(b)
			gp = *b
			clear(gp) // the border stays zero
			b2 := getBuf[float32](g.C * nx)
			defer bufPool.Put(b2)
			wide = *b2
		}
		if dw != nil {
			b := getBuf[float32](nw * g.O)
			defer bufPool.Put(b)
			gt = *b
			clear(gt) // the dropped columns stay zero
			if g.P > 0 {
				p := getBuf[float32](g.C * hp * wp)
				defer bufPool.Put(p)
				pad = *p
				clear(pad)
			}
		}
		mb := getBuf[float32](ys)
		defer bufPool.Put(mb)
		mg := *mb
		for s := lo; s < hi; s++ {
			// The sample's gradient, unpooled and masked (one pass over
			// dy and y).
			var dys []float32
			switch {
			case pool > 0:
				ps := g.O * (g.HO / pool) * (g.WO / pool)
				poolMaps(y[s*ys:(s+1)*ys], mg, dy[s*ps:(s+1)*ps], g.O, g.HO, g.WO, pool)
				if relu {
					maskGrad32(mg, y[s*ys:(s+1)*ys], mg)
				}
				dys = mg
			case relu:
				maskGrad32(mg, y[s*ys:(s+1)*ys], dy[s*ys:(s+1)*ys])
				dys = mg
			default:
				dys = dy[s*ys : (s+1)*ys]
			}
			if db != nil {
				hw := g.HO * g.WO
				for o := 0; o < g.O; o++ {
					partB[ch*g.O+o] += sum32(dys[o*hw : (o+1)*hw])
				}
			}
			if dx != nil {
				for o := 0; o < g.O; o++ {
					for i := 0; i < g.HO; i++ {
						copy(gp[(o*gh+i+g.KH-1)*gw+g.KW-1:][:g.WO], dys[(o*g.HO+i)*g.WO:])
					}
				}
			}
			if dw != nil {
				transposeWide(gt, dys, g.O, g.HO, g.WO, wp)
			}
			if dx != nil {
				sgemmOff(g.C, nx, k2, wt, *aoffX, 1, gp, *boffX, 0, wide, nx)
				dxs := dx[s*xs : (s+1)*xs]
				for c := 0; c < g.C; c++ {
					for i := 0; i < g.H; i++ {
						copy(dxs[(c*g.H+i)*g.W:(c*g.H+i+1)*g.W], wide[c*nx+i*gw:])
					}
				}
			}
			if dw != nil {
				xp := g.padded(x[s*xs:(s+1)*xs], pad)
				sgemmOff(rows, g.O, nw, xp, *aoffW, 1, gt, *boffW, 1, partW[ch*rows*g.O:(ch+1)*rows*g.O], g.O)
			}
		}
	})
	if dw != nil {
		nw := rows * g.O
		for c := 1; c < k; c++ {
			for i, v := range partW[c*nw : (c+1)*nw] {
				partW[i] += v
			}
		}
		for r := 0; r < rows; r++ {
			for o := 0; o < g.O; o++ {
				dw[o*rows+r] = partW[r*g.O+o]
			}
		}
	}
	if db != nil {
		copy(db, partB[:g.O])
		for c := 1; c < k; c++ {
			for o, v := range partB[c*g.O : (c+1)*g.O] {
				db[o] += v
			}
		}
	}
}

// transposeWide writes gt[(i·wp + j)·o + c] = src[(c·h + i)·w + j] for the
// o maps of h×w in src (the dropped wide columns j ≥ w of gt are left as
// they are), eight maps at a time so that each write fills 32 contiguous
// bytes and the reads run along eight rows.
func transposeWide(gt, src []float32, o, h, w, wp int) {
	hw := h * w
	c := 0
	for ; c+8 <= o; c += 8 {
		s0, s1, s2, s3 := src[c*hw:][:hw], src[(c+1)*hw:][:hw], src[(c+2)*hw:][:hw], src[(c+3)*hw:][:hw]
		s4, s5, s6, s7 := src[(c+4)*hw:][:hw], src[(c+5)*hw:][:hw], src[(c+6)*hw:][:hw], src[(c+7)*hw:][:hw]
		for i := 0; i < h; i++ {
			for j := 0; j < w; j++ {
				p := i*w + j
				d := gt[(i*wp+j)*o+c:][:8]
				d[0], d[1], d[2], d[3] = s0[p], s1[p], s2[p], s3[p]
				d[4], d[5], d[6], d[7] = s4[p], s5[p], s6[p], s7[p]
			}
		}
	}
	for ; c < o; c++ {
		sc := src[c*hw:][:hw]
		for i := 0; i < h; i++ {
			for j := 0; j < w; j++ {
				gt[(i*wp+j)*o+c] = sc[i*w+j]
			}
		}
	}
}

// sum32 returns the sum of v in eight interleaved partial sums (a single
// running sum waits on the adder's latency at every element), kept in
// registers.
func sum32(v []float32) float32 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := v[i : i+8 : i+8]
		s0 += w[0]
		s1 += w[1]
		s2 += w[2]
		s3 += w[3]
		s4 += w[4]
		s5 += w[5]
		s6 += w[6]
		s7 += w[7]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
