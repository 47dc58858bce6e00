// Package energy holds energy-based models: learn an energy E(x) (or
// E(y, x)) that is low on data and high elsewhere (LeCun, Chopra, Hadsell,
// Ranzato & Huang 2006, "A tutorial on energy-based learning"; Hinton 2002,
// contrastive divergence).
//
// Inductive bias: energy-based, soft, general. The model is a density
// p(x) ∝ exp(−E(x)) or a compatibility E(y, x) whose minimum over y is the
// answer; nothing is hard-wired into the architecture: training pushes the
// energy down on data and up on samples of the model (contrastive
// divergence) or on the most offending wrong answers (contrastive losses).
//
// # Restricted Boltzmann machines
//
// RBM has binary hidden units and binary or unit-variance Gaussian visible
// units (Config.Units), and trains by CD-k (Hinton 2002) or persistent CD
// (Tieleman 2008) with Train. Its Gibbs steps are the heat-bath conditional
// of internal/spin (shared with ising and hopfield: spin.UpProbability is
// the logistic σ), applied to a whole layer of a batch of chains at once
// with two matrix products (OpenBLAS with the build tag openblas) and one
// pass that adds the bias, takes σ (AVX2 assembly on amd64, within 5e-16 of
// spin.UpProbability) and draws the units; the products go through the
// core's Gemm (its AVX2/FMA kernel, or OpenBLAS under -tags openblas).
// TrainConfig.Float32 runs them in single precision: about 1.4 times as
// fast with OpenBLAS (a CD-1 update of a 784×500 RBM at batch 100: 6.2
// against 8.7 CPU-ms, scikit-learn's BernoulliRBM 19–20 ms; see
// bench/energy_sklearn.sh), slower in the pure-Go build, whose float32
// products are gonum's (14.5 against 11.7 ms).
// LogPartition gives log Z exactly for small models (at most 2^24 states of
// the smaller layer); AIS estimates it by annealed importance sampling
// (Salakhutdinov & Murray 2008) with a ±3σ error bar; LogLikelihood turns
// log Z into the mean log-probability of data. BarsAndStripes makes
// MacKay's toy data, whose best log-likelihood is known.
//
// AIS's estimate of Z is unbiased, so its log Z tends to be low and the
// log-likelihood it gives high, most of all with short schedules, and its
// bar need not show it. RAISE (Burda, Grosse & Salakhutdinov 2015) runs
// the same annealing backwards from data rows and gives a stochastic lower
// bound on their log-probability under the annealing model (the model
// whose samples forward AIS draws), which tends to the RBM as the schedule
// grows; its RAISEResult.LogZ, used with LogLikelihood on a whole test set,
// is the conservative side of the bracket. Measured on a CD-1-trained
// 64×20 RBM, 2^20 hidden states enumerated (TestAISAndRAISEBracketTrainedRBM):
// with 1,000 inverse temperatures AIS's log Z is 0.08 nats low (se 0.11)
// and RAISE's 0.27 low (se 0.05); with 100, AIS's is 0.58 low, outside its
// own ±3σ bar, and RAISE's 0.14 high. So RAISE is not a bound on the RBM
// itself: when the annealing model fits the data better than the RBM
// (here by 0.27 nats at 1,000 temperatures, 0.02 at 10,000) its
// log-likelihood errs high too.
//
// Measured (go test -v -run BarsAndStripes): on 3×3 bars and stripes with 16
// hidden units and 10,000 updates, persistent CD reaches an exact
// log-likelihood of −2.786 nats against the best possible −log 14 = −2.639
// (gap 0.147), CD-1 −3.092 (gap 0.453). AIS agrees with enumeration within
// its bar (−0.013 and −0.004 nats off, bars ±0.08).
//
// # Langevin sampling and MLP energies
//
// Langevin samples exp(−E/T) for a user's Energy (a struct of functions:
// E and ∇ₓE), unadjusted or Metropolis-adjusted. MLPEnergy is an MLP
// energy on ℝ^Dim trained as Du & Mordatch (2019) do: negatives from short
// Langevin runs started from a replay buffer, loss ⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ plus
// an optional α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩). Its ∇ₓE is the core's exact input
// gradient of the MLP (internal/ad's reverse pass, batched here and checked
// against ad.Dense).
//
// # A user's own energy network
//
// NewNetwork makes a trainable energy of any gorgonia graph E(x; θ) a user
// writes (a Network, or a NetworkFunc: a quadratic form, skip connections,
// any of gorgonia's differentiable ops), not only the built-in MLP. Its
// ∇ₓE is the core's exact reverse pass over the user's graph
// (internal/grad), so NetworkEnergy samples by Langevin (Langevin, or
// AsEnergy for the function Langevin), trains as MLPEnergy does (Train with
// an MLPTrainConfig: Langevin negatives from a replay buffer), and saves
// its parameters bit for bit (Save; LoadNetwork takes the same Network
// again, since a file cannot hold code). Tested on networks the package
// does not ship: ∇ₓE matches central differences to 7e-11; Langevin on a
// user's Gaussian energy ½(x − μ)ᵀA(x − μ) gives mean μ and covariance A⁻¹
// within 4 standard errors; trained on Gaussian data, the same energy
// reaches the maximum-likelihood mean and covariance within 0.03 and 0.05.
//
// # Contrastive losses
//
// Conditional is an energy E(y, x) (an MLP on [x, y], or a user's Network
// on [x, y] with NewConditionalNetwork) trained with one of
// the framework's losses (Loss: energy, perceptron, hinge, log,
// square-square, square-exponential), each taking the most offending
// incorrect answer among a finite set of candidates; Loss.Value gives a
// loss and its derivatives for any pair of energies.
//
// # Rules
//
// Data are rows ([][]float64) of the model's dimension; binary RBMs take 0
// and 1 only. A Config's or TrainConfig's zero fields mean the defaults in
// their comments. Train methods take a context (cancelling stops after the
// current step), report progress through TrainConfig.Progress (see
// ProgressBar) and stop at the first NaN or Inf. Models save and load bit
// for bit (Save, Load, LoadMLP, LoadConditional, LoadNetwork); persistent
// chains and the replay buffer are not saved. All randomness takes a seed.
//
// # Errors
//
// Functions return errors (never panic on user input) whose messages start
// with "energy: " and that match, with errors.Is, the shared sentinels
// ErrInput (bad sizes, shapes, configs, k < 1, non-binary data for binary
// units), ErrNotFinite (NaN or Inf data, states, losses or parameters),
// ErrCorrupt (a file Load cannot read), ErrZeroValue (a method on a model
// not made by New or Load) and ErrCallback (a user's energy function or
// Network that panicked, failed or returned the wrong shape); a cancelled context gives an error matching context.Canceled.
package energy
