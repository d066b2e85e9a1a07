/*
 * STREAM-style memory bandwidth for the lossc benchmarks.
 *
 *   gcc -O3 -march=native -fopenmp benches/bandwidth.c -o bandwidth
 *   OMP_NUM_THREADS=2 ./bandwidth [N_FLOAT32] [REPEAT]
 *
 * Prints one JSON object. Two kernels, each timed REPEAT times after a
 * warm-up, with arrays first-touched by the threads that use them (static
 * schedule, so each thread touches and later streams the same pages):
 *
 *   triad   a[i] = b[i] + s * c[i]      float32, 3 arrays of N elements
 *           (STREAM's convention: 3 * 4 * N bytes counted per pass; the
 *           write-allocate read of `a` is not counted)
 *   read2   sum += b[i] * c[i]          float32, 2 arrays (pure read)
 *
 * The triad moves exactly the bytes a fused W1/W6 kernel moves (read pred
 * and target, write the gradient), so `triad_gbs` is the ceiling that the
 * "fraction of bandwidth" column in benches/run.sh divides by. The default N
 * is 2^24, the size of W1/W6 (64 MiB per array, 192 MiB per pass).
 *
 * On x86-64, W1 itself (g = 2/N (p - t), sum (p - t)^2 in float64) is also
 * written with 128-bit SSE intrinsics, the vector width Cranelift generates,
 * to show what such code can reach (best GB/s, 12 bytes per element):
 *   w1_sse      plain 128-bit loads and stores (the shape lossc emits today)
 *   w1_sse_nt   the gradient stored non-temporally (movntps: no read for
 *               ownership of the gradient's lines)
 *   w1_sse_pf   plain stores, software prefetch (prefetcht0) 1 KiB ahead
 *
 * Best (max) and median GB/s over the repeats are reported; GB = 1e9 bytes.
 */
#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define HAVE_SSE 1
#endif
#include <omp.h>
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

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#ifdef HAVE_SSE
/* W1 with 128-bit vectors: g = 2/n (p - t), returns sum (p - t)^2 (float64 accumulators);
 * mode 0 plain stores, 1 non-temporal stores, 2 software prefetch. */
static double w1_sse(float *g, const float *p, const float *t, long n, int mode, double *seconds) {
    double t0 = now(), acc = 0.0;
#pragma omp parallel reduction(+ : acc)
    {
        int nt = omp_get_num_threads(), id = omp_get_thread_num();
        long lo = (n / 16 * id / nt) * 16, hi = id + 1 == nt ? n / 16 * 16 : (n / 16 * (id + 1) / nt) * 16;
        __m128 sc = _mm_set1_ps(2.0f / (float)n);
        __m128d a0 = _mm_setzero_pd(), a1 = _mm_setzero_pd(), a2 = _mm_setzero_pd(), a3 = _mm_setzero_pd();
        for (long i = lo; i < hi; i += 8) {
            if (mode == 2 && (i & 15) == 0 && i + 256 < hi) {
                _mm_prefetch((const char *)(p + i + 256), _MM_HINT_T0);
                _mm_prefetch((const char *)(t + i + 256), _MM_HINT_T0);
            }
            __m128 d0 = _mm_sub_ps(_mm_loadu_ps(p + i), _mm_loadu_ps(t + i));
            __m128 d1 = _mm_sub_ps(_mm_loadu_ps(p + i + 4), _mm_loadu_ps(t + i + 4));
            if (mode == 1) { /* g is 64-byte aligned, i a multiple of 8 */
                _mm_stream_ps(g + i, _mm_mul_ps(sc, d0));
                _mm_stream_ps(g + i + 4, _mm_mul_ps(sc, d1));
            } else {
                _mm_storeu_ps(g + i, _mm_mul_ps(sc, d0));
                _mm_storeu_ps(g + i + 4, _mm_mul_ps(sc, d1));
            }
            d0 = _mm_mul_ps(d0, d0);
            d1 = _mm_mul_ps(d1, d1);
            a0 = _mm_add_pd(a0, _mm_cvtps_pd(d0));
            a1 = _mm_add_pd(a1, _mm_cvtps_pd(_mm_movehl_ps(d0, d0)));
            a2 = _mm_add_pd(a2, _mm_cvtps_pd(d1));
            a3 = _mm_add_pd(a3, _mm_cvtps_pd(_mm_movehl_ps(d1, d1)));
        }
        if (mode == 1) _mm_sfence();
        double tmp[2];
        _mm_storeu_pd(tmp, _mm_add_pd(_mm_add_pd(a0, a1), _mm_add_pd(a2, a3)));
        acc += tmp[0] + tmp[1];
    }
    *seconds = now() - t0;
    return acc;
}
#endif

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : (1L << 24);
    int repeat = argc > 2 ? atoi(argv[2]) : 20;
    if (n < 1024 || repeat < 1) {
        fprintf(stderr, "usage: bandwidth [N >= 1024] [REPEAT >= 1]\n");
        return 2;
    }
    float *a = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    float *b = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    float *c = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    if (!a || !b || !c) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    const float s = 3.0f;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        a[i] = 0.0f;
        b[i] = 1.0f + (float)(i & 7);
        c[i] = 2.0f - (float)(i & 3);
    }
    int threads = omp_get_max_threads();

    double *t_triad = malloc(repeat * sizeof(double));
    double *t_read = malloc(repeat * sizeof(double));
    double sink = 0.0;
    for (int r = -2; r < repeat; r++) { /* two warm-up passes */
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
        double t1 = now();
        double acc = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : acc)
        for (long i = 0; i < n; i++) acc += b[i] * c[i];
        double t2 = now();
        sink += acc + a[(r + 2) % n];
        if (r >= 0) {
            t_triad[r] = t1 - t0;
            t_read[r] = t2 - t1;
        }
    }
    double triad_bytes = 3.0 * sizeof(float) * n, read_bytes = 2.0 * sizeof(float) * n;
    char sse[256] = "";
#ifdef HAVE_SSE
    double best[3] = {1e30, 1e30, 1e30};
    for (int m = 0; m < 3; m++) /* each variant on its own: warm-up, then repeat */
        for (int r = -2; r < repeat; r++) {
            double t;
            sink += w1_sse(a, b, c, n, m, &t) * 1e-12;
            if (r >= 0 && t < best[m]) best[m] = t;
        }
    snprintf(sse, sizeof sse, ", \"w1_sse_gbs\": %.2f, \"w1_sse_nt_gbs\": %.2f, \"w1_sse_pf_gbs\": %.2f",
             triad_bytes / best[0] * 1e-9, triad_bytes / best[1] * 1e-9, triad_bytes / best[2] * 1e-9);
#endif
    double tmin_triad = t_triad[0], tmin_read = t_read[0];
    for (int r = 1; r < repeat; r++) {
        if (t_triad[r] < tmin_triad) tmin_triad = t_triad[r];
        if (t_read[r] < tmin_read) tmin_read = t_read[r];
    }
    double tmed_triad = median(t_triad, repeat), tmed_read = median(t_read, repeat);
    printf("{\"bench\": \"bandwidth\", \"threads\": %d, \"n\": %ld, \"repeat\": %d, "
           "\"triad_gbs\": %.2f, \"triad_gbs_median\": %.2f, \"triad_ms_min\": %.4f, \"triad_ms_median\": %.4f, "
           "\"read2_gbs\": %.2f, \"read2_gbs_median\": %.2f%s, \"checksum\": %.6g}\n",
           threads, n, repeat, triad_bytes / tmin_triad * 1e-9, triad_bytes / tmed_triad * 1e-9,
           tmin_triad * 1e3, tmed_triad * 1e3, read_bytes / tmin_read * 1e-9, read_bytes / tmed_read * 1e-9, sse, sink);
    free(a);
    free(b);
    free(c);
    free(t_triad);
    free(t_read);
    return 0;
}
