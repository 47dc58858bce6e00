//go:build amd64 && !purego

package cpufeat

import "os"

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

var feat = detect()

// The features, read once at start-up.
var (
	// AVX2FMA: the CPU has AVX2 and FMA and the OS saves the YMM registers.
	AVX2FMA = feat.avx2fma
	// AVX512: AVX2FMA, AVX-512F and VL, the OS saves the ZMM and opmask
	// registers, and PHYSBIAS_NOAVX512 does not turn them off.
	AVX512 = feat.avx512 && !disabled(os.Getenv(EnvNoAVX512))
	// BMI: the CPU has BMI1 and BMI2.
	BMI = feat.bmi
)

type features struct{ avx2fma, avx512, bmi bool }

func detect() features {
	var f features
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return f
	}
	_, b7, _, _ := cpuid(7, 0)
	f.bmi = b7&(1<<3) != 0 && b7&(1<<8) != 0
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return f
	}
	xcr0, _ := xgetbv()
	if xcr0&6 != 6 { // the OS saves XMM and YMM state
		return f
	}
	f.avx2fma = b7&(1<<5) != 0
	f.avx512 = f.avx2fma && xcr0&0xe6 == 0xe6 && // opmask, ZMM0–15 upper halves, ZMM16–31
		b7&(1<<16) != 0 && b7&(1<<31) != 0 // AVX512F, AVX512VL
	return f
}

// disabled reports whether an environment value turns a feature off:
// anything but "" and "0".
func disabled(v string) bool { return v != "" && v != "0" }
