// Peak throughput of the multiply-accumulate instruction sequences the kernels are built from, on one
// core, with enough independent chains to hide latency (`qwery bench --peaks`). It says what a kernel on
// this CPU can reach at best: fp32 FMA (OpenBLAS's exact path) against the AVX2 int8 sequences.
#include "CKernels.h"
#include <immintrin.h>
#include <time.h>

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHAINS 8

// vfmadd231ps ymm: 8 multiply-adds.
__attribute__((target("avx2,fma"), noinline))
static double fma_macs_per_second(long steps) {
    __m256 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps(0.001f * (float)i);
    __m256 x = _mm256_set1_ps(0.9999f), y = _mm256_set1_ps(0.0001f);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+x"(x), "+x"(y));
    }
    double elapsed = seconds_now() - start;
    float sink[8];
    __m256 total = acc[0];
    for (int i = 1; i < CHAINS; i++) total = _mm256_add_ps(total, acc[i]);
    _mm256_storeu_ps(sink, total);
    __asm__ volatile("" : : "r"(sink) : "memory");
    return (double)steps * CHAINS * 8 / elapsed;
}

// What the AVX2 int8 kernel does per 32 multiply-adds of a signed activation: vpsignb (the activation's sign
// onto the weights), vpmaddubsw, vpmaddwd with ones, vpaddd. `with_sign` 0: the same without vpsignb, as an
// unsigned-by-signed product would run if one operand had only 7 bits (no saturation in vpmaddubsw).
__attribute__((target("avx2,fma"), noinline))
static double int8_macs_per_second(long steps, int with_sign) {
    // 6 chains: 6 accumulators, 6 weight vectors and 3 constants fill 15 of the 16 ymm registers (no spills).
    enum { INT8_CHAINS = 6 };
    __m256i acc[INT8_CHAINS];
    for (int i = 0; i < INT8_CHAINS; i++) acc[i] = _mm256_set1_epi32(i);
    __m256i w[INT8_CHAINS];
    for (int i = 0; i < INT8_CHAINS; i++) w[i] = _mm256_set1_epi8((char)(3 + i));
    __m256i magnitude = _mm256_set1_epi8(5), sign = _mm256_set1_epi8(-2);
    const __m256i ones = _mm256_set1_epi16(1);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < INT8_CHAINS; i++) {
            __m256i weights = with_sign ? _mm256_sign_epi8(w[i], sign) : w[i];
            acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, weights), ones));
        }
        // Every operand counts as changed each step, so nothing is hoisted out of the loop.
        __asm__ volatile("" : "+x"(w[0]), "+x"(w[1]), "+x"(w[2]), "+x"(w[3]), "+x"(w[4]), "+x"(w[5]));
        __asm__ volatile("" : "+x"(magnitude), "+x"(sign));
    }
    double elapsed = seconds_now() - start;
    __m256i total = acc[0];
    for (int i = 1; i < INT8_CHAINS; i++) total = _mm256_add_epi32(total, acc[i]);
    int sink[8];
    _mm256_storeu_si256((__m256i *)sink, total);
    __asm__ volatile("" : : "r"(sink) : "memory");
    return (double)steps * INT8_CHAINS * 32 / elapsed;
}

int qwery_measure_peaks(double *fma, double *int8_signed, double *int8_seven_bit) {
    if (!qwery_cpu_has_avx2_fma()) return 0;
    const long steps = 20000000;
    (void)fma_macs_per_second(steps / 10);  // warm up the clock
    *fma = fma_macs_per_second(steps);
    *int8_signed = int8_macs_per_second(steps, 1);
    *int8_seven_bit = int8_macs_per_second(steps, 0);
    return 1;
}

// MARK: - AVX-512 and VNNI peaks (what the fast and int8 kernels are built from)

// vfmadd231ps zmm: 16 multiply-adds.
__attribute__((target("avx512f"), noinline))
static double fma512_macs_per_second(long steps) {
    __m512 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(0.001f * (float)i);
    __m512 x = _mm512_set1_ps(0.9999f), y = _mm512_set1_ps(0.0001f);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+v"(x), "+v"(y));
    }
    double elapsed = seconds_now() - start;
    __m512 total = acc[0];
    for (int i = 1; i < CHAINS; i++) total = _mm512_add_ps(total, acc[i]);
    volatile float sink = _mm512_reduce_add_ps(total);
    (void)sink;
    return (double)steps * CHAINS * 16 / elapsed;
}

// vdpbf16ps zmm: 32 bf16 multiply-adds (pairs into 16 fp32 lanes), the fast kernel's instruction.
__attribute__((target("avx512f,avx512bf16"), noinline))
static double bf16_macs_per_second(long steps) {
    __m512 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(0.001f * (float)i);
    __m512bh x = (__m512bh)_mm512_set1_epi16(0x3F80), y = (__m512bh)_mm512_set1_epi16(0x3A00);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_dpbf16_ps(acc[i], x, y);
        __asm__ volatile("" : "+v"(x), "+v"(y));
    }
    double elapsed = seconds_now() - start;
    __m512 total = acc[0];
    for (int i = 1; i < CHAINS; i++) total = _mm512_add_ps(total, acc[i]);
    volatile float sink = _mm512_reduce_add_ps(total);
    (void)sink;
    return (double)steps * CHAINS * 32 / elapsed;
}

// vpdpbusd zmm: 64 u8 × s8 multiply-adds, the AVX-512 VNNI int8 kernel's instruction.
__attribute__((target("avx512f,avx512bw,avx512vnni"), noinline))
static double vnni512_macs_per_second(long steps) {
    __m512i acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_epi32(i);
    __m512i x = _mm512_set1_epi8(5), y = _mm512_set1_epi8(-3);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], x, y);
        __asm__ volatile("" : "+v"(x), "+v"(y));
    }
    double elapsed = seconds_now() - start;
    __m512i total = acc[0];
    for (int i = 1; i < CHAINS; i++) total = _mm512_add_epi32(total, acc[i]);
    volatile int sink = _mm512_reduce_add_epi32(total);
    (void)sink;
    return (double)steps * CHAINS * 64 / elapsed;
}

// vpdpbusd ymm (AVX-VNNI): 32 u8 × s8 multiply-adds without AVX-512.
__attribute__((target("avx2,avxvnni"), noinline))
static double avx_vnni_macs_per_second(long steps) {
    __m256i acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_epi32(i);
    __m256i x = _mm256_set1_epi8(5), y = _mm256_set1_epi8(-3);
    double start = seconds_now();
    for (long n = 0; n < steps; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_dpbusd_avx_epi32(acc[i], x, y);
        __asm__ volatile("" : "+x"(x), "+x"(y));
    }
    double elapsed = seconds_now() - start;
    __m256i total = acc[0];
    for (int i = 1; i < CHAINS; i++) total = _mm256_add_epi32(total, acc[i]);
    int sink[8];
    _mm256_storeu_si256((__m256i *)sink, total);
    __asm__ volatile("" : : "r"(sink) : "memory");
    return (double)steps * CHAINS * 32 / elapsed;
}

void qwery_measure_wide_peaks(double *fma512, double *bf16, double *vnni512, double *avx_vnni) {
    const long steps = 20000000;
    *fma512 = qwery_cpu_has_avx512_core() ? fma512_macs_per_second(steps) : 0;
    *bf16 = qwery_cpu_has_avx512_bf16() ? bf16_macs_per_second(steps) : 0;
    *vnni512 = qwery_cpu_has_avx512_vnni() ? vnni512_macs_per_second(steps) : 0;
    *avx_vnni = qwery_cpu_has_avx_vnni() ? avx_vnni_macs_per_second(steps) : 0;
}
