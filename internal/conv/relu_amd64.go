//go:build amd64 && !purego

package conv

// relu8 sets y = relu32(x) on n values, n a multiple of 8 (AVX2).
//
//go:noescape
func relu8(y, x *float32, n int)

// mask8 sets out = maskGrad32(y, g) on n values, n a multiple of 8 (AVX2).
//
//go:noescape
func mask8(out, y, grad *float32, n int)

// haveVec reports whether relu8 and mask8 can run (AVX2).
var haveVec = haveKernel

// biasRelu8 sets dst = src + bias, then with relu ≠ 0 applies relu32's
// rule, on n values, n a multiple of 8 (AVX2).
//
//go:noescape
func biasRelu8(dst, src *float32, n int, bias float32, relu int)
