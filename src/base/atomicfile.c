/**
 * @file atomicfile.c
 * @brief Output files written beside their final name, checked, then renamed.
 */
#define _GNU_SOURCE /* mkostemp */
#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

struct atomicfile {
    char *path;      /* as the caller named it: what messages say */
    char *target;    /* what is replaced (the file a symbolic link points to) */
    char *tmp;       /* NULL when written in place (a device, a FIFO) */
    FILE *f;         /* writes through af_write(), which keeps the first error's errno */
    int fd;
    int werr;        /* errno of the first failed write: the cause a message names */
    int closed;
};

/*
 * The stream's write function: whoever writes (a report writer, libyang
 * printing the model), the cause of a failure (ENOSPC) is kept here, where
 * fflush() and ferror() alone would lose it.
 */
static ssize_t
af_write(void *cookie, const char *buf, size_t len)
{
    struct atomicfile *af = cookie;
    size_t done = 0;

    while (done < len) {
        ssize_t w = write(af->fd, buf + done, len - done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!af->werr)
                af->werr = w < 0 ? errno : EIO;
            errno = af->werr;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int
af_close(void *cookie)
{
    struct atomicfile *af = cookie;
    int r = close(af->fd);

    af->fd = -1;
    if (r && !af->werr)
        af->werr = errno;
    return r;
}

/* A stream over @p fd (owned from now on) that keeps its write errors in @p af. */
static FILE *
af_stream(struct atomicfile *af, int fd)
{
    cookie_io_functions_t io = {.write = af_write, .close = af_close};

    af->fd = fd;
    if (!(af->f = fopencookie(af, "w", io))) {
        close(fd);
        af->fd = -1;
    }
    return af->f;
}

/* The process's umask, read without changing it where the kernel says it (Linux 4.7+). */
static mode_t
current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[128];
    mode_t m;
    unsigned v;

    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "Umask: %o", &v) == 1) {
            fclose(f);
            return (mode_t)v;
        }
    }
    if (f)
        fclose(f);
    m = umask(022);
    umask(m);
    return m;
}

unsigned
atomicfile_new_mode(void)
{
    return 0666 & ~current_umask();
}

static er_code
fail_errno(struct er_err *err, const char *path, const char *what, int e)
{
    return er_set(err, ER_EIO, "%s: %s: %s", path, what, strerror(e));
}

void
atomicfile_abort(struct atomicfile *af)
{
    if (!af)
        return;
    if (af->f)
        fclose(af->f);
    if (af->tmp) {
        unlink(af->tmp);
        cleanup_drop(af->tmp);
    }
    free(af->path);
    free(af->target);
    free(af->tmp);
    free(af);
}

/* Where the bytes go: @p af->target, and whether in place. */
static er_code
resolve(struct atomicfile *af, mode_t *mode, int *in_place, struct er_err *err)
{
    struct stat st;

    *in_place = 0;
    *mode = (mode_t)atomicfile_new_mode();
    /* /dev/stdout and /proc/self/fd/N name a descriptor the caller holds:
     * its file is written as it is, never replaced by another. */
    if (!strncmp(af->path, "/dev/", 5) || !strncmp(af->path, "/proc/", 6)) {
        *in_place = 1;
        return ER_OK;
    }
    if (lstat(af->path, &st)) {
        if (errno != ENOENT)
            return fail_errno(err, af->path, "cannot write", errno);
        af->target = strdup(af->path);
        return ER_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(af->path, &st))
            return fail_errno(err, af->path, "cannot write through the symbolic link", errno);
        if (S_ISREG(st.st_mode) && !(af->target = realpath(af->path, NULL)))
            return fail_errno(err, af->path, "cannot resolve the symbolic link", errno);
    } else if (S_ISREG(st.st_mode)) {
        af->target = strdup(af->path);
    }
    if (S_ISDIR(st.st_mode))
        return er_set(err, ER_EIO, "%s: is a directory, expected a file name", af->path);
    if (!S_ISREG(st.st_mode))
        *in_place = 1;
    else
        *mode = st.st_mode & 07777;   /* a replaced file keeps its permissions */
    return ER_OK;
}

er_code
atomicfile_open(const char *path, struct atomicfile **out, struct er_err *err)
{
    struct atomicfile *af = calloc(1, sizeof *af);
    size_t n;
    mode_t mode;
    int fd, in_place;
    er_code rc;

    *out = NULL;
    if (!af || !(af->path = strdup(path))) {
        free(af);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    af->fd = -1;
    ER_TRY(rc, resolve(af, &mode, &in_place, err), fail);
    if (in_place) {
        if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, mode)) < 0 || !af_stream(af, fd)) {
            rc = fail_errno(err, path, "cannot open for writing", errno);
            goto fail;
        }
        *out = af;
        return ER_OK;
    }
    ER_CHECK_GOTO(!af->target, rc, er_set(err, ER_ENOMEM, "out of memory"), fail);
    n = strlen(af->target) + sizeof ".tmp-XXXXXX";
    ER_CHECK_GOTO(!(af->tmp = malloc(n)), rc, er_set(err, ER_ENOMEM, "out of memory"), fail);
    snprintf(af->tmp, n, "%s.tmp-XXXXXX", af->target);
    /* Created and registered together: an interruption in between leaves nothing. */
    cleanup_hold();
    if ((fd = mkostemp(af->tmp, O_CLOEXEC)) < 0) {
        cleanup_release();
        rc = fail_errno(err, path, "cannot create a file beside it", errno);
        free(af->tmp);
        af->tmp = NULL;
        goto fail;
    }
    cleanup_add(af->tmp);
    cleanup_release();
    if (fchmod(fd, mode)) {
        rc = fail_errno(err, path, "cannot write", errno);
        close(fd);
        goto fail;
    }
    if (!af_stream(af, fd)) {
        rc = fail_errno(err, path, "cannot write", errno);
        goto fail;
    }
    *out = af;
    return ER_OK;
fail:
    atomicfile_abort(af);
    return rc;
}

FILE *
atomicfile_stream(struct atomicfile *af)
{
    return af->f;
}

er_code
atomicfile_close(struct atomicfile *af, struct er_err *err)
{
    FILE *f = af->f;
    int e = 0;

    if (af->closed)
        return ER_OK;
    af->f = NULL;
    /* Each step checked: a full disk shows at fflush, fsync or fclose. */
    if (fflush(f) || ferror(f))
        e = af->werr ? af->werr : errno ? errno : EIO;
    else if (fsync(af->fd) && !(!af->tmp && (errno == EINVAL || errno == ENOTSUP || errno == EROFS)))
        e = errno;
    if (fclose(f) && !e)
        e = af->werr ? af->werr : errno;
    if (e) {
        if (af->tmp) {
            unlink(af->tmp);
            cleanup_drop(af->tmp);
            free(af->tmp);
            af->tmp = NULL;
        }
        return fail_errno(err, af->path, "cannot write", e);
    }
    af->closed = 1;
    return ER_OK;
}

/* Make a rename in the directory of @p path durable; best effort. */
static void
sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    int fd;

    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
}

er_code
atomicfile_commit(struct atomicfile *af, struct er_err *err)
{
    er_code rc = ER_OK;

    if (!af->closed && (rc = atomicfile_close(af, err)))
        goto done;
    if (!af->tmp)
        goto done;
    cleanup_hold();   /* renamed and dropped together, or removed */
    if (rename(af->tmp, af->target)) {
        rc = fail_errno(err, af->path, "cannot rename into place", errno);
    } else {
        cleanup_drop(af->tmp);
        free(af->tmp);
        af->tmp = NULL;
    }
    cleanup_release();
    if (!rc)
        sync_parent(af->target);
done:
    atomicfile_abort(af);
    return rc;
}

er_code
atomicfile_write(const char *path, const void *buf, size_t len, struct er_err *err)
{
    struct atomicfile *af;
    er_code rc;

    ER_TRY(rc, atomicfile_open(path, &af, err), done);
    if (len && fwrite(buf, 1, len, af->f) != len) {
        int e = af->werr ? af->werr : errno;

        atomicfile_abort(af);
        return fail_errno(err, path, "cannot write", e);
    }
    rc = atomicfile_commit(af, err);
done:
    return rc;
}

int
atomicfile_mkdirs(char *path, mode_t mode)
{
    char *p;

    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, mode) && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}
