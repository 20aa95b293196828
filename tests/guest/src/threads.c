/* Threads: pthread_create/join, a mutex under contention, a condition variable, thread-local
 * storage, and a shared address space. Preemption interleaves the threads; the results do
 * not depend on how. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static int failures;
static void check(const char *what, int ok) {
    printf("%-50s %s\n", what, ok ? "ok" : "BAD");
    if (!ok) failures++;
}

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value = 5;
static int tls_seen[THREADS];
static int tids_distinct[THREADS];

static void *worker(void *arg) {
    int id = (int)(long)arg;
    tls_value = 100 + id;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    tls_seen[id] = tls_value;
    tids_distinct[id] = syscall(SYS_gettid) != getpid();
    return (void *)(long)(id * 2);
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn, pings;

static void *ponger(void *arg) {
    for (int i = 0; i < 50; i++) {
        pthread_mutex_lock(&m);
        while (turn != 1) pthread_cond_wait(&cv, &m);
        pings++;
        turn = 0;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&m);
    }
    return 0;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], 0, worker, (void *)i);
    long rets = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        rets += (long)r;
    }
    check("mutex-protected counter is exact", counter == (long)THREADS * ROUNDS);
    check("join returns each thread's value", rets == 0 + 2 + 4 + 6);
    int tls_ok = 1, tid_ok = 1;
    for (int i = 0; i < THREADS; i++) { tls_ok &= tls_seen[i] == 100 + i; tid_ok &= tids_distinct[i]; }
    check("each thread has its own TLS", tls_ok);
    check("main thread's TLS untouched", tls_value == 5);
    check("threads have their own tids, one pid", tid_ok);

    pthread_t p;
    pthread_create(&p, 0, ponger, 0);
    for (int i = 0; i < 50; i++) {
        pthread_mutex_lock(&m);
        turn = 1;
        pthread_cond_signal(&cv);
        while (turn != 0) pthread_cond_wait(&cv, &m);
        pthread_mutex_unlock(&m);
    }
    pthread_join(p, 0);
    check("condition variable ping-pong, 50 rounds", pings == 50);

    printf("threads: %s\n", failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
