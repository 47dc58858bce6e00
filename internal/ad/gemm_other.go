//go:build !amd64 || purego

package ad

const haveKernel = false

// kern4x8 is the portable form of the amd64 kernel (unused when haveKernel
// is false, kept so that the packed GEMM builds everywhere).
func kern4x8(k int, a *float64, rs, ks int, b, c *float64, ldc int) {
	as := unsafeSlice(a, 3*rs+(k-1)*ks+1)
	bs := unsafeSlice(b, 8*k)
	cs := unsafeSlice(c, 3*ldc+8)
	for r := 0; r < 4; r++ {
		for j := 0; j < 8; j++ {
			s := 0.0
			for x := 0; x < k; x++ {
				s += as[r*rs+x*ks] * bs[x*8+j]
			}
			cs[r*ldc+j] += s
		}
	}
}
