// bf16 GEMM for qwery's fast precision: activations and weights in bf16, products accumulated in fp32.
// Weights are packed once at load (see qwery_pack_bf16) so the kernel streams 64-byte panels.
// The AVX512-BF16 micro-kernel keeps an 8 × 32 tile of C in 16 zmm registers and issues two
// vdpbf16ps per row per pair of k (the approach of oneDNN's and llama.cpp's bf16 paths).
#include "CKernels.h"

#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

#define PANEL 16

// MARK: - CPU features

static int os_saves_avx512_state(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;  // OSXSAVE
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (low & 0xE6) == 0xE6;  // XMM, YMM, opmask, ZMM state
}

int qwery_cpu_has_avx512_bf16(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int avx512f = (ebx >> 16) & 1, avx512bw = (ebx >> 30) & 1;
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    int bf16 = (eax >> 5) & 1;
    return avx512f && avx512bw && bf16 && os_saves_avx512_state();
}

int qwery_cpu_has_avx2_fma(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int fma = (ecx >> 12) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return fma && ((ebx >> 5) & 1);
}

// MARK: - Packing and conversion

size_t qwery_packed_count(int n, int k) {
    size_t panels = (size_t)(n + PANEL - 1) / PANEL;
    size_t pairs = (size_t)(k + 1) / 2;
    return panels * pairs * PANEL * 2;
}

void qwery_pack_bf16(const uint16_t *weights, int n, int k, uint16_t *packed) {
    int panels = (n + PANEL - 1) / PANEL, pairs = (k + 1) / 2;
    for (int p = 0; p < panels; p++) {
        for (int pair = 0; pair < pairs; pair++) {
            uint16_t *out = packed + ((size_t)p * pairs + pair) * PANEL * 2;
            for (int lane = 0; lane < PANEL; lane++) {
                int row = p * PANEL + lane;
                for (int j = 0; j < 2; j++) {
                    int column = 2 * pair + j;
                    uint16_t value = 0;
                    if (row < n && column < k) memcpy(&value, weights + (size_t)row * k + column, 2);
                    out[lane * 2 + j] = value;
                }
            }
        }
    }
}

static inline uint16_t round_to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) return (uint16_t)((bits >> 16) | 0x40);  // quiet NaN
    bits += 0x7FFF + ((bits >> 16) & 1);
    return (uint16_t)(bits >> 16);
}

__attribute__((target("avx512f,avx512bf16,avx512vl,avx512bw")))
static void f32_to_bf16_avx512(const float *input, uint16_t *output, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256bh converted = _mm512_cvtneps_pbh(_mm512_loadu_ps(input + i));
        _mm256_storeu_si256((__m256i *)(output + i), (__m256i)converted);
    }
    for (; i < count; i++) output[i] = round_to_bf16(input[i]);
}

void qwery_f32_to_bf16(const float *input, uint16_t *output, size_t count) {
    static int has = -1;
    if (has < 0) has = qwery_cpu_has_avx512_bf16();
    if (has) {
        f32_to_bf16_avx512(input, output, count);
        return;
    }
    for (size_t i = 0; i < count; i++) output[i] = round_to_bf16(input[i]);
}

// MARK: - AVX512-BF16 kernel

// One tile: MR rows of a (MR ≤ 8) × two panels (32 columns), over all pairs of k.
__attribute__((target("avx512f,avx512bf16,avx512vl,avx512bw"), always_inline))
static inline void tile_avx512(const uint16_t *a, int lda, const uint16_t *panel0, const uint16_t *panel1,
                               int pairs, float *c, int ldc, int columns0, int columns1, const int MR) {
    __m512 acc0[8], acc1[8];
    for (int r = 0; r < MR; r++) { acc0[r] = _mm512_setzero_ps(); acc1[r] = _mm512_setzero_ps(); }
    for (int pair = 0; pair < pairs; pair++) {
        __m512bh w0 = (__m512bh)_mm512_loadu_si512(panel0 + (size_t)pair * 32);
        __m512bh w1 = panel1 ? (__m512bh)_mm512_loadu_si512(panel1 + (size_t)pair * 32) : w0;
        for (int r = 0; r < MR; r++) {
            int32_t two;
            memcpy(&two, a + (size_t)r * lda + 2 * pair, 4);
            __m512bh x = (__m512bh)_mm512_set1_epi32(two);
            acc0[r] = _mm512_dpbf16_ps(acc0[r], x, w0);
            if (panel1) acc1[r] = _mm512_dpbf16_ps(acc1[r], x, w1);
        }
    }
    __mmask16 mask0 = columns0 >= 16 ? 0xFFFF : (__mmask16)((1u << columns0) - 1);
    __mmask16 mask1 = columns1 >= 16 ? 0xFFFF : (__mmask16)((1u << columns1) - 1);
    for (int r = 0; r < MR; r++) {
        _mm512_mask_storeu_ps(c + (size_t)r * ldc, mask0, acc0[r]);
        if (panel1) _mm512_mask_storeu_ps(c + (size_t)r * ldc + PANEL, mask1, acc1[r]);
    }
}

__attribute__((target("avx512f,avx512bf16,avx512vl,avx512bw")))
static void rows_avx512(const uint16_t *a, int rows, int lda, const uint16_t *panel0, const uint16_t *panel1,
                        int pairs, float *c, int ldc, int columns0, int columns1) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 8);
    switch (rows - r) {
    case 7: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 7); break;
    case 6: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 6); break;
    case 5: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 5); break;
    case 4: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 4); break;
    case 3: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 3); break;
    case 2: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 2); break;
    case 1: tile_avx512(a + (size_t)r * lda, lda, panel0, panel1, pairs, c + (size_t)r * ldc, ldc, columns0, columns1, 1); break;
    default: break;
    }
}

// MARK: - AVX2 + FMA kernel (same products: bf16 × bf16, fp32 accumulation)

__attribute__((target("avx2,fma")))
static void rows_avx2(const uint16_t *a, int rows, int lda, const uint16_t *panel, int pairs, float *c, int ldc, int columns) {
    const __m256i high = _mm256_set1_epi32((int)0xFFFF0000);
    for (int r = 0; r < rows; r++) {
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        const uint16_t *row = a + (size_t)r * lda;
        for (int pair = 0; pair < pairs; pair++) {
            // 16 lanes × (even, odd) bf16 = two 256-bit loads; even values become fp32 by a shift, odd by a mask.
            __m256i w0 = _mm256_loadu_si256((const __m256i *)(panel + (size_t)pair * 32));
            __m256i w1 = _mm256_loadu_si256((const __m256i *)(panel + (size_t)pair * 32 + 16));
            uint32_t even_bits = (uint32_t)row[2 * pair] << 16, odd_bits = (uint32_t)row[2 * pair + 1] << 16;
            float even, odd;
            memcpy(&even, &even_bits, 4);
            memcpy(&odd, &odd_bits, 4);
            __m256 x0 = _mm256_set1_ps(even), x1 = _mm256_set1_ps(odd);
            acc0 = _mm256_fmadd_ps(x0, _mm256_castsi256_ps(_mm256_slli_epi32(w0, 16)), acc0);
            acc0 = _mm256_fmadd_ps(x1, _mm256_castsi256_ps(_mm256_and_si256(w0, high)), acc0);
            acc1 = _mm256_fmadd_ps(x0, _mm256_castsi256_ps(_mm256_slli_epi32(w1, 16)), acc1);
            acc1 = _mm256_fmadd_ps(x1, _mm256_castsi256_ps(_mm256_and_si256(w1, high)), acc1);
        }
        float out[16];
        _mm256_storeu_ps(out, acc0);
        _mm256_storeu_ps(out + 8, acc1);
        memcpy(c + (size_t)r * ldc, out, (size_t)(columns < 16 ? columns : 16) * sizeof(float));
    }
}

// MARK: - Portable kernel

static void rows_portable(const uint16_t *a, int rows, int lda, const uint16_t *panel, int pairs, float *c, int ldc, int columns) {
    for (int r = 0; r < rows; r++) {
        float acc[PANEL] = {0};
        const uint16_t *row = a + (size_t)r * lda;
        for (int pair = 0; pair < pairs; pair++) {
            for (int j = 0; j < 2; j++) {
                uint32_t bits = (uint32_t)row[2 * pair + j] << 16;
                float x;
                memcpy(&x, &bits, 4);
                for (int lane = 0; lane < PANEL; lane++) {
                    uint32_t wbits = (uint32_t)panel[(size_t)pair * 32 + lane * 2 + j] << 16;
                    float w;
                    memcpy(&w, &wbits, 4);
                    acc[lane] += x * w;
                }
            }
        }
        memcpy(c + (size_t)r * ldc, acc, (size_t)(columns < PANEL ? columns : PANEL) * sizeof(float));
    }
}

// MARK: - Driver

void qwery_gemm_bf16(const uint16_t *a, int m, int k, int lda, const uint16_t *packed, int n,
                     float *c, int ldc, int panel_begin, int panel_end, int kernel) {
    qwery_gemm_bf16_leading(a, m, k, lda, packed, k, n, c, ldc, panel_begin, panel_end, kernel);
}

void qwery_gemm_bf16_leading(const uint16_t *a, int m, int k, int lda, const uint16_t *packed, int packed_k, int n,
                             float *c, int ldc, int panel_begin, int panel_end, int kernel) {
    static int avx512 = -1, avx2 = -1;
    if (avx512 < 0) { avx512 = qwery_cpu_has_avx512_bf16(); avx2 = qwery_cpu_has_avx2_fma(); }
    if (kernel == QWERY_KERNEL_AUTO) kernel = avx512 ? QWERY_KERNEL_AVX512_BF16 : avx2 ? QWERY_KERNEL_AVX2 : QWERY_KERNEL_PORTABLE;
    if (kernel == QWERY_KERNEL_AVX512_BF16 && !avx512) kernel = avx2 ? QWERY_KERNEL_AVX2 : QWERY_KERNEL_PORTABLE;
    if (kernel == QWERY_KERNEL_AVX2 && !avx2) kernel = QWERY_KERNEL_PORTABLE;
    int pairs = (k + 1) / 2;
    size_t panel_size = (size_t)((packed_k + 1) / 2) * PANEL * 2;
    // Rows of a in blocks that stay in L2 while the panels pass over them.
    int block = 262144 / (lda * 2);
    block = block < 8 ? 8 : (block / 8) * 8;
    for (int row0 = 0; row0 < m; row0 += block) {
        int rows = m - row0 < block ? m - row0 : block;
        const uint16_t *a_block = a + (size_t)row0 * lda;
        float *c_block = c + (size_t)row0 * ldc;
        for (int p = panel_begin; p < panel_end; p += (kernel == QWERY_KERNEL_AVX512_BF16 ? 2 : 1)) {
            int columns0 = n - p * PANEL;
            if (columns0 > PANEL) columns0 = PANEL;
            const uint16_t *panel0 = packed + (size_t)p * panel_size;
            if (kernel == QWERY_KERNEL_AVX512_BF16) {
                int has_second = p + 1 < panel_end;
                int columns1 = has_second ? n - (p + 1) * PANEL : 0;
                if (columns1 > PANEL) columns1 = PANEL;
                rows_avx512(a_block, rows, lda, panel0, has_second ? panel0 + panel_size : NULL, pairs,
                            c_block + p * PANEL, ldc, columns0, columns1);
            } else if (kernel == QWERY_KERNEL_AVX2) {
                rows_avx2(a_block, rows, lda, panel0, pairs, c_block + p * PANEL, ldc, columns0);
            } else {
                rows_portable(a_block, rows, lda, panel0, pairs, c_block + p * PANEL, ldc, columns0);
            }
        }
    }
}
