// Package internal is the root of physbias's shared core. Its subpackages
// hold what more than one bias needs: exact input derivatives on gorgonia,
// integrators, training loops, checkpoints, seeded random streams, samplers
// of binary units, BLAS selection and plotting. Packages outside this module
// cannot import them; each physbias package re-exports what its users need.
//
// # The public shape every package follows
//
// These are the conventions of every public package (hnn, lnn, pinn,
// hopfield, node, gnn, flows, energy, gcnn, ising where they apply). A user
// who has learned one package knows the names in the next.
//
// Model and configuration:
//   - New(..., cfg Config) (*Model, error) makes a model. Config describes
//     the model (architecture, activation, seed); TrainConfig describes the
//     optimisation (Steps, LR, BatchSize, WeightDecay, Seed, Progress,
//     TimeLimit). (*Model).Config() returns the Config with defaults filled
//     in.
//   - A zero field means the default written in its comment. Rates,
//     penalties and noise (WeightDecay, Noise, an L1 weight) are none at
//     zero in every package; a paper's values come from a preset function
//     (for example PaperTrainConfig()) and from the examples. A feature that
//     is on by default is turned off by a named field (NoXxx bool) or, for a
//     schedule of phases, by listing the phases (TrainConfig.Phases, nil
//     meaning the default schedule); never by −1. No field is silently
//     ignored: a field that cannot apply is an error.
//   - (*Model).Dim() is the length of the state or input vector the model
//     takes. A system struct names its number of coordinates Dof (a
//     field) and has a Dim() method for its state length (2·Dof for
//     (q, p) or (q, q̇)); a struct cannot have a field and a method of one
//     name, so the interface a rollout takes (hnn.Field, lnn.Dynamics)
//     asks for Dim().
//   - Every exported method on a zero value returns an error matching
//     fail.ErrZeroValue, never panics.
//
// Training:
//   - (*Model).Train(ctx context.Context, data, tc TrainConfig) (History,
//     error). Cancelling ctx stops after the current step: Train returns the
//     history so far and an error matching context.Canceled, and the model
//     keeps the parameters of the last completed step. TrainConfig.TimeLimit
//     (0 means none) stops the same way without an error, with History.Stop
//     "time limit".
//   - Progress: type Progress = train.Progress re-exported, a
//     TrainConfig.Progress func(Progress) field, and ProgressBar(w, label)
//     re-exported to make one.
//   - How: pass ctx as train.Config.Context, TrainConfig.TimeLimit as
//     train.Config.TimeLimit and the package name as train.Config.Prefix;
//     return train.Run's error as it is (its message already starts with
//     the package name, and it matches ErrNotFinite, ErrInput or
//     context.Canceled). A nil ctx is an error matching ErrInput (use
//     context.Background()). A History re-exported as
//     type History = train.History keeps Stop ("step limit", "time limit",
//     L-BFGS's status).
//   - The first NaN or Inf in a loss or gradient stops training with an
//     error matching ErrNotFinite that names the step.
//
// Save and load:
//   - (*Model).Save(w io.Writer) error, (*Model).SaveFile(path) error,
//     Load(r io.Reader) (*Model, error), LoadFile(path) (*Model, error).
//     The file holds a kind tag, the Config and the parameters bit for bit
//     (internal/train's checkpoint format); a model loaded into a fresh
//     process predicts bit-identically. A truncated, corrupted or foreign
//     file is an error matching ErrCorrupt.
//   - How: train.SaveModel(w, "<pkg>.<Type> v<N>", cfg, params) with the
//     Config as New got it after defaults; Load calls train.ReadModel(r,
//     kind, &cfg), New(cfg) (an error there is reported as ErrCorrupt: the
//     file's Config is not a valid one), then ModelFile.LoadParams(params).
//     Bump v<N> when the parameters or the Config's meaning change. Config
//     fields must be JSON-encodable (no funcs; a user's func-valued
//     settings live outside Config, or the model does not save and Save
//     says so).
//
// A user's own system:
//   - A problem is a struct of functions (hnn.System, lnn.System,
//     node.Func, ...), so a user brings their own without touching the
//     package. A callback that panics is recovered (fail.Recover) and
//     returned as an error matching ErrCallback that names the callback; a
//     callback's result of the wrong shape is an error that gives the shape
//     the user's input implies.
//   - Simulate(sys System, cfg DataConfig) (*Dataset, error) makes data from
//     a system; the held-out part travels in the same Dataset (hnn's
//     TestX/TestDX/TestStart, lnn's Dataset.Test). DataConfig's sizes
//     (trajectories, points, length) have no default a user's system could
//     share: zero is an error that says so, and the package's own systems
//     carry the paper's values in System.Paper (cfg := sys.Paper).
//   - Randomness a user's callback needs comes from a seed the package
//     passes in, as a *rand.Rand of math/rand/v2 named in the field's doc
//     comment ("r is a math/rand/v2 generator seeded from DataConfig.Seed"),
//     so go doc shows which package it is.
//
// Rollouts and solvers:
//   - Rollout(f, x0 []float64, t1 float64, steps int, m Method)
//     (*Trajectory, error), Trajectory{T []float64, X [][]float64}. A rollout
//     that becomes NaN or Inf, or leaves a documented bound, returns the
//     partial trajectory and an error matching ErrDiverged or ErrNotFinite.
//   - Integrators are offered under the names RK4, Leapfrog, Yoshida4 and
//     DormandPrince; node exports the full set of solvers.
//   - Evaluate takes any field (a Model, the true System, a user's own)
//     and counts a rollout as diverged, leaving it out of the error means,
//     when its state stops being finite or its energy error passes
//     EvalConfig.DivergeEnergy (0 means 1000, in units of the package's
//     energy scale: 1 + |H₀| in hnn, E₀ − MinEnergy in lnn); Metrics
//     reports Rollouts and Diverged beside the means.
//   - How: internal/rollout implements it once. A package re-exports
//     type Method = rollout.Method, type Trajectory = rollout.Trajectory
//     and the constructors as functions RK4(), Leapfrog(), Yoshida4(),
//     DormandPrince(rtol, atol) (and ImplicitMidpoint() where a field is
//     Hamiltonian but not separable). The zero Method is an error, not a
//     default. x0 holds one state or several row after row (Dim values
//     each); X[i] has the same layout and T[i] = i·t1/steps. Leapfrog and
//     Yoshida4 are refused (ErrInput) unless the field declares itself
//     separable (a System field Separable bool; a learned model is not).
//
// Errors:
//   - A user input is checked where it enters (New, Train, Simulate,
//     Rollout) and reported in the user's terms: the field name, the shape
//     the user's input implies, never an internal probe's shape.
//   - Each package has an errors.go that re-exports the shared sentinels of
//     internal/fail it can return (ErrInput, ErrNotFinite, ErrDiverged,
//     ErrSingular, ErrCorrupt, ErrZeroValue, ErrCallback) and its typed
//     errors that carry data (lnn.SingularError). Its doc.go lists them.
//   - Messages start with the package's name once ("hnn: ..."); causes are
//     wrapped with %w (fail.Errorf), never %v, and prefixes do not stack:
//     a cause that starts with the package's own name (an error of New
//     reported by Load) is wrapped with fail.Wrap, or fail.Trim under %w.
//
// Graphs:
//   - Graph-building code keeps the first error in one builder,
//     internal/build (b := build.New(g, "pkg"); ...; b.Err()), no 100-line
//     if-err ladders, and returns it once. Use its Slice and Concat: they
//     refuse what gorgonia's modulo-256 slice hash would silently get wrong.
//   - Input derivatives of an MLP come from internal/ad's fused path;
//     derivatives of any other graph from internal/grad, the core's own
//     reverse pass (gorgonia's nested Grad is wrong).
//
// Plots: PNG files named <package>-<what>.png, axis labels in words with
// units, legends that do not cover the curves; internal/plotting draws
// line plots and heat maps and smooths a loss curve (RunningMean).
//
// Benchmarks report CPU time beside wall time (internal/cputime); custom
// gorgonia Ops read their inputs and pick their output buffer with
// internal/opbuf.
package internal
