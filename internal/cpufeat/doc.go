// Package cpufeat tells physbias's assembly kernels which instructions the
// CPU and the operating system support, read once when the program starts:
// one CPUID check for internal/blas, internal/vmath, internal/conv, energy
// and ising instead of one copy each.
//
// AVX2FMA is AVX2 and FMA with the YMM state saved by the OS; AVX512 is
// AVX-512F and VL with the ZMM and opmask state saved by the OS, and is
// false when the environment variable PHYSBIAS_NOAVX512 is set to anything
// but "" or "0", so the AVX2 paths can be measured on a CPU that has
// AVX-512 (bench/compare.sh ISA=avx2 sets it); BMI is BMI1 and BMI2. Off
// amd64, and under the build tag purego, every feature is false and the
// packages take their portable Go code.
package cpufeat

// EnvNoAVX512 names the environment variable that turns the AVX-512
// kernels off.
const EnvNoAVX512 = "PHYSBIAS_NOAVX512"
