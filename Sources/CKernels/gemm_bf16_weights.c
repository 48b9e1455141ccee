// exact on bf16 weights for a few rows (a query): C[m, n] = A[m, k] · widen(W[n, k])ᵀ, fp32 products and sums.
//
// A 16-token query reads every weight once, so it is bound by memory bandwidth: reading the bf16 weights
// and widening them in registers (a zero-extension and a shift: bf16 is the top half of an fp32) moves half
// the bytes of sgemm on fp32 weights, and, unlike widening into a scratch tile for sgemm, writes nothing.
// Tiles of 4 weight rows × 4 input rows keep 16 accumulators; the 4 weight rows (8 KB at k = 1,024) stay in
// L1 while every block of input rows passes over them. Sums are in fp32, in another order than sgemm's.
#include "CKernels.h"

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

static inline float widen_one(const uint8_t *bytes) {
    uint16_t bits;
    memcpy(&bits, bytes, 2);
    uint32_t wide = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &wide, 4);
    return value;
}

// MARK: - AVX-512

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"), always_inline))
static inline __m512 widen16_avx512(const uint8_t *bytes) {
    __m256i half = _mm256_loadu_si256((const __m256i *)bytes);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"), always_inline))
static inline void tile_avx512(const float *a, int lda, const uint8_t *w, int k, float *c, int ldc, const int MR, const int NR) {
    __m512 acc[4][4];
    for (int i = 0; i < MR; i++) for (int j = 0; j < NR; j++) acc[i][j] = _mm512_setzero_ps();
    int column = 0;
    for (; column + 16 <= k; column += 16) {
        __m512 weight[4];
        for (int j = 0; j < NR; j++) weight[j] = widen16_avx512(w + 2 * ((size_t)j * k + column));
        for (int i = 0; i < MR; i++) {
            __m512 x = _mm512_loadu_ps(a + (size_t)i * lda + column);
            for (int j = 0; j < NR; j++) acc[i][j] = _mm512_fmadd_ps(x, weight[j], acc[i][j]);
        }
    }
    for (int i = 0; i < MR; i++) {
        for (int j = 0; j < NR; j++) {
            float sum = _mm512_reduce_add_ps(acc[i][j]);
            for (int tail = column; tail < k; tail++) sum += a[(size_t)i * lda + tail] * widen_one(w + 2 * ((size_t)j * k + tail));
            c[(size_t)i * ldc + j] = sum;
        }
    }
}

#define TILE512(MR, NR) tile_avx512(a + (size_t)i * lda, lda, w + 2 * (size_t)j * k, k, c + (size_t)i * ldc + j, ldc, MR, NR)

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
static void columns_avx512(const float *a, int m, int lda, const uint8_t *w, int j, int k, float *c, int ldc, int nr) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
        switch (nr) { case 4: TILE512(4, 4); break; case 3: TILE512(4, 3); break; case 2: TILE512(4, 2); break; default: TILE512(4, 1); }
    }
    for (; i < m; i++) {
        switch (nr) { case 4: TILE512(1, 4); break; case 3: TILE512(1, 3); break; case 2: TILE512(1, 2); break; default: TILE512(1, 1); }
    }
}

// MARK: - AVX2

__attribute__((target("avx2,fma"), always_inline))
static inline __m256 widen8_avx2(const uint8_t *bytes) {
    __m128i half = _mm_loadu_si128((const __m128i *)bytes);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16));
}

__attribute__((target("avx2,fma"), always_inline))
static inline float sum8_avx2(__m256 v) {
    __m128 low = _mm256_castps256_ps128(v), high = _mm256_extractf128_ps(v, 1);
    __m128 quad = _mm_add_ps(low, high);
    __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
}

__attribute__((target("avx2,fma"), always_inline))
static inline void tile_avx2(const float *a, int lda, const uint8_t *w, int k, float *c, int ldc, const int MR, const int NR) {
    __m256 acc[3][4];
    for (int i = 0; i < MR; i++) for (int j = 0; j < NR; j++) acc[i][j] = _mm256_setzero_ps();
    int column = 0;
    for (; column + 8 <= k; column += 8) {
        __m256 weight[4];
        for (int j = 0; j < NR; j++) weight[j] = widen8_avx2(w + 2 * ((size_t)j * k + column));
        for (int i = 0; i < MR; i++) {
            __m256 x = _mm256_loadu_ps(a + (size_t)i * lda + column);
            for (int j = 0; j < NR; j++) acc[i][j] = _mm256_fmadd_ps(x, weight[j], acc[i][j]);
        }
    }
    for (int i = 0; i < MR; i++) {
        for (int j = 0; j < NR; j++) {
            float sum = sum8_avx2(acc[i][j]);
            for (int tail = column; tail < k; tail++) sum += a[(size_t)i * lda + tail] * widen_one(w + 2 * ((size_t)j * k + tail));
            c[(size_t)i * ldc + j] = sum;
        }
    }
}

#define TILE256(MR, NR) tile_avx2(a + (size_t)i * lda, lda, w + 2 * (size_t)j * k, k, c + (size_t)i * ldc + j, ldc, MR, NR)

// 3 input rows × 4 weight rows: 12 accumulators, 4 weights and the input within AVX2's 16 registers.
__attribute__((target("avx2,fma")))
static void columns_avx2(const float *a, int m, int lda, const uint8_t *w, int j, int k, float *c, int ldc, int nr) {
    int i = 0;
    for (; i + 3 <= m; i += 3) {
        switch (nr) { case 4: TILE256(3, 4); break; case 3: TILE256(3, 3); break; case 2: TILE256(3, 2); break; default: TILE256(3, 1); }
    }
    for (; i < m; i++) {
        switch (nr) { case 4: TILE256(1, 4); break; case 3: TILE256(1, 3); break; case 2: TILE256(1, 2); break; default: TILE256(1, 1); }
    }
}

// MARK: - Portable

static void columns_portable(const float *a, int m, int lda, const uint8_t *w, int j, int k, float *c, int ldc, int nr) {
    for (int i = 0; i < m; i++) {
        for (int row = 0; row < nr; row++) {
            float sum = 0;
            for (int column = 0; column < k; column++) sum += a[(size_t)i * lda + column] * widen_one(w + 2 * ((size_t)(j + row) * k + column));
            c[(size_t)i * ldc + j + row] = sum;
        }
    }
}

int qwery_bf16_weights_kernel(int kernel) {
    static int avx512 = -1, avx2 = -1;
    if (avx512 < 0) { avx512 = qwery_cpu_has_avx512_core(); avx2 = qwery_cpu_has_avx2_fma(); }
    if (avx512 && (kernel == QWERY_KERNEL_AUTO || kernel == QWERY_KERNEL_AVX512_BF16)) return QWERY_KERNEL_AVX512_BF16;
    if (avx2 && kernel != QWERY_KERNEL_PORTABLE) return QWERY_KERNEL_AVX2;
    return QWERY_KERNEL_PORTABLE;
}

void qwery_gemm_bf16_weights(const float *a, int m, int lda, const void *weights, int n, int k, float *c, int ldc, int kernel) {
    const uint8_t *w = (const uint8_t *)weights;
    int runs = qwery_bf16_weights_kernel(kernel);
    for (int j = 0; j < n; j += 4) {
        int nr = n - j < 4 ? n - j : 4;
        if (runs == QWERY_KERNEL_AVX512_BF16) columns_avx512(a, m, lda, w, j, k, c, ldc, nr);
        else if (runs == QWERY_KERNEL_AVX2) columns_avx2(a, m, lda, w, j, k, c, ldc, nr);
        else columns_portable(a, m, lda, w, j, k, c, ldc, nr);
    }
}
