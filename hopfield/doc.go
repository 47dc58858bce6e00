// Package hopfield holds the Hopfield family of associative memories, from
// Hopfield (1982) to "Hopfield Networks is All You Need" (Ramsauer et al.
// 2020).
//
// Inductive bias: energy-based, hard, general. "Neighbour ⇒ connection":
// each unit is updated like a cell of an Ising model, from the field its
// neighbours make, and every update lowers (or samples from) an energy
// whose minima are the stored memories.
//
// # Models
//
//   - Network: the classical binary network (Hopfield 1982). Units ±1,
//     symmetric weights from Hebb's rule or Storkey's (1997) rule,
//     asynchronous or synchronous updates, recall until a fixed point.
//     Capacity about 0.138 N random patterns (Amit, Gutfreund and
//     Sompolinsky 1985).
//   - Continuous: graded units V = tanh(λu) following
//     τ du/dt = −u + W V + I (Hopfield 1984), integrated with the core's
//     ODE solvers; its Lyapunov energy never rises along a trajectory.
//
// # Rules
//
// States of binary units are []int8 holding +1 or −1; anything else is an
// error. Patterns must all have the same length N > 0. All randomness
// takes a seed. Bad input returns an error starting with "hopfield: ";
// nothing panics on user input.
package hopfield
