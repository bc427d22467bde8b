/**
 * @file cleanup.c
 * @brief Temporary directories removed on SIGINT, SIGTERM and SIGHUP.
 *
 * The signals are taken by sigwait() in a thread of their own, not by a
 * handler, so removing a directory tree there is ordinary code. Removal
 * walks the tree by descriptor (openat, fstatat, unlinkat) and never
 * follows a symbolic link: a link inside an old snapshot is unlinked, and
 * what it points to is left alone.
 */
#define _GNU_SOURCE /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP */
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

#define CLEANUP_MAX 16

static struct {
    pthread_mutex_t lock;
    char *dirs[CLEANUP_MAX];
    sigset_t set;
} cl = {.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

/*
 * Deeper than anything eraudit writes (a snapshot is five levels): a tree
 * built to exhaust descriptors is left in place, and said so, rather than
 * half walked.
 */
#define RM_MAX_DEPTH 64

/*
 * Remove @p name, relative to the directory @p at, never following a
 * symbolic link: a link is unlinked like a file, and a directory is opened
 * with O_NOFOLLOW and checked to be the one just examined, so a link put
 * in its place in between is not walked either.
 */
static int
rm_at(int at, const char *name, int depth)
{
    struct stat st, dst;
    struct dirent *e;
    DIR *d;
    int fd, rc = 0;

    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW))
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(at, name, 0) && errno != ENOENT ? -1 : 0;
    if (depth >= RM_MAX_DEPTH)
        return -1;
    fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &dst) || dst.st_dev != st.st_dev || dst.st_ino != st.st_ino || !(d = fdopendir(fd))) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        rc |= rm_at(dirfd(d), e->d_name, depth + 1);
    }
    closedir(d);
    if (unlinkat(at, name, AT_REMOVEDIR) && errno != ENOENT)
        rc = -1;
    return rc;
}

int
cleanup_rm_tree(const char *path)
{
    return rm_at(AT_FDCWD, path, 0);
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
    /* The messages below go on lines of their own, not after a status line. */
    progress_abandon();
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
