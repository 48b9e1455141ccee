// A small thread pool for the forward pass: helpers spin briefly between the hundreds of matrix
// products of one pass (waking a sleeping thread costs tens of microseconds each time), then sleep.
// One caller at a time; a second concurrent caller runs its tasks itself.
#include "CKernels.h"

#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELPERS 63
#define SPIN_NANOSECONDS 2000000  // helpers spin this long after the last job before sleeping

static pthread_mutex_t caller = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_once_t started = PTHREAD_ONCE_INIT;
static int helper_count = 0;

static _Atomic unsigned long job_generation = 0;
static _Atomic int next_task = 0;
static _Atomic int helpers_done = 0;
static int task_count = 0;
static void (*job_function)(void *, int) = 0;
static void *job_context = 0;

static long long monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void run_tasks(void) {
    for (;;) {
        int task = atomic_fetch_add(&next_task, 1);
        if (task >= task_count) return;
        job_function(job_context, task);
    }
}

static void *helper_main(void *unused) {
    (void)unused;
    unsigned long seen = 0;
    for (;;) {
        long long idle_since = monotonic_nanoseconds();
        while (atomic_load(&job_generation) == seen) {
            _mm_pause();
            if (monotonic_nanoseconds() - idle_since > SPIN_NANOSECONDS) {
                pthread_mutex_lock(&sleep_lock);
                while (atomic_load(&job_generation) == seen) pthread_cond_wait(&wake, &sleep_lock);
                pthread_mutex_unlock(&sleep_lock);
            }
        }
        seen = atomic_load(&job_generation);
        run_tasks();
        atomic_fetch_add(&helpers_done, 1);
    }
    return 0;
}

static void start_helpers(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    helper_count = cores > 1 ? (int)(cores - 1 > MAX_HELPERS ? MAX_HELPERS : cores - 1) : 0;
    for (int i = 0; i < helper_count; i++) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attributes, helper_main, 0) != 0) helper_count = i;
        pthread_attr_destroy(&attributes);
    }
}

int qwery_pool_threads(void) {
    pthread_once(&started, start_helpers);
    return helper_count + 1;
}

void qwery_parallel_run(int tasks, void (*function)(void *context, int task), void *context) {
    pthread_once(&started, start_helpers);
    if (tasks <= 1 || helper_count == 0 || pthread_mutex_trylock(&caller) != 0) {
        for (int task = 0; task < tasks; task++) function(context, task);
        return;
    }
    job_function = function;
    job_context = context;
    task_count = tasks;
    atomic_store(&next_task, 0);
    atomic_store(&helpers_done, 0);
    pthread_mutex_lock(&sleep_lock);
    atomic_fetch_add(&job_generation, 1);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&sleep_lock);
    run_tasks();
    while (atomic_load(&helpers_done) < helper_count) _mm_pause();
    pthread_mutex_unlock(&caller);
}
