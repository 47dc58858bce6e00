package hopfield

import (
	"math"
	"strconv"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Arch selects the Hopfield layer a Model is built around.
type Arch int

const (
	// LayerArch is HopfieldLayer: each element of a sample retrieves from
	// Config.Patterns learned stored patterns (prototypes, a lookup
	// memory), and the retrieved values are averaged over the set. It is
	// the zero value.
	LayerArch Arch = iota
	// PoolingArch is HopfieldPooling: Config.Queries learned state
	// patterns pool the set (attention pooling, multiple-instance
	// learning); the pooled values are concatenated.
	PoolingArch
	// SelfArch is Hopfield with the set as both state and stored patterns
	// (self-attention), averaged over the set.
	SelfArch
)

// String names the architecture.
func (a Arch) String() string {
	switch a {
	case LayerArch:
		return "HopfieldLayer"
	case PoolingArch:
		return "HopfieldPooling"
	case SelfArch:
		return "Hopfield (self-attention)"
	}
	return "Arch(" + strconv.Itoa(int(a)) + ")"
}

// Loss selects what a Model's training minimises.
type Loss int

const (
	// MSE is the mean squared error over all outputs (regression); the
	// zero value.
	MSE Loss = iota
	// Logistic is mean softplus(−y·out) for labels y = ±1 and one output
	// (binary classification; Predict returns the logit).
	Logistic
	// CrossEntropy is the mean of −Σ_k y_k log softmax(out)_k over the
	// samples, for Out ≥ 2 classes with targets y that are probabilities
	// (one-hot for plain labels; multi-class classification; Predict
	// returns the logits).
	CrossEntropy
)

// Config describes a Model: samples are sets of SetSize elements of
// dimension In; a Hopfield layer maps them to DimV-dimensional retrievals,
// pooled over the set, and a linear read-out (weights and bias) gives Out
// outputs. Its zero value, with In set, means the defaults in the field
// comments.
type Config struct {
	// Arch is the Hopfield layer; zero means LayerArch.
	Arch Arch
	// In is the dimension of one element; required (≥ 1).
	In int
	// SetSize is the number of elements in a sample; 0 means 1.
	SetSize int
	// Out is the number of outputs; 0 means 1.
	Out int
	// Loss is what training minimises; zero means MSE.
	Loss Loss
	// Patterns is the number of learned stored patterns of LayerArch; 0
	// means 16 (an error with another Arch).
	Patterns int
	// Queries is the number of learned queries of PoolingArch; 0 means 1
	// (an error with another Arch).
	Queries int
	// Layer sets the layer's DimK, DimV, Beta and Normalize (zero values:
	// LayerConfig's defaults). Its Name and Seed must be zero: the Model
	// names its parameters and seeds them from Seed.
	Layer LayerConfig
	// Seed draws the initial parameters.
	Seed uint64
}

func (c Config) withDefaults() (Config, error) {
	if c.Arch < LayerArch || c.Arch > SelfArch {
		return c, errorf(ErrInput, "unknown Config.Arch %d", int(c.Arch))
	}
	if c.In < 1 {
		return c, errorf(ErrInput, "Config.In = %d, want ≥ 1 (the dimension of one element)", c.In)
	}
	if c.SetSize < 0 || c.Out < 0 || c.Patterns < 0 || c.Queries < 0 {
		return c, errorf(ErrInput, "Config.SetSize %d, Out %d, Patterns %d, Queries %d: want ≥ 0 (0 means the default)", c.SetSize, c.Out, c.Patterns, c.Queries)
	}
	if c.SetSize == 0 {
		c.SetSize = 1
	}
	if c.Out == 0 {
		c.Out = 1
	}
	if c.Loss < MSE || c.Loss > CrossEntropy {
		return c, errorf(ErrInput, "unknown Config.Loss %d", int(c.Loss))
	}
	if c.Loss == Logistic && c.Out != 1 {
		return c, errorf(ErrInput, "Config.Loss Logistic needs Out = 1 (one logit), got %d", c.Out)
	}
	if c.Loss == CrossEntropy && c.Out < 2 {
		return c, errorf(ErrInput, "Config.Loss CrossEntropy needs Out ≥ 2 classes, got %d", c.Out)
	}
	if c.Patterns != 0 && c.Arch != LayerArch {
		return c, errorf(ErrInput, "Config.Patterns is for LayerArch, not %v", c.Arch)
	}
	if c.Queries != 0 && c.Arch != PoolingArch {
		return c, errorf(ErrInput, "Config.Queries is for PoolingArch, not %v", c.Arch)
	}
	if c.Arch == LayerArch && c.Patterns == 0 {
		c.Patterns = 16
	}
	if c.Arch == PoolingArch && c.Queries == 0 {
		c.Queries = 1
	}
	if c.Layer.Name != "" || c.Layer.Seed != 0 {
		return c, errorf(ErrInput, "Config.Layer.Name and Config.Layer.Seed must be empty: the Model names its layer and seeds it from Config.Seed")
	}
	l, err := c.Layer.withDefaults("hopfield")
	if err != nil {
		return c, err
	}
	l.Name = ""
	c.Layer = l
	if n := c.SetSize * c.In; c.SetSize > maxValues/c.In || n > maxValues {
		return c, errorf(ErrInput, "Config.SetSize·In = %d·%d is more than 2^30 values", c.SetSize, c.In)
	}
	return c, nil
}

// Model is a trainable network around one Hopfield layer: input sets of
// Config.SetSize elements, the layer, pooling over the set and a linear
// read-out. Make it with NewModel (or Load); train it with Train; use it
// with Predict; save it with Save. Every method of a zero Model returns an
// error matching ErrZeroValue.
type Model struct {
	cfg    Config
	values []float64 // the parameters, laid out as train.Values returns them
}

// NewModel makes a Model with freshly drawn parameters.
func NewModel(cfg Config) (*Model, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg}
	n, err := m.graph(1, false)
	if err != nil {
		return nil, err
	}
	if m.values, err = train.Values(n.params); err != nil {
		return nil, wrap(err, "NewModel")
	}
	return m, nil
}

func (m *Model) check() error {
	if m == nil || m.values == nil {
		return errorf(ErrZeroValue, "nil or zero Model (make one with NewModel or Load)")
	}
	return nil
}

// Config returns the configuration with every default filled in.
func (m *Model) Config() (Config, error) {
	if err := m.check(); err != nil {
		return Config{}, err
	}
	return m.cfg, nil
}

// Dim returns the length of one input sample, SetSize·In (0 for a zero
// Model).
func (m *Model) Dim() int {
	if m.check() != nil {
		return 0
	}
	return m.cfg.SetSize * m.cfg.In
}

// net is the Model's graph for batches of one size.
type net struct {
	g            *G.ExprGraph
	x, y         *G.Node // inputs (batch, SetSize, In) and targets (batch, Out)
	xData, yData []float64
	out, loss    *G.Node
	params       []*G.Node
}

// graph builds the network for batches of size batch, with the loss if
// withLoss, its parameters holding m.values (or freshly drawn ones when
// m.values is nil).
func (m *Model) graph(batch int, withLoss bool) (*net, error) {
	c := m.cfg
	g := G.NewGraph()
	n := &net{g: g, xData: make([]float64, batch*c.SetSize*c.In)}
	n.x = G.NewTensor(g, tensor.Float64, 3, G.WithShape(batch, c.SetSize, c.In), G.WithName("hopfield_model_x"),
		G.WithValue(tensor.New(tensor.WithShape(batch, c.SetSize, c.In), tensor.WithBacking(n.xData))))
	lc := c.Layer
	lc.Seed = c.Seed
	b := build.New(g, "hopfield")
	var pooled *G.Node
	var width int
	switch c.Arch {
	case LayerArch:
		l, err := NewHopfieldLayer(g, c.In, c.Patterns, lc)
		if err != nil {
			return nil, err
		}
		z, err := l.Forward(n.x)
		if err != nil {
			return nil, err
		}
		pooled, width = b.Mean(z, 1), lc.DimV
		n.params = l.Params()
	case PoolingArch:
		p, err := NewHopfieldPooling(g, c.In, c.Queries, lc)
		if err != nil {
			return nil, err
		}
		z, err := p.Forward(n.x)
		if err != nil {
			return nil, err
		}
		width = c.Queries * lc.DimV
		pooled = b.Reshape(z, batch, width)
		n.params = p.Params()
	case SelfArch:
		h, err := NewHopfield(g, c.In, c.In, lc)
		if err != nil {
			return nil, err
		}
		z, err := h.Forward(n.x, n.x)
		if err != nil {
			return nil, err
		}
		pooled, width = b.Mean(z, 1), lc.DimV
		n.params = h.Params()
	}
	w, err := param(g, "hopfield_readout_w", width, c.Out, c.Seed, 7)
	if err != nil {
		return nil, err
	}
	bias := G.NewMatrix(g, tensor.Float64, G.WithShape(1, c.Out), G.WithName("hopfield_readout_b"),
		G.WithValue(tensor.New(tensor.WithShape(1, c.Out), tensor.WithBacking(make([]float64, c.Out)))))
	n.params = append(n.params, w, bias)
	n.out = b.BroadcastAdd(b.Mul(pooled, w), bias, nil, []byte{0})
	if withLoss {
		n.yData = make([]float64, batch*c.Out)
		n.y = G.NewMatrix(g, tensor.Float64, G.WithShape(batch, c.Out), G.WithName("hopfield_model_y"),
			G.WithValue(tensor.New(tensor.WithShape(batch, c.Out), tensor.WithBacking(n.yData))))
		switch c.Loss {
		case MSE:
			n.loss = b.Mean(b.Square(b.Sub(n.out, n.y)))
		case Logistic:
			n.loss = b.Mean(b.Softplus(b.Neg(b.HadamardProd(n.out, n.y))))
		case CrossEntropy:
			// LogSoftMax on the logits alone (a SoftMax of the same node
			// would be merged with it: see the package doc).
			ls := b.Do("log-softmax", func() (*G.Node, error) { return G.LogSoftMax(n.out, 1) })
			n.loss = b.Scale(-1/float64(batch), b.Sum(b.HadamardProd(ls, n.y)))
		}
	}
	if err := b.Err(); err != nil {
		return nil, err
	}
	if m.values != nil {
		if err := train.SetValues(n.params, m.values); err != nil {
			return nil, wrap(err, "parameters")
		}
	}
	return n, nil
}

// Data is a data set for a Model: sample i is X[i], SetSize elements of In
// values each, element after element, with targets Y[i] (Out values; ±1
// labels for the Logistic loss).
type Data struct {
	X [][]float64
	Y [][]float64
}

// checkX checks that every sample has Dim() finite values.
func (m *Model) checkX(x [][]float64) error {
	if len(x) == 0 {
		return errorf(ErrInput, "no samples")
	}
	d := m.cfg.SetSize * m.cfg.In
	for i, s := range x {
		if len(s) != d {
			return errorf(ErrInput, "sample %d has %d values, want SetSize·In = %d·%d = %d", i, len(s), m.cfg.SetSize, m.cfg.In, d)
		}
		for k, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errorf(ErrNotFinite, "sample %d value %d is %v", i, k, v)
			}
		}
	}
	return nil
}

// check checks d against the model.
func (m *Model) checkData(d Data) error {
	if err := m.checkX(d.X); err != nil {
		return err
	}
	if len(d.Y) != len(d.X) {
		return errorf(ErrInput, "Data has %d samples and %d targets", len(d.X), len(d.Y))
	}
	for i, y := range d.Y {
		if len(y) != m.cfg.Out {
			return errorf(ErrInput, "target %d has %d values, want Out = %d", i, len(y), m.cfg.Out)
		}
		for k, v := range y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errorf(ErrNotFinite, "target %d value %d is %v", i, k, v)
			}
			if m.cfg.Loss == Logistic && v != 1 && v != -1 {
				return errorf(ErrInput, "target %d is %v; the Logistic loss needs labels +1 or −1", i, v)
			}
		}
		if m.cfg.Loss == CrossEntropy {
			var sum float64
			for _, v := range y {
				if v < 0 {
					return errorf(ErrInput, "target %d has a negative probability %v", i, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > 1e-9 {
				return errorf(ErrInput, "target %d sums to %v; the CrossEntropy loss needs probabilities (one-hot labels)", i, sum)
			}
		}
	}
	return nil
}

// Predict returns the Model's outputs (Out values each; logits for the
// Logistic loss) for the samples x (each Dim() values).
func (m *Model) Predict(x [][]float64) ([][]float64, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := m.checkX(x); err != nil {
		return nil, err
	}
	n, err := m.graph(len(x), false)
	if err != nil {
		return nil, err
	}
	d := m.cfg.SetSize * m.cfg.In
	for i, s := range x {
		copy(n.xData[i*d:], s)
	}
	var out G.Value
	G.Read(n.out, &out)
	vm := G.NewTapeMachine(n.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, wrap(err, "Predict")
	}
	data, ok := out.Data().([]float64)
	if !ok || len(data) != len(x)*m.cfg.Out {
		return nil, errorf(ErrInput, "Predict: unexpected output %T", out.Data())
	}
	res := make([][]float64, len(x))
	for i := range res {
		res[i] = append([]float64(nil), data[i*m.cfg.Out:(i+1)*m.cfg.Out]...)
		for _, v := range res[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errorf(ErrNotFinite, "Predict: output of sample %d is %v", i, v)
			}
		}
	}
	return res, nil
}
