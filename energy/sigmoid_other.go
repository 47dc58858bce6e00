//go:build !amd64 || purego

package energy

import "unsafe"

// haveAVX2: no assembly σ in this build.
var haveAVX2 = false

// sigmoidAVX2 is the portable form of the amd64 routine (unused while
// haveAVX2 is false).
func sigmoidAVX2(a, bias, p *float64, n int, beta float64) {
	as, bs, ps := unsafe.Slice(a, n), unsafe.Slice(bias, n), unsafe.Slice(p, n)
	for i := range ps {
		ps[i] = sigmoidFast(beta*as[i] + bs[i])
	}
}
