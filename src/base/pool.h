/**
 * @file pool.h
 * @brief What the threaded stages share (pool_* module): how many threads,
 * and a queue of job indexes taken in order by whichever thread is free.
 */
#ifndef ER_POOL_H
#define ER_POOL_H

#include <pthread.h>
#include <stddef.h>

/** Jobs 0..n-1, handed out in order. */
struct pool_queue {
    pthread_mutex_t lock;
    size_t next, n;
};

/** @brief Threads to use: $ERAUDIT_THREADS, else one a core; at least 1, at most @p max. */
size_t pool_threads(size_t max);

/** @brief Prepare @p q for @p n jobs. */
void pool_init(struct pool_queue *q, size_t n);

/** @brief Release @p q once no thread takes from it. */
void pool_destroy(struct pool_queue *q);

/** @brief The next job for this thread; 0 when none is left (the index is in @p job). */
int pool_take(struct pool_queue *q, size_t *job);

#endif
