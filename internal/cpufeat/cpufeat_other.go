//go:build !amd64 || purego

package cpufeat

// Off amd64 and under the build tag purego no feature is used.
const (
	// AVX2FMA is false here: the packages take their portable Go code.
	AVX2FMA = false
	// AVX512 is false here.
	AVX512 = false
	// BMI is false here.
	BMI = false
)
