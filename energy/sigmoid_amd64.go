//go:build amd64 && !purego

package energy

import "github.com/physbias/physbias/internal/cpufeat"

// sigmoidAVX2 sets p[i] = σ(beta·a[i] + bias[i]) for i < n (n a multiple of
// 4; p may be a), four at a time with AVX2 and FMA (sigmoid_amd64.s). It
// must not run unless haveAVX2.
//
//go:noescape
func sigmoidAVX2(a, bias, p *float64, n int, beta float64)

// haveAVX2 reports whether the CPU and the OS support AVX2 and FMA.
var haveAVX2 = cpufeat.AVX2FMA
