/**
 * @file pool.c
 * @brief Thread counts and the job queue of the threaded stages.
 */
#include "pool.h"

#include <stdlib.h>
#include <unistd.h>

size_t
pool_threads(size_t max)
{
    const char *e = getenv("ERAUDIT_THREADS");
    long n = e ? atol(e) : sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return (size_t)n > max ? max : (size_t)n;
}

void
pool_init(struct pool_queue *q, size_t n)
{
    pthread_mutex_init(&q->lock, NULL);
    q->next = 0;
    q->n = n;
}

void
pool_destroy(struct pool_queue *q)
{
    pthread_mutex_destroy(&q->lock);
}

int
pool_take(struct pool_queue *q, size_t *job)
{
    pthread_mutex_lock(&q->lock);
    *job = q->next < q->n ? q->next++ : q->n;
    pthread_mutex_unlock(&q->lock);
    return *job < q->n;
}
