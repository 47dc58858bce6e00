// Package opbuf reads the float64 data of a custom gorgonia Op's inputs and
// picks the tensor its Do writes into. The Ops of internal/linalg and
// internal/segment share it, so that every hand-written Op checks its
// inputs and reuses gorgonia's preallocated output the same way.
//
// Input returns an input's contiguous row-major []float64 after checking
// its type, dtype and shape, materialising a strided view first; its errors
// start with the calling package's name and the Op's. Output returns the
// preallocated tensor when it is a contiguous float64 *tensor.Dense of the
// right shape that shares no memory with an input (an Op that wrote into
// an input's memory would corrupt it mid-computation), a new tensor
// otherwise. Overlaps is that memory test.
package opbuf
