//go:build amd64 && !purego

package energy

// sigmoidAVX2 sets p[i] = σ(beta·a[i] + bias[i]) for i < n (n a multiple of
// 4; p may be a), four at a time with AVX2 and FMA (sigmoid_amd64.s). It
// must not run unless haveAVX2.
//
//go:noescape
func sigmoidAVX2(a, bias, p *float64, n int, beta float64)

func sigCPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func sigXGETBV() (eax, edx uint32)

// haveAVX2 reports whether the CPU and the OS support AVX2 and FMA.
var haveAVX2 = func() bool {
	max, _, _, _ := sigCPUID(0, 0)
	if max < 7 {
		return false
	}
	_, _, c1, _ := sigCPUID(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := sigXGETBV(); xcr0&6 != 6 {
		return false
	}
	_, b7, _, _ := sigCPUID(7, 0)
	return b7&(1<<5) != 0
}()
