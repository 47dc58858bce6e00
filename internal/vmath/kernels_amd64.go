//go:build amd64

package vmath

// The AVX2/FMA kernels (vmath_amd64.s): dst[i] = f(x[i]) for i < n, n a
// multiple of 4. They must not run unless haveAVX2.

//go:noescape
func expAVX2(dst, x *float64, n int)

//go:noescape
func expSumAVX2(dst, x *float64, n int, acc *[4]float64)

//go:noescape
func tanhAVX2(dst, x *float64, n int)

//go:noescape
func sigmoidAVX2(dst, x *float64, n int)

//go:noescape
func softplusAVX2(dst, x *float64, n int)

//go:noescape
func adamAVX(x, gr, m, v *float64, n int, p *[9]float64)

//go:noescape
func addRowsAVX2(y, b *float64, rows, m int)

//go:noescape
func sumRowsAVX2(dst, x *float64, rows, m int)

//go:noescape
func tanhDerivsAVX2(t, s1, s2, s3, x *float64, n int)
