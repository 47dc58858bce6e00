//go:build !amd64 || purego

package blas

import "unsafe"

// haveKernel: no assembly kernel in this build (a variable so tests can
// switch the amd64 one off too).
var haveKernel = false

// kernelIsAsm: the portable kern4x8 runs anywhere (tests use it).
const kernelIsAsm = false

// kern4x8 is the portable form of the amd64 kernel (unused when haveKernel
// is false, kept so that the packed GEMM builds everywhere).
func kern4x8(k int, a *float64, rs, ks int, b *float64, ldb int, c *float64, ldc int, add int) {
	as := unsafeSlice(a, 3*rs+(k-1)*ks+1)
	bs := unsafeSlice(b, (k-1)*ldb+8)
	cs := unsafeSlice(c, 3*ldc+8)
	for r := 0; r < 4; r++ {
		for j := 0; j < 8; j++ {
			s := 0.0
			for x := 0; x < k; x++ {
				s += as[r*rs+x*ks] * bs[x*ldb+j]
			}
			if add == 0 {
				cs[r*ldc+j] = s
			} else {
				cs[r*ldc+j] += s
			}
		}
	}
}

// unsafeSlice views n float64 values starting at p.
func unsafeSlice(p *float64, n int) []float64 { return unsafe.Slice(p, n) }
