// Package hopfield holds the Hopfield family of associative memories, from
// Hopfield (1982) to "Hopfield Networks is All You Need" (Ramsauer et al.
// 2020), including modern Hopfield layers for gorgonia models.
//
// Inductive bias: energy-based, hard, general. "Neighbour ⇒ connection":
// every unit is updated like a cell of an Ising model, from the field its
// neighbours make, and every update lowers (or samples from) an energy
// whose minima are the stored memories. The bias is hard (the dynamics
// are the model) and explicit (the energy is written down).
//
// # Models
//
//   - Network: the classical binary network (Hopfield 1982). Units ±1,
//     symmetric weights from Hebb's rule (StoreHebbian) or Storkey's 1997
//     rule (StoreStorkey), asynchronous (random order, the energy never
//     rises) or synchronous updates (may end in a two-cycle), Recall until
//     a fixed point or a sweep limit. Capacity about 0.138 N random
//     patterns (Amit, Gutfreund and Sompolinsky 1985); correlated patterns
//     (images) break it much sooner.
//   - Continuous: graded units V = tanh(λu) following
//     τ du/dt = −u + W V + I (Hopfield 1984), integrated with the core's
//     ODE solvers (RK4, or adaptive Dormand–Prince); its Lyapunov energy
//     never rises along a trajectory.
//   - Boltzmann: stochastic ±1 units at temperature T, p(s) ∝ exp(−E/T):
//     an Ising spin glass on a weighted graph, sampled by Gibbs (heat-bath)
//     sweeps from the core's spin package, with the exact distribution by
//     enumeration for small N. Network.Boltzmann(T) gives the classical
//     network at temperature T. Fit learns couplings and biases with the
//     Boltzmann learning rule (Ackley, Hinton and Sejnowski 1985), from
//     exact or persistent-Gibbs model statistics.
//   - Modern: the dense network with continuous states, update
//     ξ ← Xᵀ softmax(β X ξ) and energy
//     E = −β⁻¹ log Σ exp(β x_μᵀξ) + ½ξᵀξ + β⁻¹ log P + ½M². Batched
//     retrieval (UpdateBatch) is two matrix products per block of queries
//     on the core's GEMM, with the softmax's exps vectorized.
//
// # Layers for gorgonia models
//
// Associate(Q, K, V, β) = softmax(β Q Kᵀ) V is one modern Hopfield update
// as a graph op. The three layers of Ramsauer et al. build on it, each with
// its own trainable parameters (Params), for use inside larger models
// trained by gradient descent:
//
//   - Hopfield: given state patterns R and stored patterns Y, learned
//     projections W_Q, W_K, W_V (self- or cross-attention);
//   - HopfieldPooling: learned state (query) patterns pool a set Y
//     (permutation invariant; multiple-instance learning);
//   - HopfieldLayer: learned stored patterns K and values V, queried by
//     the input R.
//
// Each update (Associate, and HopfieldPooling's own) is one fused op with
// a hand-written backward pass (internal/attention), several times faster
// than the graph of gorgonia ops it replaced (BenchmarkAssociate): it is
// differentiable once, and a second derivative through it is an error.
//
// # Training a layer without a solver loop
//
// Model wraps one of the three layers for a user's own data: samples are
// sets of Config.SetSize elements of dimension Config.In; the layer
// (Config.Arch: LayerArch, PoolingArch or SelfArch) is followed by pooling
// over the set and a linear read-out to Config.Out outputs, trained with
// the MSE, Logistic or CrossEntropy loss by Train(ctx, Data, TrainConfig)
// (Adam on minibatches; a context cancels, TimeLimit caps the wall time,
// Progress and ProgressBar report; the loss gradients of every Arch are
// checked against finite differences). Predict evaluates it; Save and Load keep it bit
// for bit. Inside a gorgonia model of one's own, use the layers directly
// and train the graph with TrainGraph (an Objective: graph, loss,
// parameters, optional Feed for minibatches; the same TrainConfig), and
// keep its weights with SaveParams and LoadParams.
//
// LayerConfig.Normalize layer-normalises the patterns given to a layer,
// as the paper's layers do by default. The gradients of all three layers
// (with and without normalisation) are checked against finite
// differences, and so are gorgonia's SoftMax along axes 1 and 2 and
// BatchedMatMul's backward for the transpositions used. Three gorgonia
// v0.9.18 pitfalls are kept as tests: LogSoftMax after SoftMax on the same
// node is deduplicated into the SoftMax node; InverseSqrt's gradient is
// wrong; an elementwise binary op on a Reshape of an input node
// overwrites the input.
//
// # Rules
//
// States of binary units are []int8 holding +1 or −1; anything else is an
// error. Patterns must all have the same length N > 0; β, T, gains and
// time constants must be positive and finite. All randomness takes a seed
// (internal/rng). Bad input returns an error starting with "hopfield: ";
// nothing panics on user input. Layer inputs are float64 tensors of shape
// (batch, patterns, dim); two layers of one kind in a graph need distinct
// LayerConfig.Name values (the names key the parameters).
//
// # Errors
//
// Every error starts with "hopfield: " once and matches one of these with
// errors.Is (causes are wrapped with %w):
//
//   - ErrInput: a bad argument (patterns of different lengths or with
//     values other than ±1, β, T, gains or time constants not positive and
//     finite, shapes a layer cannot take, a Config or TrainConfig field out
//     of range, data of the wrong size);
//   - ErrNotFinite: NaN or Inf in patterns, states, weights or data, and
//     the first NaN or Inf loss or gradient in Model.Train (naming the
//     step);
//   - ErrCorrupt: a saved Model that is truncated, corrupted or not a
//     hopfield model;
//   - ErrZeroValue: a method of a nil or zero Network, Modern, Boltzmann,
//     Continuous, layer or Model.
//
// An error returned by a Sample visit function is returned as it is. A
// cancelled context gives an error matching context.Canceled.
package hopfield
