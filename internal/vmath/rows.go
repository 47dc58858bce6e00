package vmath

// AddRows adds b to every row of y: y[i·m+j] += b[j] for m = len(b) and
// each of the len(y)/m whole rows of y (a bias added to a layer's
// outputs). The sums are those of the plain loop, bit for bit.
func AddRows(y, b []float64) {
	m := len(b)
	if m == 0 {
		return
	}
	rows := len(y) / m
	if rows == 0 {
		return
	}
	if haveAVX2 {
		_ = y[rows*m-1]
		addRowsAVX2(&y[0], &b[0], rows, m)
		return
	}
	for i := 0; i < rows; i++ {
		yr := y[i*m : (i+1)*m]
		for j, v := range b {
			yr[j] += v
		}
	}
}

// SumRows sets dst[j] to the sum of column j over the len(x)/m whole rows
// of x, m = len(dst): dst[j] = Σ_i x[i·m+j], the rows added in order from
// +0, so the sums are those of the plain loop, bit for bit (a bias's
// gradient).
func SumRows(dst, x []float64) {
	m := len(dst)
	if m == 0 {
		return
	}
	rows := len(x) / m
	if haveAVX2 {
		var x0 *float64
		if rows > 0 {
			_ = x[rows*m-1]
			x0 = &x[0]
		}
		sumRowsAVX2(&dst[0], x0, rows, m)
		return
	}
	clear(dst)
	for i := 0; i < rows; i++ {
		for j, v := range x[i*m : (i+1)*m] {
			dst[j] += v
		}
	}
}
