// Package pinn holds physics-informed neural networks (Raissi, Perdikaris
// and Karniadakis 2019, J. Comput. Phys. 378, 686–707): a network u(x, t; θ)
// fits data and initial and boundary conditions while the residual of a
// known PDE is penalised at collocation points, for forward problems
// (solve the PDE) and inverse ones (learn unknown coefficients from
// observations).
//
// Inductive bias: differential equations; soft (the PDE is a penalty, not
// a constraint of the architecture), explicit (the user writes the PDE),
// application-specific (one network per PDE and domain). Boundary and
// initial conditions can be soft (penalties) or hard: the output transform
// u = g + d(p)·N(p), with d vanishing on the constrained faces, meets them
// exactly for every θ.
//
// # Using it
//
// A Problem is a Domain (a box in space, optionally times a time interval;
// a point is p = (x_1, …, x_d, t)), a ResidualFunc, Conditions (Dirichlet,
// Neumann, Periodic, Initial), optional Data and optional Unknowns. The
// residual is written with the Fields it is given: u, u_t, u_x, u_xx,
// second and mixed derivatives, the Laplacian, coordinates, source terms
// and unknown coefficients, each a (B, 1) gorgonia node (coefficients are
// scalars), combined with the Fields helpers or any gorgonia op:
//
//	Residual: func(f *pinn.Fields) (*G.Node, error) { // Burgers
//		return f.Sub(f.Add(f.Ut(), f.Mul(f.U(), f.Ux(0))), f.Scale(nu, f.Uxx(0))), nil
//	}
//
// New draws the points (Latin hypercube or uniform; collocation, per face,
// initial), builds the network and the loss Σ w_k·mean(r_k²), and Train runs
// Adam then full-batch L-BFGS, as the paper does. Refine adds collocation
// points where the residual is largest (residual-based adaptive
// refinement). Predict and Residual evaluate the trained model; Coef reads
// a learned coefficient.
//
// # Rules
//
// The derivatives are exact: forward jets through the network built as
// gorgonia nodes (internal/ad), never nested Grad. Inputs are scaled to
// [−1, 1] inside the model and derivatives are returned in the domain's
// coordinates. Under hard constraints the lift g must be smooth: its
// derivatives are taken by 4th-order finite differences at fixed points,
// once. Neumann and periodic conditions stay penalties in both modes.
//
// The residual is called once on a small probe graph (to learn which
// derivatives it needs and to check that it returns one value per point)
// and then once per graph built. Every input is validated: an empty domain,
// no collocation points, NaN data or condition values, a residual of the
// wrong shape return an error starting with "pinn: "; training stops with
// an error at the first NaN or Inf. The same Config.Seed gives the same
// points, weights and result.
//
// The package also holds the reference solutions its tests and examples
// are judged against: Burgers by the Cole–Hopf transform with Gauss–Hermite
// quadrature (checked against a finite-difference solve and the published
// steepest slope 152.00516 of Basdevant et al. 1986), and the heat equation
// in closed form.
package pinn
