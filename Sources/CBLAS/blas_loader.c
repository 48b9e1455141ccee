#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cblas_loader.h"

typedef void (*sgemm_function)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*sgemv_function)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);

// Written under `lock` only; read by the compute calls after `qwery_blas_load` returned (the engine loads before
// it computes), or under the lock when they find nothing loaded.
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *library;
static sgemm_function sgemm;
static sgemv_function sgemv;
static char *(*corename)(void);
static int attempted;
static char failure[512];

static void *symbol(const char *name) {
    void *found = dlsym(library, name);
    if (!found && !failure[0]) snprintf(failure, sizeof failure, "OpenBLAS (libopenblas.so.0) lacks %s", name);
    return found;
}

static void open_library(void) {
    failure[0] = 0;
    library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "cannot load OpenBLAS (install libopenblas0-pthread): %s", why ? why : "not found");
        return;
    }
    sgemm = (sgemm_function)symbol("cblas_sgemm");
    sgemv = (sgemv_function)symbol("cblas_sgemv");
    corename = (char *(*)(void))symbol("openblas_get_corename");
    void (*set_threads)(int) = (void (*)(int))symbol("openblas_set_num_threads");
    if (set_threads) set_threads(1);
    // Its worker threads spin in sched_yield for ~0.1 s after they start; they have nothing to do here.
    int (*shutdown_threads)(void) = (int (*)(void))dlsym(library, "blas_thread_shutdown_");
    if (shutdown_threads) shutdown_threads();
}

const char *qwery_blas_load(void) {
    pthread_mutex_lock(&lock);
    if (!attempted) {
        attempted = 1;
        open_library();
    }
    pthread_mutex_unlock(&lock);
    return failure[0] ? failure : NULL;
}

const char *qwery_blas_reload(const char *core) {
    pthread_mutex_lock(&lock);
    if (library) dlclose(library);
    library = NULL;
    sgemm = NULL;
    sgemv = NULL;
    corename = NULL;
    // OpenBLAS reads OPENBLAS_CORETYPE only while it loads, so the variable is set around the load and put back.
    // setenv while other threads may read the environment: glibc keeps replaced strings alive, and this runs once,
    // only when OpenBLAS chose a fallback core.
    const char *own = getenv("OPENBLAS_CORETYPE");
    char *previous = own ? strdup(own) : NULL;
    setenv("OPENBLAS_CORETYPE", core, 1);
    attempted = 1;
    open_library();
    if (previous) {
        setenv("OPENBLAS_CORETYPE", previous, 1);
        free(previous);
    } else {
        unsetenv("OPENBLAS_CORETYPE");
    }
    pthread_mutex_unlock(&lock);
    return failure[0] ? failure : NULL;
}

const char *qwery_blas_corename(void) {
    pthread_mutex_lock(&lock);
    const char *name = corename ? corename() : NULL;
    pthread_mutex_unlock(&lock);
    return name;
}

// The engine loads OpenBLAS (and reports a failure as an error) before it computes; a call that finds nothing
// loaded loads it, and stops the process with the reason when it cannot.
static void require(void *function) {
    if (function) return;
    const char *why = qwery_blas_load();
    if (why) {
        fprintf(stderr, "qwery: %s\n", why);
        abort();
    }
}

void qwery_sgemm(int order, int transposeA, int transposeB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc) {
    require((void *)sgemm);
    sgemm(order, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void qwery_sgemv(int order, int transpose, int m, int n, float alpha, const float *a, int lda, const float *x, int incx,
                 float beta, float *y, int incy) {
    require((void *)sgemv);
    sgemv(order, transpose, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
