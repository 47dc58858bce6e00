// multispin.c: the C reference for physbias's Ising multi-spin kernel
// (ising/multispin.go), the same algorithm written for gcc -O3
// -march=native, to measure how close the Go kernel comes to C.
//
// Algorithm (as in the Go kernel, for L a multiple of 128):
//   - 2D L×L periodic square lattice, J = 1, h = 0, checkerboard Metropolis.
//   - Multi-spin coding: the sites of colour t ((x+y) mod 2 = t) form an
//     L × L/2 array (y, k), x = 2k + ((y+t) mod 2); word (y, wk), wk < Sk =
//     L/128, holds in bit c the site k = wk + c·Sk. Of a site's four
//     neighbours (all of the other colour), up and down sit at the same bit
//     of the word in the row above and below, one horizontal neighbour at
//     the same bit of the word (y, wk) and the other at the same bit of
//     (y, wk∓1) — across the row's ends, rotated by one bit.
//   - Exact per-spin Metropolis: bit-sliced adders count k, the number of
//     aligned neighbours; spins with k ≤ 2 flip; k = 3 flips with p_a =
//     exp(−4/T), k = 4 with p_b = exp(−8/T). Each lane compares a uniform
//     64-bit number with floor(p·2^64) bit by bit from the top, one random
//     word per bit for all 64 lanes; the loop stops when every lane is
//     decided (exact to 2^−64).
//   - RNG: wyrand (one add and one 64×64→128 multiply a draw), one stream
//     per stripe of rows; stripes are split over OpenMP threads.
//
// Usage:
//   multispin bench L T sweeps threads       prints flips_per_ns and cpu_ns_per_flip
//   multispin validate                       checks e and |m| against Onsager
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint64_t u64;
typedef unsigned __int128 u128;

#define WY_INC 0xa0761d6478bd642fULL
#define WY_MIX 0xe7037ed1a0b428dbULL

static inline u64 splitmix(u64 x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static inline u64 wy_next(u64 *s) {
  *s += WY_INC;
  u128 p = (u128)(*s) * (u128)(*s ^ WY_MIX);
  return (u64)(p >> 64) ^ (u64)p;
}

static inline u64 rotl(u64 x, int r) { return (x << r) | (x >> (64 - r)); }
static inline u64 rotr(u64 x, int r) { return (x >> r) | (x << (64 - r)); }

typedef struct {
  int L, Sy, Sk, stripes;
  u64 *w[2];
  u64 *rng; // one stream per stripe, padded to a cache line
  u64 *scratch; // per stripe: masks ma, mb of one row (2·Sk words)
  u64 pa, pb;
  u64 tab[64][2];
} lattice;

static u64 threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return ~0ULL;
  return (u64)(p * 18446744073709551616.0);
}

static void set_temperature(lattice *m, double T) {
  m->pa = threshold(exp(-4.0 / T));
  m->pb = threshold(exp(-8.0 / T));
  for (int b = 0; b < 64; b++) {
    m->tab[b][0] = -((m->pa >> b) & 1);
    m->tab[b][1] = -((m->pb >> b) & 1);
  }
}

static lattice *new_lattice(int L, double T, u64 seed, int hot) {
  if (L % 128 != 0) {
    fprintf(stderr, "L must be a multiple of 128\n");
    exit(2);
  }
  lattice *m = calloc(1, sizeof *m);
  m->L = L;
  m->Sy = L;
  m->Sk = L / 128;
  m->stripes = L < 64 ? L : 64;
  size_t nw = (size_t)m->Sy * m->Sk;
  for (int t = 0; t < 2; t++) m->w[t] = aligned_alloc(64, nw * 8 + 64);
  m->rng = aligned_alloc(64, (size_t)m->stripes * 64);
  m->scratch = aligned_alloc(64, (size_t)m->stripes * (2 * m->Sk * 8 + 64));
  for (int k = 0; k < m->stripes; k++)
    m->rng[8 * k] = splitmix(splitmix(seed) ^ splitmix((u64)k + 1 + 0x632be59bd9b4e019ULL));
  u64 s = splitmix(seed ^ 0x1234567);
  for (int t = 0; t < 2; t++)
    for (size_t i = 0; i < nw; i++) m->w[t][i] = hot ? wy_next(&s) : ~0ULL;
  set_temperature(m, T);
  return m;
}

// accept_row flips the spins of one row: lanes in ma draw against pa,
// lanes in mb against pb, all other lanes flip. Two words at a time so the
// two dependency chains overlap; the first 8 bits unconditionally.
static inline void accept_row(u64 *restrict row, const u64 *restrict ma, const u64 *restrict mb,
                              int n, const u64 (*tab)[2], u64 *rs) {
  u64 st = *rs;
  int wk = 0;
  for (; wk + 1 < n; wk += 2) {
    u64 ma0 = ma[wk], mb0 = mb[wk], ma1 = ma[wk + 1], mb1 = mb[wk + 1];
    u64 eq0 = ma0 | mb0, eq1 = ma1 | mb1, lt0 = 0, lt1 = 0;
    int bit = 63;
#define STEP                                                   \
  do {                                                         \
    st += WY_INC;                                              \
    u128 p0 = (u128)st * (u128)(st ^ WY_MIX);                  \
    st += WY_INC;                                              \
    u128 p1 = (u128)st * (u128)(st ^ WY_MIX);                  \
    u64 u0 = (u64)(p0 >> 64) ^ (u64)p0, u1 = (u64)(p1 >> 64) ^ (u64)p1; \
    u64 ta = tab[bit][0], tb = tab[bit][1];                    \
    u64 th0 = (ma0 & ta) | (mb0 & tb), th1 = (ma1 & ta) | (mb1 & tb); \
    lt0 |= eq0 & th0 & ~u0;                                    \
    lt1 |= eq1 & th1 & ~u1;                                    \
    eq0 &= ~(th0 ^ u0);                                        \
    eq1 &= ~(th1 ^ u1);                                        \
  } while (0)
    for (; bit >= 56; bit--) STEP;
    for (; bit >= 0 && (eq0 | eq1); bit--) STEP;
#undef STEP
    row[wk] ^= ~(ma0 | mb0) | lt0;
    row[wk + 1] ^= ~(ma1 | mb1) | lt1;
  }
  if (wk < n) {
    u64 ma0 = ma[wk], mb0 = mb[wk], eq = ma0 | mb0, lt = 0;
    for (int bit = 63; bit >= 0 && eq; bit--) {
      u64 u = wy_next(&st);
      u64 th = (ma0 & tab[bit][0]) | (mb0 & tab[bit][1]);
      lt |= eq & th & ~u;
      eq &= ~(th ^ u);
    }
    row[wk] ^= ~(ma0 | mb0) | lt;
  }
  *rs = st;
}

// stripe updates the rows of colour t in stripe k.
static void stripe(lattice *m, int t, int k) {
  const int Sy = m->Sy, Sk = m->Sk;
  int y0 = k * Sy / m->stripes, y1 = (k + 1) * Sy / m->stripes;
  u64 *tw = m->w[t];
  const u64 *ow = m->w[1 - t];
  u64 *ma = m->scratch + (size_t)k * (2 * Sk + 8), *mb = ma + Sk;
  u64 rs = m->rng[8 * k];
  for (int y = y0; y < y1; y++) {
    u64 *row = tw + (size_t)y * Sk;
    const u64 *same = ow + (size_t)y * Sk;
    const u64 *up = ow + (size_t)((y + Sy - 1) % Sy) * Sk;
    const u64 *dn = ow + (size_t)((y + 1) % Sy) * Sk;
    int left = ((y + t) & 1) == 0;
    for (int wk = 0; wk < Sk; wk++) {
      u64 s = row[wk], nu = up[wk], nd = dn[wk], nh = same[wk], nx;
      if (left)
        nx = wk > 0 ? same[wk - 1] : rotl(same[Sk - 1], 1);
      else
        nx = wk < Sk - 1 ? same[wk + 1] : rotr(same[0], 1);
      u64 a1 = ~(s ^ nu), a2 = ~(s ^ nd), a3 = ~(s ^ nh), a4 = ~(s ^ nx);
      u64 x1 = a1 ^ a2, y1 = a1 & a2, x2 = a3 ^ a4, y2 = a3 & a4;
      u64 b0 = x1 ^ x2, c0 = x1 & x2;
      u64 b1 = y1 ^ y2 ^ c0, b2 = y1 & y2;
      (void)b0;
      ma[wk] = b1 & b0; // k = 3
      mb[wk] = b2;      // k = 4
    }
    accept_row(row, ma, mb, Sk, (const u64(*)[2])m->tab, &rs);
  }
  m->rng[8 * k] = rs;
}

static void sweep(lattice *m) {
  for (int t = 0; t < 2; t++) {
#pragma omp parallel for schedule(static)
    for (int k = 0; k < m->stripes; k++) stripe(m, t, k);
  }
}

// energy_mag returns the energy and magnetization per spin.
static void energy_mag(lattice *m, double *e, double *mag) {
  const int Sy = m->Sy, Sk = m->Sk;
  long ups = 0, aligned = 0;
  for (int t = 0; t < 2; t++)
    for (long i = 0; i < (long)Sy * Sk; i++) ups += __builtin_popcountll(m->w[t][i]);
  for (int y = 0; y < Sy; y++) {
    const u64 *row = m->w[0] + (size_t)y * Sk, *same = m->w[1] + (size_t)y * Sk;
    const u64 *up = m->w[1] + (size_t)((y + Sy - 1) % Sy) * Sk;
    const u64 *dn = m->w[1] + (size_t)((y + 1) % Sy) * Sk;
    int left = (y & 1) == 0;
    for (int wk = 0; wk < Sk; wk++) {
      u64 s = row[wk], nx;
      if (left)
        nx = wk > 0 ? same[wk - 1] : rotl(same[Sk - 1], 1);
      else
        nx = wk < Sk - 1 ? same[wk + 1] : rotr(same[0], 1);
      aligned += __builtin_popcountll(~(s ^ up[wk])) + __builtin_popcountll(~(s ^ dn[wk])) +
                 __builtin_popcountll(~(s ^ same[wk])) + __builtin_popcountll(~(s ^ nx));
    }
  }
  double n = (double)m->L * m->L;
  *e = -(2.0 * aligned - 2.0 * n) / n;
  *mag = (2.0 * ups - n) / n;
}

static double now(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Onsager's energy per spin, with K(κ) by the arithmetic-geometric mean.
static double onsager_energy(double T) {
  double b = 1 / T, ch = cosh(2 * b), k = 2 * sinh(2 * b) / (ch * ch);
  double t = tanh(2 * b), a = 1, g = sqrt(1 - k * k);
  for (int i = 0; i < 60; i++) {
    double an = (a + g) / 2;
    g = sqrt(a * g);
    a = an;
  }
  double K = M_PI / (2 * a);
  return -(1 / t) * (1 + (2 / M_PI) * (2 * t * t - 1) * K);
}

static double onsager_mag(double T) {
  if (T >= 2.269185314213022) return 0;
  double sh = sinh(2 / T);
  return pow(1 - 1 / (sh * sh * sh * sh), 0.125);
}

// validate runs L = 256 at T = 2.0 and 2.5 and L = 512 at T = 1.8 (cold
// starts below T_c, hot above) and compares e and |m| (T < T_c) with
// Onsager; error bars from 20 bins of 1000 sweeps each after 2000 sweeps
// of equilibration. Finite-size corrections are exponentially small this
// far from T_c.
static int validate(void) {
  struct { int L; double T; } cases[] = {{256, 2.0}, {256, 2.5}, {512, 1.8}};
  int bad = 0;
  for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    int L = cases[c].L;
    double T = cases[c].T;
    lattice *m = new_lattice(L, T, 7 + c, T > 2.269185314213022); // cold start below T_c
    for (int i = 0; i < 2000; i++) sweep(m);
    enum { BINS = 20, PER = 1000 };
    double eb[BINS], mb[BINS];
    for (int b = 0; b < BINS; b++) {
      double se = 0, sm = 0;
      for (int i = 0; i < PER; i++) {
        sweep(m);
        double e, mg;
        energy_mag(m, &e, &mg);
        se += e;
        sm += fabs(mg);
      }
      eb[b] = se / PER;
      mb[b] = sm / PER;
    }
    double qs[2][2];
    for (int q = 0; q < 2; q++) {
      double *x = q ? mb : eb, mean = 0, var = 0;
      for (int b = 0; b < BINS; b++) mean += x[b];
      mean /= BINS;
      for (int b = 0; b < BINS; b++) var += (x[b] - mean) * (x[b] - mean);
      qs[q][0] = mean;
      qs[q][1] = sqrt(var / (BINS - 1) / BINS);
    }
    double exact[2] = {onsager_energy(T), onsager_mag(T)};
    const char *name[2] = {"e", "|m|"};
    for (int q = 0; q < 2; q++) {
      if (q == 1 && T > 2.269185314213022) continue; // |m| ~ L^-1 above T_c, not 0
      double z = fabs(qs[q][0] - exact[q]) / qs[q][1];
      int ok = z < 4;
      bad += !ok;
      printf("validate L=%d T=%.2f %s=%.6f ± %.6f onsager=%.6f (%.1f sd) %s\n", L, T, name[q],
             qs[q][0], qs[q][1], exact[q], z, ok ? "ok" : "FAIL");
    }
  }
  return bad;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 2 && strcmp(argv[1], "validate") == 0) return validate() ? 1 : 0;
  if (argc < 6 || strcmp(argv[1], "bench")) {
    fprintf(stderr, "usage: %s bench L T sweeps threads | %s validate\n", argv[0], argv[0]);
    return 2;
  }
  int L = atoi(argv[2]), sweeps = atoi(argv[4]), threads = atoi(argv[5]);
  double T = atof(argv[3]);
  omp_set_num_threads(threads);
  lattice *m = new_lattice(L, T, 1, 1);
  for (int i = 0; i < 20; i++) sweep(m); // warm up
  double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < sweeps; i++) sweep(m);
  double w1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
  double e, mg;
  energy_mag(m, &e, &mg);
  double flips = (double)sweeps * L * L;
  printf("c L=%d T=%.6f threads=%d flips_per_ns=%.4f cpu_ns_per_flip=%.5f e=%.5f\n", L, T, threads,
         flips / ((w1 - w0) * 1e9), (c1 - c0) * 1e9 / flips, e);
  return 0;
}
