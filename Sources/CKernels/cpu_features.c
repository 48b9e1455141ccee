// CPU features the BLAS core choice and the AVX-VNNI kernel need (the others sit beside their kernels).
#include <cpuid.h>
#include "CKernels.h"

static int os_saves_ymm_state(unsigned int *xcr0) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;  // OSXSAVE
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    *xcr0 = low;
    return (low & 0x6) == 0x6;  // XMM and YMM state
}

int qwery_cpu_has_avx512_core(void) {
    unsigned int eax, ebx, ecx, edx, xcr0 = 0;
    if (!os_saves_ymm_state(&xcr0) || (xcr0 & 0xE6) != 0xE6) return 0;  // opmask and ZMM state too
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int f = (ebx >> 16) & 1, dq = (ebx >> 17) & 1, bw = (ebx >> 30) & 1, vl = (ebx >> 31) & 1;
    return f && dq && bw && vl;
}

int qwery_cpu_has_avx_vnni(void) {
    unsigned int eax, ebx, ecx, edx, xcr0 = 0;
    if (!os_saves_ymm_state(&xcr0)) return 0;
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    return (eax >> 4) & 1;  // AVX-VNNI: vpdpbusd on ymm without AVX-512
}
