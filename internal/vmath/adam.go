package vmath

// Adam applies the elementwise Adam update to the first n values of x,
// g, m and v, n = len(x) rounded down to a multiple of 4, and returns n (0
// without the AVX2 kernels): g ← scale·g, m ← β1·m + (1−β1)·g,
// v ← β2·v + ((1−β2)·g)·g, x ← x − lr·(m·c1)/(√(v·c2) + eps), g ← 0,
// operation for operation as the plain Go loop
//
//	gi *= scale
//	mi := b1*m[i] + (1-b1)*gi
//	vi := b2*v[i] + (1-b2)*gi*gi
//	m[i], v[i] = mi, vi
//	x[i] -= lr*(mi*c1)/(math.Sqrt(vi*c2)+eps)
//	g[i] = 0
//
// without fused multiply-adds, so the values are bit for bit that loop's
// (in a default amd64 build, where Go does not fuse them either; a scaling
// by exactly 1 changes nothing). The caller runs the loop on the rest.
// g, m and v must be at least as long as x.
func Adam(x, g, m, v []float64, scale, b1, b2, eps, lr, c1, c2 float64) int {
	n := len(x) &^ 3
	if !haveAVX2 || n == 0 {
		return 0
	}
	_, _, _ = g[n-1], m[n-1], v[n-1]
	p := [9]float64{scale, b1, 1 - b1, b2, 1 - b2, lr, c1, c2, eps}
	adamAVX(&x[0], &g[0], &m[0], &v[0], n, &p)
	return n
}
