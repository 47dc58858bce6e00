//go:build !amd64

package vmath

// Stand-ins so that the dispatch builds; haveAVX2 is false here.
func expAVX2(dst, x *float64, n int) { panic("vmath: no AVX2 kernel") }
func expSumAVX2(dst, x *float64, n int, acc *[4]float64) {
	panic("vmath: no AVX2 kernel")
}
func tanhAVX2(dst, x *float64, n int)     { panic("vmath: no AVX2 kernel") }
func sigmoidAVX2(dst, x *float64, n int)  { panic("vmath: no AVX2 kernel") }
func softplusAVX2(dst, x *float64, n int) { panic("vmath: no AVX2 kernel") }

func adamAVX(x, gr, m, v *float64, n int, p *[9]float64) { panic("vmath: no AVX2 kernel") }

func addRowsAVX2(y, b *float64, rows, m int)   { panic("vmath: no AVX2 kernel") }
func sumRowsAVX2(dst, x *float64, rows, m int) { panic("vmath: no AVX2 kernel") }

func tanhDerivsAVX2(t, s1, s2, s3, x *float64, n int) { panic("vmath: no AVX2 kernel") }
