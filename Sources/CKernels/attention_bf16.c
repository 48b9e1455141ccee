// The probabilities × values half of attention in bf16 products for the fast precision:
// p·v runs on the projections' bf16 kernel (fp32 accumulation) while q·kᵀ and the softmax stay in
// fp32 (rounding queries and keys to bf16 moves the logits too much: measured on the fixtures).
#include "CKernels.h"

#include <immintrin.h>
#include <string.h>

#define PANEL 16

static inline int round_up_even(int value) { return (value + 1) & ~1; }

size_t qwery_attention_scratch_count(int width, int head_dim, int block_rows) {
    return qwery_packed_count(head_dim, width) + (size_t)block_rows * round_up_even(width);
}

// MARK: - Packing values

__attribute__((target("avx512f,avx512bf16,avx512vl,avx512bw")))
static void pack_values_avx512(const float *values, int count, int stride, int panels, uint16_t *packed) {
    // Lane = head dimension (16 per panel); the pair = two consecutive positions, interleaved.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    int pairs = (count + 1) / 2;
    for (int p = 0; p < panels; p++) {
        uint16_t *panel = packed + (size_t)p * pairs * PANEL * 2;
        for (int pair = 0; pair < pairs; pair++) {
            const float *even = values + (size_t)(2 * pair) * stride + p * PANEL;
            __m512 first = _mm512_loadu_ps(even);
            __m512 second = 2 * pair + 1 < count ? _mm512_loadu_ps(even + stride) : _mm512_setzero_ps();
            __m512i both = (__m512i)_mm512_cvtne2ps_pbh(second, first);  // low half: first, high half: second
            _mm512_storeu_si512(panel + (size_t)pair * 32, _mm512_permutexvar_epi16(interleave, both));
        }
    }
}

void qwery_pack_values_bf16(const float *values, int count, int stride, int head_dim, uint16_t *packed, int kernel) {
    static int has_avx512 = -1;
    if (has_avx512 < 0) has_avx512 = qwery_cpu_has_avx512_bf16();
    int pairs = (count + 1) / 2;
    int panels = (head_dim + PANEL - 1) / PANEL;
    int start = 0;
    if ((kernel == QWERY_KERNEL_AUTO || kernel == QWERY_KERNEL_AVX512_BF16) && has_avx512) {
        start = head_dim / PANEL;
        pack_values_avx512(values, count, stride, start, packed);
    }
    for (int p = start; p < panels; p++) {
        uint16_t *panel = packed + (size_t)p * pairs * PANEL * 2;
        for (int pair = 0; pair < pairs; pair++) {
            for (int lane = 0; lane < PANEL; lane++) {
                int dimension = p * PANEL + lane;
                for (int j = 0; j < 2; j++) {
                    int position = 2 * pair + j;
                    float value = dimension < head_dim && position < count ? values[(size_t)position * stride + dimension] : 0;
                    qwery_f32_to_bf16(&value, panel + (size_t)pair * 32 + lane * 2 + j, 1);
                }
            }
        }
    }
}

// MARK: - Softmax, then probabilities × values

void qwery_attend_values_bf16(float *scores, int rows, int width, int first_visible, const uint16_t *packed_values,
                              int count, int head_dim, uint16_t *probabilities, float *output, int output_stride,
                              int kernel) {
    int width_even = round_up_even(width);
    for (int r = 0; r < rows; r++) {
        float *row = scores + (size_t)r * width;
        qwery_softmax_prefix(row, first_visible + r + 1, width);
        uint16_t *p = probabilities + (size_t)r * width_even;
        qwery_f32_to_bf16(row, p, (size_t)width);
        if (width & 1) p[width] = 0;
    }
    qwery_gemm_bf16_leading(probabilities, rows, width, width_even, packed_values, count, head_dim, output,
                            output_stride, 0, (head_dim + PANEL - 1) / PANEL, kernel);
}
