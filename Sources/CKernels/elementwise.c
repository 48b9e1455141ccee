// Element-wise steps of the forward pass, vectorized by the compiler for the best instruction set
// this CPU has (function multiversioning picks AVX-512, AVX2 or baseline at load time).
#include "CKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define CLONES __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))

// e^x with Cephes' single-precision polynomial (about 1 ulp), written so loops over it vectorize.
static inline float exp_approx(float x) {
    x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
    float n = nearbyintf(x * 1.44269504088896341f);
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return p * scale;
}

CLONES
void qwery_rms_norm(const float *input, float *output, int count, int width, int stride, const float *weight, float epsilon) {
    for (int vector = 0; vector < count; vector++) {
        const float *source = input + (size_t)vector * stride;
        float *destination = output + (size_t)vector * stride;
        // 16 partial sums so the loop vectorizes without reassociating a single sum.
        float partial[16] = {0};
        int i = 0;
        for (; i + 16 <= width; i += 16)
            for (int lane = 0; lane < 16; lane++) partial[lane] += source[i + lane] * source[i + lane];
        float sum = 0;
        for (int lane = 0; lane < 16; lane++) sum += partial[lane];
        for (; i < width; i++) sum += source[i] * source[i];
        float scale = 1.0f / sqrtf(sum / (float)width + epsilon);
        for (int i = 0; i < width; i++) destination[i] = weight[i] * (source[i] * scale);
    }
}

CLONES
void qwery_silu_multiply(float *gate, const float *up, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float value = gate[i];
        gate[i] = value / (1.0f + exp_approx(-value)) * up[i];
    }
}

CLONES
void qwery_softmax_prefix(float *row, int visible, int width) {
    float maximum = -INFINITY;
    for (int i = 0; i < visible; i++) maximum = row[i] > maximum ? row[i] : maximum;
    for (int i = 0; i < visible; i++) row[i] = exp_approx(row[i] - maximum);
    float partial[16] = {0};
    int i = 0;
    for (; i + 16 <= visible; i += 16)
        for (int lane = 0; lane < 16; lane++) partial[lane] += row[i + lane];
    float sum = 0;
    for (int lane = 0; lane < 16; lane++) sum += partial[lane];
    for (; i < visible; i++) sum += row[i];
    float inverse = 1.0f / sum;
    for (i = 0; i < visible; i++) row[i] *= inverse;
    for (int i = visible; i < width; i++) row[i] = 0;
}

CLONES
void qwery_rope(float *vectors, int count, int stride, int half, const float *cosines, const float *sines) {
    for (int vector = 0; vector < count; vector++) {
        float *first = vectors + (size_t)vector * stride;
        float *second = first + half;
        for (int i = 0; i < half; i++) {
            float a = first[i], b = second[i];
            first[i] = a * cosines[i] - b * sines[i];
            second[i] = b * cosines[i] + a * sines[i];
        }
    }
}

CLONES
void qwery_add(float *target, const float *addend, size_t count) {
    for (size_t i = 0; i < count; i++) target[i] += addend[i];
}

// bf16 → fp32 is exact: a bf16 value is the top half of an fp32. Reads unaligned 16-bit words (safetensors
// offsets need not be aligned) and widens them with a shift, vectorized by the compiler.
CLONES
void qwery_widen_bf16(const void *source, float *destination, size_t count) {
    const uint8_t *bytes = (const uint8_t *)source;
    uint32_t *out = (uint32_t *)destination;
    for (size_t i = 0; i < count; i++) {
        uint16_t bits;
        memcpy(&bits, bytes + 2 * i, 2);
        out[i] = (uint32_t)bits << 16;
    }
}

// Rounds each value to the nearest bf16 (ties to even), kept as an fp32: what a bf16 tensor would hold.
CLONES
void qwery_round_to_bf16(float *values, size_t count) {
    uint32_t *bits = (uint32_t *)values;
    for (size_t i = 0; i < count; i++) {
        uint32_t value = bits[i];
        if ((value & 0x7F800000u) == 0x7F800000u) continue;  // inf and NaN stay
        value += 0x7FFFu + ((value >> 16) & 1u);
        bits[i] = value & 0xFFFF0000u;
    }
}

// Dot products of `rows` rows (`stride` floats apart) with `query` (`width` floats): the exact vector scan of search.
// Bound by reading the rows, as sgemv is; ours so that search never needs OpenBLAS (cblas_loader.h).
CLONES
void qwery_dot_rows(const float *matrix, size_t rows, size_t stride, const float *query, int width, float *output) {
    for (size_t row = 0; row < rows; row++) {
        const float *source = matrix + row * stride;
        float partial[16] = {0};
        int i = 0;
        for (; i + 16 <= width; i += 16)
            for (int lane = 0; lane < 16; lane++) partial[lane] += source[i + lane] * query[i + lane];
        float sum = 0;
        for (int lane = 0; lane < 16; lane++) sum += partial[lane];
        for (; i < width; i++) sum += source[i] * query[i];
        output[row] = sum;
    }
}
