/**
 * @file cleanup.c
 * @brief Temporary directories removed on SIGINT, SIGTERM and SIGHUP.
 *
 * The signals are taken by sigwait() in a thread of their own, not by a
 * handler, so removing a directory tree there is ordinary code.
 */
#define _GNU_SOURCE /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP */
#include "cleanup.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_MAX 16

static struct {
    pthread_mutex_t lock;
    char *dirs[CLEANUP_MAX];
    sigset_t set;
} cl = {.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

int
cleanup_rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[PATH_MAX];
    int rc = 0;

    if (!d)
        return unlink(path);
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc |= cleanup_rm_tree(sub);
    }
    closedir(d);
    return rmdir(path) | rc;
}

void
cleanup_hold(void)
{
    pthread_mutex_lock(&cl.lock);
}

void
cleanup_release(void)
{
    pthread_mutex_unlock(&cl.lock);
}

void
cleanup_add(const char *dir)
{
    size_t i;

    pthread_mutex_lock(&cl.lock);
    for (i = 0; i < CLEANUP_MAX && cl.dirs[i]; i++)
        ;
    if (i < CLEANUP_MAX)
        cl.dirs[i] = strdup(dir);
    pthread_mutex_unlock(&cl.lock);
}

void
cleanup_drop(const char *dir)
{
    size_t i;

    pthread_mutex_lock(&cl.lock);
    for (i = 0; i < CLEANUP_MAX; i++) {
        if (cl.dirs[i] && !strcmp(cl.dirs[i], dir)) {
            free(cl.dirs[i]);
            cl.dirs[i] = NULL;
        }
    }
    pthread_mutex_unlock(&cl.lock);
}

static void *
watch(void *arg)
{
    char msg[PATH_MAX + 64];
    size_t i;
    int sig, tries;

    (void)arg;
    if (sigwait(&cl.set, &sig))
        return NULL;
    /* The lock is kept: no directory is registered or dropped from now on. */
    pthread_mutex_lock(&cl.lock);
    for (i = 0; i < CLEANUP_MAX; i++) {
        if (!cl.dirs[i])
            continue;
        /* Writers still running may add a file between the unlinks and rmdir. */
        for (tries = 0; tries < 20 && cleanup_rm_tree(cl.dirs[i]) && !access(cl.dirs[i], F_OK); tries++)
            usleep(10000);
        snprintf(msg, sizeof msg, "eraudit: interrupted; removed %s\n", cl.dirs[i]);
        if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
            /* stderr gone: the other directories are removed all the same */
        }
    }
    _exit(128 + sig);
}

void
cleanup_on_signals(void)
{
    pthread_t tid;

    sigemptyset(&cl.set);
    sigaddset(&cl.set, SIGINT);
    sigaddset(&cl.set, SIGTERM);
    sigaddset(&cl.set, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &cl.set, NULL))
        return;
    if (pthread_create(&tid, NULL, watch, NULL)) {
        pthread_sigmask(SIG_UNBLOCK, &cl.set, NULL);
        return;
    }
    pthread_detach(tid);
}
