/*
 * Hand-written fused C baselines for the six lossc reference workloads:
 * value + every gradient in one call, float32 data, float64 accumulation,
 * OpenMP threads, buffers allocated and first-touched once and reused.
 *
 *   gcc -O3 -march=native -mprefer-vector-width=512 -ffast-math -fopenmp \
 *       benches/baseline.c -o baseline -lm
 *   OMP_NUM_THREADS=2 ./baseline WORKLOAD [N] [REPEAT] [DIM]
 *
 * WORKLOAD is one of w1..w6 (or mse, bce, focal, seg, cce, huber):
 *   w1 mse            N = 2^24                 1 pass: read pred, target; write grad
 *   w2 bce (logits)   N = 2^24                 1 pass
 *   w3 focal gamma=2  N = 2^24                 1 pass
 *   w4 0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2 N = 2^24, DIM = K = 2^20
 *                                              2 passes: Dice's sums, then gradients
 *   w5 sparse_cce     N = 8192 rows, DIM = C = 1000 classes, int64 labels
 *                                              per row: max, sum exp, gradient
 *   w6 huber delta=1  N = 2^24                 1 pass
 *
 * Inputs follow `lossc --random`'s distributions (not its exact numbers):
 * logits / predictions 2*normal, binary targets Bernoulli(0.3), params
 * 0.1*normal, labels uniform over the classes.
 *
 * -ffast-math lets gcc call glibc's vector expf/logf/log1pf (libmvec) and
 * reorder the reductions; the results agree with the lossc reference
 * evaluator to about 1e-6 relative, which is all a speed baseline needs.
 *
 * Prints one JSON object: eval_ms_median, eval_ms_min, value, threads, ...
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void *xalloc(size_t bytes) {
    void *p = aligned_alloc(64, ((bytes + 63) / 64) * 64);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

/* splitmix64 per element index: deterministic and parallel-friendly. */
static inline uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
static inline double unif(uint64_t seed, uint64_t i) { return ((mix(seed * 0x100000001b3ULL + i) >> 11) + 0.5) * 0x1.0p-53; }
static inline double normal(uint64_t seed, uint64_t i) {
    double u1 = unif(seed, 2 * i), u2 = unif(seed, 2 * i + 1);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static float *make_normal(long n, double scale, uint64_t seed) {
    float *v = xalloc(n * sizeof(float));
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) v[i] = (float)(scale * normal(seed, i));
    return v;
}
static float *make_binary(long n, uint64_t seed) {
    float *v = xalloc(n * sizeof(float));
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) v[i] = unif(seed, i) < 0.3 ? 1.0f : 0.0f;
    return v;
}
static float *make_zero(long n) {
    float *v = xalloc(n * sizeof(float));
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) v[i] = 0.0f;
    return v;
}

/* ---- the kernels ---------------------------------------------------------- */

static double w1_mse(long n, const float *p, const float *t, float *g) {
    double acc = 0.0;
    const float sc = 2.0f / (float)n;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
    for (long i = 0; i < n; i++) {
        float d = p[i] - t[i];
        acc += d * d;
        g[i] = sc * d;
    }
    return acc / n;
}

static double w2_bce(long n, const float *p, const float *t, float *g) {
    double acc = 0.0;
    const float inv = 1.0f / (float)n;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
    for (long i = 0; i < n; i++) {
        float x = p[i], y = t[i];
        float e = expf(-fabsf(x));
        float sp = fmaxf(x, 0.0f) + log1pf(e); /* softplus(x) */
        float r = 1.0f / (1.0f + e);
        float s = x >= 0.0f ? r : e * r; /* sigmoid(x) */
        acc += sp - x * y;
        g[i] = (s - y) * inv;
    }
    return acc / n;
}

/* focal(gamma = 2): per-element loss and d loss / d x (before the mean). */
static inline void focal2(float x, float y, float *loss, float *dloss, float *sig) {
    float e = expf(-fabsf(x));
    float sp = fmaxf(x, 0.0f) + log1pf(e);
    float r = 1.0f / (1.0f + e);
    float s = x >= 0.0f ? r : e * r;
    float ce = sp - x * y;
    float pt = s * y + (1.0f - s) * (1.0f - y);
    float om = 1.0f - pt;
    float m = om * om;
    float dpt = s * (1.0f - s) * (2.0f * y - 1.0f);
    *loss = m * ce;
    *dloss = -2.0f * om * dpt * ce + m * (s - y);
    *sig = s;
}

static double w3_focal(long n, const float *p, const float *t, float *g) {
    double acc = 0.0;
    const float inv = 1.0f / (float)n;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
    for (long i = 0; i < n; i++) {
        float l, dl, s;
        focal2(p[i], t[i], &l, &dl, &s);
        acc += l;
        g[i] = dl * inv;
    }
    return acc / n;
}

static double w4_seg(long n, long k, const float *p, const float *t, const float *w, float *g, float *gw) {
    /* pass 1: Dice's sums */
    double sqt = 0.0, sq = 0.0, st = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : sqt, sq, st)
    for (long i = 0; i < n; i++) {
        float x = p[i], y = t[i];
        float e = expf(-fabsf(x));
        float r = 1.0f / (1.0f + e);
        float q = x >= 0.0f ? r : e * r;
        sqt += q * y;
        sq += q;
        st += y;
    }
    double den = fmax(sq + st + 1.0, 1e-7), num = 2.0 * sqt + 1.0;
    double dice = 1.0 - num / den;
    /* pass 2: focal value, gradients of focal and Dice */
    const float cf = 0.7f / (float)n, c1 = (float)(0.3 * -2.0 / den), c0 = (float)(0.3 * num / (den * den));
    double acc = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
    for (long i = 0; i < n; i++) {
        float y = t[i];
        float l, dl, s;
        focal2(p[i], y, &l, &dl, &s);
        acc += l;
        g[i] = cf * dl + (c1 * y + c0) * s * (1.0f - s);
    }
    /* params: 1e-4 * sum(w^2) */
    double l2 = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : l2)
    for (long i = 0; i < k; i++) {
        l2 += w[i] * w[i];
        gw[i] = 2e-4f * w[i];
    }
    return 0.7 * acc / n + 0.3 * dice + 1e-4 * l2;
}

static double w5_cce(long n, long c, const float *x, const int64_t *lab, float *g) {
    double acc = 0.0;
    const float inv = 1.0f / (float)n;
#pragma omp parallel for schedule(static) reduction(+ : acc)
    for (long r = 0; r < n; r++) {
        const float *row = x + r * c;
        float *gr = g + r * c;
        float m = -INFINITY;
#pragma omp simd reduction(max : m)
        for (long j = 0; j < c; j++) m = fmaxf(m, row[j]);
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (long j = 0; j < c; j++) {
            float e = expf(row[j] - m);
            gr[j] = e;
            sum += e;
        }
        float sc = inv / sum;
#pragma omp simd
        for (long j = 0; j < c; j++) gr[j] *= sc;
        long y = (long)lab[r];
        gr[y] -= inv;
        acc += (double)m + log((double)sum) - row[y];
    }
    return acc / n;
}

static double w6_huber(long n, const float *p, const float *t, float *g) {
    double acc = 0.0;
    const float inv = 1.0f / (float)n;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
    for (long i = 0; i < n; i++) {
        float d = p[i] - t[i];
        float ad = fabsf(d);
        int in = ad < 1.0f;
        acc += in ? 0.5f * d * d : ad - 0.5f;
        g[i] = (in ? d : copysignf(1.0f, d)) * inv;
    }
    return acc / n;
}

/* ---- checking against lossc ---------------------------------------------- */

/* BASELINE_DUMP=DIR writes the inputs and gradients as .npy files, so that
 * `lossc eval SPEC --input NAME=DIR/NAME.npy ... --grad-dir G` can check the
 * baseline's value and gradients (benches/run.sh --check does this). */
static void write_npy(const char *dir, const char *name, const char *descr, const void *data, size_t elem, long rows,
                      long cols) {
    char path[4096], header[256];
    snprintf(path, sizeof path, "%s/%s.npy", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    int len = cols ? snprintf(header, sizeof header, "{'descr': '%s', 'fortran_order': False, 'shape': (%ld, %ld), }", descr, rows, cols)
                   : snprintf(header, sizeof header, "{'descr': '%s', 'fortran_order': False, 'shape': (%ld,), }", descr, rows);
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    unsigned short hlen = (unsigned short)(len + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fwrite(&hlen, 2, 1, f);
    fwrite(header, 1, len, f);
    for (int i = 0; i < pad; i++) fputc(' ', f);
    fputc('\n', f);
    fwrite(data, elem, (size_t)rows * (cols ? cols : 1), f);
    fclose(f);
}

/* ---- driver --------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: baseline w1|w2|w3|w4|w5|w6 [N] [REPEAT] [DIM]\n");
        return 2;
    }
    const char *w = argv[1];
    int id = 0;
    const char *names[] = {"", "mse", "bce", "focal", "seg", "cce", "huber"};
    for (int i = 1; i <= 6; i++) {
        char short_name[3] = {'w', (char)('0' + i), 0};
        if (!strcmp(w, short_name) || !strcmp(w, names[i])) id = i;
    }
    if (!id) {
        fprintf(stderr, "unknown workload `%s`\n", w);
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : (id == 5 ? 8192 : (1L << 24));
    int repeat = argc > 3 ? atoi(argv[3]) : 20;
    long dim = argc > 4 ? atol(argv[4]) : (id == 5 ? 1000 : (1L << 20));
    if (n < 1 || repeat < 1 || dim < 1) {
        fprintf(stderr, "N, REPEAT and DIM must be positive\n");
        return 2;
    }

    float *p = NULL, *t = NULL, *wt = NULL, *g = NULL, *gw = NULL;
    int64_t *lab = NULL;
    long elements = 0;
    if (id == 5) {
        p = make_normal(n * dim, 2.0, 1);
        lab = xalloc(n * sizeof(int64_t));
        for (long i = 0; i < n; i++) lab[i] = (int64_t)(unif(2, i) * dim) % dim;
        g = make_zero(n * dim);
        elements = n * dim + n;
    } else {
        p = make_normal(n, 2.0, 1);
        t = make_binary(n, 2);
        g = make_zero(n);
        elements = 2 * n;
        if (id == 4) {
            wt = make_normal(dim, 0.1, 3);
            gw = make_zero(dim);
            elements += dim;
        }
    }

    double *times = xalloc(repeat * sizeof(double));
    double value = 0.0;
    for (int r = -3; r < repeat; r++) { /* three warm-up calls */
        double t0 = now();
        switch (id) {
        case 1: value = w1_mse(n, p, t, g); break;
        case 2: value = w2_bce(n, p, t, g); break;
        case 3: value = w3_focal(n, p, t, g); break;
        case 4: value = w4_seg(n, dim, p, t, wt, g, gw); break;
        case 5: value = w5_cce(n, dim, p, lab, g); break;
        case 6: value = w6_huber(n, p, t, g); break;
        }
        double dt = now() - t0;
        if (r >= 0) times[r] = dt * 1e3;
    }
    qsort(times, repeat, sizeof *times, cmp);
    double med = repeat % 2 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
    double gsum = 0.0;
    long glen = id == 5 ? n * dim : n;
    for (long i = 0; i < glen; i++) gsum += (double)g[i] * g[i];
    const char *dump = getenv("BASELINE_DUMP");
    if (dump && *dump) {
        if (id == 5) {
            write_npy(dump, "logits", "<f4", p, 4, n, dim);
            write_npy(dump, "labels", "<i8", lab, 8, n, 0);
            write_npy(dump, "grad_logits", "<f4", g, 4, n, dim);
        } else {
            write_npy(dump, "pred", "<f4", p, 4, n, 0);
            write_npy(dump, "target", "<f4", t, 4, n, 0);
            write_npy(dump, "grad_pred", "<f4", g, 4, n, 0);
            if (id == 4) {
                write_npy(dump, "params", "<f4", wt, 4, dim, 0);
                write_npy(dump, "grad_params", "<f4", gw, 4, dim, 0);
            }
        }
    }
    printf("{\"bench\": \"baseline\", \"workload\": \"w%d\", \"loss\": \"%s\", \"threads\": %d, \"n\": %ld, \"dim\": %ld, "
           "\"elements\": %ld, \"repeat\": %d, \"eval_ms_median\": %.4f, \"eval_ms_min\": %.4f, \"value\": %.9g, "
           "\"grad_norm\": %.6g}\n",
           id, names[id], omp_get_max_threads(), n, id == 4 || id == 5 ? dim : 0, elements, repeat, med, times[0], value,
           sqrt(gsum));
    return 0;
}
