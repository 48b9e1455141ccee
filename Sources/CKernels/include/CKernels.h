// Matrix kernels in C with SIMD intrinsics: bf16 weights packed for AVX512-BF16 dot products
// (vdpbf16ps), with AVX2/FMA and portable fallbacks that compute the same products.
#ifndef QWERY_CKERNELS_H
#define QWERY_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Kernel choices for qwery_gemm_bf16.
enum qwery_kernel {
    QWERY_KERNEL_AUTO = 0,
    QWERY_KERNEL_AVX512_BF16 = 1,
    QWERY_KERNEL_AVX2 = 2,
    QWERY_KERNEL_PORTABLE = 3,
    /// int8 only: 256-bit vpdpbusd (AVX-VNNI) without AVX-512.
    QWERY_KERNEL_AVX_VNNI = 4,
};

/// Whether the CPU and OS support AVX512F + AVX512_BF16 (and AVX2 + FMA).
int qwery_cpu_has_avx512_bf16(void);
int qwery_cpu_has_avx2_fma(void);

/// Elements (uint16) of a packed (n × k) weight matrix: ceil(n/16) panels of 16 rows, k rounded up to even.
size_t qwery_packed_count(int n, int k);

/// Packs row-major bf16 weights (n × k, row stride k) into panels: for each 16 output rows, pairs of
/// consecutive k values for the 16 rows side by side, zero-padded.
void qwery_pack_bf16(const uint16_t *weights, int n, int k, uint16_t *packed);

/// Rounds fp32 to bf16 (nearest, ties to even). NaN stays NaN.
void qwery_f32_to_bf16(const float *input, uint16_t *output, size_t count);

/// c[i][j] = Σ_k a[i][k] · w[j][k] over bf16 inputs with fp32 accumulation, for the output columns of
/// panels [panel_begin, panel_end). `a` is m × k bf16 with row stride lda (even, ≥ k rounded up to even,
/// zero-padded); `c` is m × n fp32 with row stride ldc.
void qwery_gemm_bf16(const uint16_t *a, int m, int k, int lda, const uint16_t *packed, int n,
                     float *c, int ldc, int panel_begin, int panel_end, int kernel);
/// qwery_gemm_bf16 over the first k (≤ packed_k) inner values of weights packed with packed_k.
void qwery_gemm_bf16_leading(const uint16_t *a, int m, int k, int lda, const uint16_t *packed, int packed_k, int n,
                             float *c, int ldc, int panel_begin, int panel_end, int kernel);


// Attention's probabilities × values in bf16 products (attention_bf16.c).

/// Scratch (uint16 elements) for one key/value head's packed values and a block of bf16 probabilities.
size_t qwery_attention_scratch_count(int width, int head_dim, int block_rows);
/// Packs `count` positions of one head's values (head_dim floats each, `stride` apart) as the bf16
/// kernel's weights: output rows = head dimensions, inner dimension = positions.
void qwery_pack_values_bf16(const float *values, int count, int stride, int head_dim, uint16_t *packed, int kernel);
/// For `rows` rows of fp32 logits (`width` each; row r sees its first first_visible + r + 1): softmax in
/// fp32, then output[r] = bf16(p[r]) · values over the first `width` of the `count` packed positions.
void qwery_attend_values_bf16(float *scores, int rows, int width, int first_visible, const uint16_t *packed_values,
                              int count, int head_dim, uint16_t *probabilities, float *output, int output_stride,
                              int kernel);

// int8 GEMM (gemm_int8.c): int8 weights (one scale per output row) × u8 activations (+128, one
// scale per row) with int32 accumulation, AVX512-VNNI with a portable fallback.

/// Multiply-accumulates per second on one core of fp32 FMA and of the AVX2 int8 sequence (with the sign
/// step, and without it as for a 7-bit operand); 0 when the CPU has no AVX2/FMA (`qwery bench --peaks`).
int qwery_measure_peaks(double *fma, double *int8_signed, double *int8_seven_bit);
/// Multiply-accumulates per second on one core of vfmadd231ps zmm, vdpbf16ps zmm, vpdpbusd zmm and vpdpbusd ymm
/// (AVX-VNNI); 0 for each the CPU lacks.
void qwery_measure_wide_peaks(double *fma512, double *bf16, double *vnni512, double *avx_vnni);

/// Whether the CPU and OS support AVX512F/BW + AVX512_VNNI.
int qwery_cpu_has_avx512_vnni(void);

// AVX-512 F, DQ, BW and VL with the OS saving ZMM state (what OpenBLAS's SkylakeX core needs).
int qwery_cpu_has_avx512_core(void);
// AVX-VNNI (256-bit vpdpbusd, Intel 12th generation on, Zen 5), with the OS saving YMM state.
int qwery_cpu_has_avx_vnni(void);
/// Bytes of a packed int8 (n × k) weight matrix: ceil(n/16) panels × ceil(k/4) quads × 64 bytes.
size_t qwery_packed_int8_count(int n, int k);
/// Quantizes fp32 weights (n × k) per output row and packs them; `scales` and `sums` (Σ quantized
/// values) hold ceil(n/16)·16 entries (padding rows get 0).
void qwery_pack_int8(const float *weights, int n, int k, int8_t *packed, float *scales, int32_t *sums);
/// Quantizes each of `rows` rows of k floats to u8 (value/scale + 128) at `stride` (≥ k, multiple of 4).
void qwery_quantize_rows_u8(const float *input, int rows, int k, int stride, uint8_t *output, float *scales);
/// c[i][j] = ascales[i] · wscales[j] · (Σ_k a[i][k] · w[j][k] − 128 · sums[j]) for the output columns
/// of panels [panel_begin, panel_end), on VNNI or the portable loop (`kernel` QWERY_KERNEL_PORTABLE forces it);
/// the AVX2 kernel takes split activations instead (qwery_gemm_int8_avx2, chosen by qwery_int8_kernel).
void qwery_gemm_int8(const uint8_t *a, int m, int stride, const int8_t *packed, int n, int k, const float *wscales,
                     const int32_t *sums, const float *ascales, float *c, int ldc, int panel_begin, int panel_end, int kernel);
/// Which int8 kernel runs for a requested one on this CPU: QWERY_KERNEL_AVX512_BF16 (VNNI), QWERY_KERNEL_AVX2 or
/// QWERY_KERNEL_PORTABLE.
int qwery_int8_kernel(int kernel);
/// For the AVX2 kernel: turns the quantized activations (value + 128) into signed values in place and writes
/// their magnitudes to `magnitudes` (rows × stride bytes).
void qwery_int8_split_for_avx2(uint8_t *a, int rows, int stride, uint8_t *magnitudes);
/// qwery_gemm_int8 on AVX2 (vpsignb, vpmaddubsw, vpmaddwd), from activations split by qwery_int8_split_for_avx2.
void qwery_gemm_int8_avx2(const int8_t *a, const uint8_t *magnitudes, int m, int stride, const int8_t *packed, int n, int k,
                          const float *wscales, const float *ascales, float *c, int ldc, int panel_begin, int panel_end);
/// The columns of an m × k activation batch whose largest |value| stands far above the typical column's
/// (massive activations), at most max_outliers of them (the largest), ascending; returns how many.
/// `column_max` is k floats of scratch.
int qwery_find_outlier_columns(const float *input, int rows, int k, float *column_max, int *outliers, int max_outliers);
/// qwery_quantize_rows_u8 with the `count` outlier columns left out (quantized as zero, not counted in the
/// row's scale); their values go to outlier_values (rows × count). `row_copy` is k floats of scratch.
void qwery_quantize_rows_u8_split(const float *input, int rows, int k, int stride, uint8_t *output, float *scales,
                                  const int *outliers, int count, float *outlier_values, float *row_copy);
/// c[i][j] += Σ over the outlier columns of outlier_values[i] · the dequantized weight w[j][column], for the
/// output columns of panels [panel_begin, panel_end). `column` is 16 · (panel_end − panel_begin) floats of scratch.
void qwery_gemm_int8_outliers(const float *outlier_values, int m, const int *outliers, int count, const int8_t *packed,
                              int n, int k, const float *wscales, float *c, int ldc, int panel_begin, int panel_end,
                              float *column);

// Element-wise steps (elementwise.c), vectorized for the running CPU.

/// RMSNorm of `count` vectors of `width` floats at `stride`: x / sqrt(mean(x²) + eps) · weight.
/// Dot products of `rows` rows (`stride` floats apart) with `query` (`width` floats) into `output`.
void qwery_dot_rows(const float *matrix, size_t rows, size_t stride, const float *query, int width, float *output);
void qwery_rms_norm(const float *input, float *output, int count, int width, int stride, const float *weight, float epsilon);
/// gate = silu(gate) · up.
void qwery_silu_multiply(float *gate, const float *up, size_t count);
/// Softmax over the first `visible` entries of a row; the rest of its `width` become 0.
void qwery_softmax_prefix(float *row, int visible, int width);
/// Rotates `count` head vectors (stride apart) by one position's cos/sin tables (half = headDim / 2).
void qwery_rope(float *vectors, int count, int stride, int half, const float *cosines, const float *sines);
/// target += addend.
void qwery_add(float *target, const float *addend, size_t count);
/// exact on bf16 weights for few rows: `c[i, j] = Σ a[i, ·] · widen(w[j, ·])` for the m × k fp32 rows of `a`
/// (stride lda) and the n × k bf16 rows at `weights` (any alignment), fp32 sums; AVX-512, AVX2 or portable
/// (`kernel` QWERY_KERNEL_AVX512_BF16 / AVX2 / PORTABLE forces one where the CPU has it).
void qwery_gemm_bf16_weights(const float *a, int m, int lda, const void *weights, int n, int k, float *c, int ldc, int kernel);
/// Which kernel qwery_gemm_bf16_weights runs for a requested one on this CPU.
int qwery_bf16_weights_kernel(int kernel);
/// Rounds each value to the nearest bf16 (ties to even) in place, kept as fp32 (the bf16 yardstick of calibration).
void qwery_round_to_bf16(float *values, size_t count);
/// `destination[i] = bf16 source[i]` widened to fp32 (exact); `source` may be unaligned.
void qwery_widen_bf16(const void *source, float *destination, size_t count);

// Thread pool (thread_pool.c).

/// Threads that run tasks: the caller plus one helper per other core.
int qwery_pool_threads(void);
/// Runs function(context, task) for task in 0..<tasks on the pool, returning when all are done.
void qwery_parallel_run(int tasks, void (*function)(void *context, int task), void *context);
#endif
