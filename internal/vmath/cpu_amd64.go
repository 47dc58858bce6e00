//go:build amd64 && !purego

package vmath

import "github.com/physbias/physbias/internal/cpufeat"

// haveAVX2 reports whether the CPU and OS support AVX2 and FMA.
var haveAVX2 = cpufeat.AVX2FMA
