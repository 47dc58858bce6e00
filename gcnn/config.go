package gcnn

import (
	"math"
	"strconv"
)

// Layer is one convolution of a Model: a lifting convolution for the first
// layer, a group convolution after it, each followed (except the last) by a
// ReLU and, if MaxPool is set, a spatial max-pool.
type Layer struct {
	// Kernel is the side of the square filters; 0 means 3.
	Kernel int
	// Pad is the zero padding on every side; 0 means none.
	Pad int
	// Stride is the step of the convolution; 0 means 1.
	Stride int
	// MaxPool is the window (and stride) of a max-pool after the layer's
	// ReLU; 0 means none. Not allowed on the last layer.
	MaxPool int
}

// Config describes a Model. Its zero value is Cohen and Welling's P4CNN
// for 28×28 MNIST-rot. New refuses sizes it could not allocate: Size,
// kernels, strides, padding and pools above 2¹⁴, channel counts above 2¹⁶,
// more than 2²⁸ parameters, or more than 2²⁶ feature-map values for one
// image.
type Config struct {
	// Group is the symmetry of the network; 0 means P4. Z2 makes the
	// ordinary CNN baseline (Z2CNN).
	Group Group
	// Size is the height and width of the input images; 0 means 28.
	Size int
	// InChannels is the number of channels of the input images; 0 means 1.
	InChannels int
	// Classes is the number of classes; 0 means 10.
	Classes int
	// Width is the number of features of every hidden layer, each with
	// Group.Order() maps; 0 means 20/√Order rounded (Z2 20, P4 10, P4M 7),
	// which keeps the parameter count close to the Z2CNN's.
	Width int
	// Layers are the convolutions; nil means PaperLayers(): six 3×3 layers
	// with a 2×2 max-pool after the second, then a 4×4 layer with Classes
	// features. The last layer's features, pooled over the group (Pool)
	// and over the plane (mean), are the logits.
	Layers []Layer
	// Pool is the pooling over the group before the logits; 0 means Max
	// (the paper's rotation pooling at the end).
	Pool Pool
	// Float64 runs the convolutions in float64; by default they run in
	// float32 (the parameters, loss and optimizer stay float64).
	Float64 bool
	// Seed seeds the initial weights (He-normal; biases start at zero).
	Seed uint64
}

// PaperLayers returns Cohen and Welling's (2016) layout for MNIST-rot, which
// they give for Z2CNN and reuse for P4CNN: seven layers of 3×3
// convolutions, the last 4×4, with a 2×2 max-pool after layer 2. On 28×28
// inputs the maps are 26, 24, 12, 10, 8, 6, 4 and 1 pixels wide. (Their
// batch normalisation and dropout are not built here.)
func PaperLayers() []Layer {
	return []Layer{{Kernel: 3}, {Kernel: 3, MaxPool: 2}, {Kernel: 3}, {Kernel: 3}, {Kernel: 3}, {Kernel: 3}, {Kernel: 4}}
}

// withDefaults fills in the zero fields and checks the result, including
// every layer's size against the group's symmetry.
func (c Config) withDefaults() (Config, error) {
	if c.Group == 0 {
		c.Group = P4
	}
	if !c.Group.valid() {
		return c, errorf(ErrInput, "Config.Group %v is not Z2, P4 or P4M", c.Group)
	}
	if c.Size == 0 {
		c.Size = 28
	}
	if c.InChannels == 0 {
		c.InChannels = 1
	}
	if c.Classes == 0 {
		c.Classes = 10
	}
	if c.Width == 0 {
		c.Width = int(math.Round(20 / math.Sqrt(float64(c.Group.Order()))))
	}
	if c.Pool == 0 {
		c.Pool = Max
	}
	if c.Size < 1 || c.InChannels < 1 || c.Width < 1 || c.Classes < 2 {
		return c, errorf(ErrInput, "Config: Size %d, InChannels %d, Width %d, Classes %d; want positive sizes and at least 2 classes", c.Size, c.InChannels, c.Width, c.Classes)
	}
	if c.Size > maxSide || c.InChannels > maxChannels || c.Width > maxChannels || c.Classes > maxChannels {
		return c, errorf(ErrInput, "Config: Size %d, InChannels %d, Width %d, Classes %d; want Size ≤ %d and the others ≤ %d", c.Size, c.InChannels, c.Width, c.Classes, maxSide, maxChannels)
	}
	if c.Pool != Max && c.Pool != Mean {
		return c, errorf(ErrInput, "Config.Pool %v, want Max or Mean", c.Pool)
	}
	if c.Layers == nil {
		c.Layers = PaperLayers()
	}
	if len(c.Layers) == 0 {
		return c, errorf(ErrInput, "Config.Layers is empty (nil means the paper's layers)")
	}
	c.Layers = append([]Layer(nil), c.Layers...)
	size := c.Size
	for i := range c.Layers {
		l := &c.Layers[i]
		if l.Kernel == 0 {
			l.Kernel = 3
		}
		if l.Stride == 0 {
			l.Stride = 1
		}
		if l.Kernel < 1 || l.Stride < 1 || l.Pad < 0 || l.MaxPool < 0 {
			return c, errorf(ErrInput, "Config.Layers[%d] = %+v: want positive kernel and stride, non-negative padding and pool", i, *l)
		}
		if l.Kernel > maxSide || l.Stride > maxSide || l.Pad > maxSide || l.MaxPool > maxSide {
			return c, errorf(ErrInput, "Config.Layers[%d] = %+v: kernel, stride, padding and pool must be at most %d", i, *l, maxSide)
		}
		if err := checkGeom("Config.Layers["+strconv.Itoa(i)+"]", c.Group, Conv{Stride: l.Stride, Pad: l.Pad}, size, size, l.Kernel, l.Kernel); err != nil {
			return c, err
		}
		size = (size+2*l.Pad-l.Kernel)/l.Stride + 1
		if l.MaxPool > 0 {
			if i == len(c.Layers)-1 {
				return c, errorf(ErrInput, "Config.Layers[%d]: a max-pool after the last layer (the logits are pooled over the plane already)", i)
			}
			if l.MaxPool > size || (c.Group != Z2 && (size-l.MaxPool)%l.MaxPool != 0) {
				return c, errorf(ErrInput, "Config.Layers[%d]: a %d×%d max-pool on %d×%d maps %s", i, l.MaxPool, l.MaxPool, size, size, poolWhy(l.MaxPool, size, c.Group))
			}
			size /= l.MaxPool
		}
	}
	return c, c.checkSize()
}

// Bounds on a model's size, so that a configuration too large to allocate
// is an error (ErrInput, or ErrCorrupt in a file) rather than a crash of the
// runtime's allocator.
const (
	// maxSide bounds Size and every layer's kernel, stride, padding and
	// pool.
	maxSide = 1 << 14
	// maxChannels bounds InChannels, Width and Classes.
	maxChannels = 1 << 16
	// maxParams bounds the parameters (2 GiB of float64).
	maxParams = 1 << 28
	// maxActivations bounds the values of one image's input and feature
	// maps over all layers (256 MiB of float32; prediction runs batches of
	// 100 images).
	maxActivations = 1 << 26
)

// checkSize returns an error unless the model's parameters and one image's
// feature maps fit the bounds above. c's fields are already checked
// against maxSide and maxChannels, so no product here overflows.
func (c Config) checkSize() error {
	n := c.Group.Order()
	params := 0
	acts := c.InChannels * c.Size * c.Size
	size := c.Size
	for i, l := range c.Layers {
		in, nin, out := c.dims(i)
		// in·nin ≤ 2¹⁹ and K² ≤ 2²⁸: check before multiplying by out.
		per := in * nin * l.Kernel * l.Kernel
		if per > maxParams/out || params+per*out+out > maxParams {
			return errorf(ErrInput, "Config: the layers need more than %d parameters (layer %d: %d filters of %d×%d×%d×%d); use fewer features or smaller kernels", maxParams, i, out, in, nin, l.Kernel, l.Kernel)
		}
		params += per*out + out
		size = (size+2*l.Pad-l.Kernel)/l.Stride + 1
		acts += out * n * size * size
		if l.MaxPool > 0 {
			size /= l.MaxPool
			acts += out * n * size * size
		}
		if acts > maxActivations {
			return errorf(ErrInput, "Config: one image's feature maps take more than %d values by layer %d (%d features × %d group elements of %d×%d); use fewer features, a smaller Size or strides and pools", maxActivations, i, out, n, size, size)
		}
	}
	return nil
}

func poolWhy(k, size int, g Group) string {
	if k > size {
		return "is larger than the maps"
	}
	return "breaks " + g.String() + " equivariance (the windows do not tile the maps from both ends)"
}

// dims returns, for each layer, its input features and group order and
// output features.
func (c Config) dims(i int) (in, nin, out int) {
	in, nin, out = c.Width, c.Group.Order(), c.Width
	if i == 0 {
		in, nin = c.InChannels, 1
	}
	if i == len(c.Layers)-1 {
		out = c.Classes
	}
	return in, nin, out
}
