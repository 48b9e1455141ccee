#ifndef QWERY_CBLAS_LOADER_H
#define QWERY_CBLAS_LOADER_H

/// OpenBLAS, opened with dlopen the first time a model is loaded, so the faces that compute nothing (`qwery search`
/// through a running server, `status`, MCP beside the watcher) never map it. Linked, it cost every process its
/// start-up constructor and one OpenBLAS thread per extra core spinning in sched_yield for about 0.1 s: on two
/// cores that thread took a third of the CPU from the server answering the very same search (perf; `qwery bench
/// --warm` at 100,000 chunks 97 → 84 ms with the pool off). Loaded here, its pool is stopped at once: qwery runs
/// OpenBLAS single-threaded inside its own parallel loops.


#define QWERY_BLAS_ROW_MAJOR 101
#define QWERY_BLAS_NO_TRANS 111
#define QWERY_BLAS_TRANS 112

/// Loads OpenBLAS (once per process). NULL when it is there, else why not.
const char *qwery_blas_load(void);
/// Unloads OpenBLAS and loads it again with OPENBLAS_CORETYPE set to `core` (the variable is restored after):
/// the correction of a fallback core. NULL when it is there again, else why not.
const char *qwery_blas_reload(const char *core);
/// The compute core OpenBLAS chose (`openblas_get_corename`), NULL when it is not loaded.
const char *qwery_blas_corename(void);

/// cblas_sgemm and cblas_sgemv, through the loaded library (loading it first if need be).
void qwery_sgemm(int order, int transposeA, int transposeB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void qwery_sgemv(int order, int transpose, int m, int n, float alpha, const float *a, int lda, const float *x, int incx,
                 float beta, float *y, int incy);

#endif
