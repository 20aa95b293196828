/* Threads with TLS and futexes: four threads each store a distinct value in a __thread
 * variable and their tid, then wait on a condition variable (futex) for the go. After
 * SIGUSR1 (to the process; the threads block it) the main thread broadcasts; each thread
 * checks its TLS value, its tid and that it shares the address space and descriptor table,
 * and the main thread joins them all (CLONE_CHILD_CLEARTID wakes pthread_join). */
#include "zdtm.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>

#define T 4

static __thread int tls_value;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int waiting, go;
static int shared_counter;
static int fds[2];

static void *worker(void *arg) {
    int i = (int) (long) arg;
    tls_value = 1000 + i;
    pid_t tid = syscall(SYS_gettid);
    pthread_mutex_lock(&mu);
    waiting++;
    pthread_cond_broadcast(&cv);
    while (!go) pthread_cond_wait(&cv, &mu);
    shared_counter += i;
    pthread_mutex_unlock(&mu);
    int ok = tls_value == 1000 + i && syscall(SYS_gettid) == tid && tid != getpid();
    char c = 'a' + i;
    if (write(fds[1], &c, 1) != 1) ok = 0; /* the descriptor table is shared */
    return (void *) (long) ok;
}

int main(void) {
    zdtm_init();
    pipe(fds);
    tls_value = 7;
    pthread_t th[T];
    for (int i = 0; i < T; i++) pthread_create(&th[i], 0, worker, (void *) (long) i);
    pthread_mutex_lock(&mu);
    while (waiting < T) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    zdtm_ready_and_wait();

    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < T; i++) {
        void *r;
        CHECK(pthread_join(th[i], &r) == 0, "join %d", i);
        CHECK(r == (void *) 1L, "thread %d found its TLS or tid changed", i);
    }
    CHECK(tls_value == 7, "main thread TLS %d", tls_value);
    CHECK(shared_counter == 0 + 1 + 2 + 3, "shared memory counter %d", shared_counter);
    char b[T + 1];
    CHECK(read(fds[0], b, T) == T, "the threads' bytes did not arrive");
    return zdtm_end();
}
