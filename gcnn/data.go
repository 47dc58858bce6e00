package gcnn

import "math"

// Images is a labelled set of images: N samples of C channels of H×W
// pixels, stored as float32 to keep large sets small (MNIST-rot's 50,000
// test images take 157 MB).
type Images struct {
	// X holds N·C·H·W values, sample after sample, each channel-major
	// (NCHW), row after row.
	X []float32
	// Labels holds the class of each sample, 0 ≤ label < the model's
	// Classes. It may be nil for data without labels (Predict).
	Labels []int
	// C, H and W are the channels, height and width of one image.
	C, H, W int
}

// Len returns the number of samples, N = len(X)/(C·H·W) (0 when the sizes
// are not set).
func (im *Images) Len() int {
	if im == nil || im.C < 1 || im.H < 1 || im.W < 1 {
		return 0
	}
	n := len(im.X)
	if im.C > n || im.H > n/im.C || im.W > n/(im.C*im.H) {
		return 0 // not one whole image (and C·H·W might overflow)
	}
	return n / (im.C * im.H * im.W)
}

// check reports what is wrong with im as input to a model taking c×h×w
// images of classes classes (labels required if labelled).
func (im *Images) check(what string, c, h, w, classes int, labelled bool) error {
	if im == nil {
		return errorf(ErrInput, "%s: no images (nil)", what)
	}
	if im.C != c || im.H != h || im.W != w {
		return errorf(ErrInput, "%s: images of %d×%d×%d (channels×height×width), the model takes %d×%d×%d", what, im.C, im.H, im.W, c, h, w)
	}
	n := im.Len()
	if n == 0 || len(im.X) != n*c*h*w {
		return errorf(ErrInput, "%s: %d values is not a whole number (≥ 1) of %d×%d×%d images", what, len(im.X), c, h, w)
	}
	if labelled || im.Labels != nil {
		if len(im.Labels) != n {
			return errorf(ErrInput, "%s: %d labels for %d images", what, len(im.Labels), n)
		}
		for i, l := range im.Labels {
			if l < 0 || l >= classes {
				return errorf(ErrInput, "%s: label %d is %d, want 0 ≤ label < %d", what, i, l, classes)
			}
		}
	}
	for i, v := range im.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return errorf(ErrNotFinite, "%s: pixel value %d (image %d) is %v", what, i, i/(c*h*w), v)
		}
	}
	return nil
}

// Dataset is a training set and its held-out test set.
type Dataset struct {
	Train, Test Images
}
