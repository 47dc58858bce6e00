package flows

// Bounds on a model's size, so that a configuration too large to allocate is
// an error (ErrInput, or ErrCorrupt in a file) rather than a crash of the
// runtime's allocator.
const (
	// maxWidth is the widest hidden layer a configuration may ask for.
	maxWidth = 1 << 20
	// maxParams bounds the parameters of all a model's built-in networks
	// (2 GiB of float64).
	maxParams = 1 << 28
	// maxValues bounds the values of the points one call draws (Sample's
	// n·Dim, Bound's k·Dim for one point), 2 GiB of float64.
	maxValues = 1 << 28
)

// checkCount returns an error unless 1 ≤ n and n·dim ≤ maxValues.
func checkCount(what string, n, dim int) error {
	if n < 1 || n > maxValues/dim {
		return errorf(ErrInput, "%s is %d; must be between 1 and %d for dimension %d", what, n, maxValues/dim, dim)
	}
	return nil
}

// checkParams returns an error unless the built-in networks of specs have
// at most maxParams parameters in all. Its arithmetic saturates, so no
// configuration overflows it.
func checkParams(specs []netSpec) error {
	total := 0
	for _, s := range specs {
		for l := 0; l+1 < len(s.sizes); l++ {
			a, b := s.sizes[l], s.sizes[l+1]
			if a > maxParams/b || total > maxParams-(a+1)*b {
				return errorf(ErrInput, "the networks need more than %d parameters (network %s has layers of %d and %d); use narrower or fewer layers or stages", maxParams, s.name, a, b)
			}
			total += (a + 1) * b
		}
	}
	return nil
}
