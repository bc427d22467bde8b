/**
 * @file snapshot.c
 * @brief A snapshot's directory and data files: opened beneath its root to
 * be read (snap_root_open(), snap_data_open()), and written into a temporary
 * directory that replaces nothing but an earlier snapshot and appears under
 * its final name whole, or not at all (snap_writer_begin() to
 * snap_writer_commit()). The manifest, read and written, is
 * snapshot_manifest.c's.
 */
#define _GNU_SOURCE /* syncfs, renameat2 */
#include "snapshot_int.h"
#include "bound.h"
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "beneath.h"

const char *
snap_device_dir(const char *snapdir, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/devices/%s", snapdir, name);
    return buf;
}

er_code
snap_root_open(const char *dir, int *fd, struct er_err *err)
{
    /* The directory itself is the one the user named: a link to it is followed. */
    if ((*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return er_set(err, ER_ENOTFOUND, "%s: snapshot directory not found", dir);
    return ER_OK;
}

/*
 * Write a whole file, every write and the close checked. Files live in the
 * snapshot's temporary directory, which appears under its final name only
 * on commit, after one syncfs() on a descriptor opened before the first
 * file was written (so it reports any write-back error of any of them):
 * a file needs neither its own fsync nor a rename.
 */
static er_code
write_file(const char *path, const void *buf, size_t len, struct er_err *err)
{
    const char *p = buf;
    int fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return er_set(err, ER_EIO, "%s: %s", path, strerror(errno));
    while (len) {
        ssize_t w = write(fd, p, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            er_set(err, ER_EIO, "%s: %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return ER_EIO;
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd)) {
        er_set(err, ER_EIO, "%s: %s", path, strerror(errno));
        unlink(path);
        return ER_EIO;
    }
    return ER_OK;
}

/* Flush everything written since @p fd was opened to disk; an error of any file shows here. */
static er_code
sync_fs(int fd, const char *dir, struct er_err *err)
{
    if (syncfs(fd))
        return er_set(err, ER_EIO, "%s: cannot write the snapshot: %s", dir, strerror(errno));
    return ER_OK;
}

/* A directory that holds a snapshot: a manifest (a regular file) eraudit can read. */
static int
is_snapshot(struct ly_ctx *ctx, const char *dir)
{
    char path[PATH_MAX];
    struct snapshot *s = NULL;
    struct stat st;
    int yes;

    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if (lstat(path, &st) || !S_ISREG(st.st_mode))
        return 0;
    yes = snap_open(ctx, dir, &s, &(struct er_err){0}) == ER_OK;
    snap_free(s);
    return yes;
}

static const char *
file_kind(mode_t m)
{
    return S_ISREG(m) ? "a regular file" : S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISFIFO(m) ? "a FIFO" :
            S_ISSOCK(m) ? "a socket" : "not a directory";
}

/*
 * What is at @p dir may be given a snapshot: nothing (*exists = 0), or,
 * with @p replace, an earlier snapshot (*exists = 1). Anything else (a
 * user's directory, a file, a symbolic link) is refused, named.
 */
static er_code
check_target(struct ly_ctx *ctx, const char *dir, int replace, int *exists, struct er_err *err)
{
    struct stat st;

    *exists = 0;
    if (lstat(dir, &st))
        return errno == ENOENT ? ER_OK : er_set(err, ER_EINVAL, "%s: cannot write a snapshot there: %s", dir,
                strerror(errno));
    if (S_ISLNK(st.st_mode))
        return er_set(err, ER_EINVAL, "%s: is a symbolic link; a snapshot is written into a new directory, "
                "never through a link", dir);
    if (!S_ISDIR(st.st_mode))
        return er_set(err, ER_EINVAL, "%s: exists and is %s; a snapshot is written into a new directory", dir,
                file_kind(st.st_mode));
    if (!is_snapshot(ctx, dir))
        return er_set(err, ER_EINVAL, "%s: exists and is not an eraudit snapshot (no readable manifest.json); "
                "a snapshot is written into a new directory, and --force replaces only an earlier snapshot", dir);
    if (!replace)
        return er_set(err, ER_EINVAL, "%s: holds an earlier snapshot; give --force to replace it", dir);
    *exists = 1;
    return ER_OK;
}

er_code
snap_writer_begin(struct ly_ctx *ctx, const char *final_dir, int replace, struct snap_writer **out,
        struct er_err *err)
{
    struct snap_writer *w;
    char tmpl[PATH_MAX];
    size_t len = strlen(final_dir);
    time_t now = time(NULL);
    struct tm tm;
    int exists, fd;
    er_code rc;

    while (len > 1 && final_dir[len - 1] == '/')
        len--;
    snprintf(tmpl, sizeof tmpl, "%.*s", (int)len, final_dir);
    /* Before any device is contacted: nothing but an earlier snapshot is ever replaced. */
    ER_TRY(rc, check_target(ctx, tmpl, replace, &exists, err), done);
    snprintf(tmpl, sizeof tmpl, "%.*s.tmp-XXXXXX", (int)len, final_dir);
    cleanup_hold();   /* created and registered together */
    if (!mkdtemp(tmpl)) {
        cleanup_release();
        return er_set(err, ER_EIO, "%s: cannot create a temporary snapshot directory: %s", tmpl, strerror(errno));
    }
    cleanup_add(tmpl);   /* an interrupted collection leaves no half snapshot */
    cleanup_release();
    w = calloc(1, sizeof *w);
    fd = open(tmpl, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (!w || fd < 0) {
        rc = w ? er_set(err, ER_EIO, "%s: %s", tmpl, strerror(errno)) : er_set(err, ER_ENOMEM, "out of memory");
        if (fd >= 0)
            close(fd);
        free(w);
        cleanup_rm_tree(tmpl);
        cleanup_drop(tmpl);
        return rc;
    }
    w->ctx = ctx;
    w->final_dir = strndup(final_dir, len);
    w->tmp_dir = strdup(tmpl);
    w->tmp_fd = fd;
    w->replace = replace;
    pthread_mutex_init(&w->lock, NULL);
    gmtime_r(&now, &tm);
    strftime(w->created, sizeof w->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    *out = w;
done:
    return rc;
}

void
snap_writer_keeps_secrets(struct snap_writer *w)
{
    w->device_secrets = 1;
}

const char *
snap_writer_dir(const struct snap_writer *w)
{
    return w->tmp_dir;
}

er_code
snap_write_file(struct snap_writer *w, const char *device, const char *relpath, const void *buf, size_t len,
        struct er_err *err)
{
    char path[PATH_MAX];

    if (strstr(device, "..") || strchr(device, '/') || strstr(relpath, ".."))
        return er_set(err, ER_EINVAL, "device %s: refusing unsafe snapshot path '%s'", device, relpath);
    snprintf(path, sizeof path, "%s/devices/%s/%s", w->tmp_dir, device, relpath);
    if (atomicfile_mkdirs(path, 0755))
        return er_set(err, ER_EIO, "%s: %s", path, strerror(errno));
    return write_file(path, buf, len, err);
}

er_code
snap_copy_in(struct snap_writer *w, const char *src, const char *name, struct er_err *err)
{
    char path[PATH_MAX];
    char *buf = NULL;
    size_t len;
    er_code rc;

    if ((rc = bound_read_path(src, src, 0, &buf, &len, err)))
        return rc;
    snprintf(path, sizeof path, "%s/%s", w->tmp_dir, name);
    rc = atomicfile_mkdirs(path, 0755) ? er_set(err, ER_EIO, "%s: cannot create its directory", path) : write_file(path, buf, len, err);
    free(buf);
    return rc;
}

const char *
snap_data_name(const char *kind, const char *path, char *buf, size_t size)
{
    const char *p, *base;

    if (!path || !*path)
        return NULL;
    /* A path inside the inventory's directory keeps its place. */
    if (path[0] != '/') {
        for (p = path; *p; p += strcspn(p, "/"), p += *p == '/') {
            if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
                break;
        }
        if (!*p)
            return path;
    }
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(buf, size, "data/%s-%s", kind, *base ? base : "file");
    return buf;
}

er_code
snap_data_open(int root, const char *invname, int line, const char *kind, const char *path, int dir, int *fd,
        char *buf, size_t size, struct er_err *err)
{
    const char *rel = snap_data_name(kind, path, buf, size);
    char qb[300];

    *fd = -1;
    if (!rel)
        return ER_OK;
    if (rel != buf)
        snprintf(buf, size, "%s", rel);
    /* O_NONBLOCK: a FIFO in a snapshot opens at once and is refused by type. */
    if ((*fd = beneath_open(root, buf, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY | O_NONBLOCK)) < 0) {
        if (rel != path && errno == ENOENT)
            return er_set(err, ER_EINVAL, "%s:%d: %s %s is outside the snapshot, and the snapshot holds no copy of "
                    "it (%s): a snapshot is read only from inside", invname, line, kind,
                    snap_quote(path, qb, sizeof qb), buf);
        return er_set(err, ER_EINVAL, "%s:%d: %s %s: cannot read %s: %s", invname, line, kind,
                snap_quote(path, qb, sizeof qb), buf, beneath_strerror(errno));
    }
    return ER_OK;
}

static void
writer_free(struct snap_writer *w)
{
    snap_writer_manifest_free(w);
    free(w->final_dir);
    free(w->tmp_dir);
    if (w->tmp_fd >= 0)
        close(w->tmp_fd);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

/* Make the rename itself durable: sync the directory holding @p dir (best effort). */
static void
sync_parent(const char *dir)
{
    char parent[PATH_MAX], *slash;
    int fd;

    snprintf(parent, sizeof parent, "%s", dir);
    slash = strrchr(parent, '/');
    if (slash)
        *(slash == parent ? slash + 1 : slash) = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    if ((fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
}

/*
 * Put the finished snapshot under its final name. What is there is looked
 * at again (a collection takes minutes): nothing is renamed into place over
 * anything but an earlier snapshot, and that one is swapped out in one step
 * (RENAME_EXCHANGE), so a failure at any point leaves it whole. The old
 * snapshot, now under the temporary name, is then removed without following
 * any link inside it.
 */
static er_code
place(struct snap_writer *w, struct er_err *err)
{
    char old[PATH_MAX];
    int exists, r;
    er_code rc;

    ER_TRY(rc, check_target(w->ctx, w->final_dir, w->replace, &exists, err), done);
    cleanup_hold();   /* the rename and the registration change together, if interrupted */
    if (!exists) {
        r = renameat2(AT_FDCWD, w->tmp_dir, AT_FDCWD, w->final_dir, RENAME_NOREPLACE);
        if (r && (errno == EINVAL || errno == ENOSYS))
            r = rename(w->tmp_dir, w->final_dir);   /* a directory never replaces anything but an empty one */
        if (r) {
            rc = er_set(err, ER_EIO, "%s: cannot rename the snapshot into place: %s", w->final_dir, strerror(errno));
        } else {
            cleanup_drop(w->tmp_dir);
        }
        cleanup_release();
        goto done;
    }
    if (!renameat2(AT_FDCWD, w->tmp_dir, AT_FDCWD, w->final_dir, RENAME_EXCHANGE)) {
        /* The temporary name now holds the old snapshot, still registered for removal. */
        cleanup_release();
        if (cleanup_rm_tree(w->tmp_dir))
            fprintf(stderr, "eraudit: %s: the replaced snapshot could not be removed whole\n", w->tmp_dir);
        cleanup_drop(w->tmp_dir);
        goto done;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EXDEV) {
        rc = er_set(err, ER_EIO, "%s: cannot replace the snapshot: %s", w->final_dir, strerror(errno));
        cleanup_release();
        goto done;
    }
    /* No RENAME_EXCHANGE here (an old kernel, some overlay file systems): move the old one aside, the new one in. */
    snprintf(old, sizeof old, "%s.old-%ld", w->final_dir, (long)getpid());
    if (rename(w->final_dir, old)) {
        rc = er_set(err, ER_EIO, "%s: cannot replace the snapshot: %s", w->final_dir, strerror(errno));
    } else if (rename(w->tmp_dir, w->final_dir)) {
        rc = er_set(err, ER_EIO, "%s: cannot rename the snapshot into place: %s", w->final_dir, strerror(errno));
        rename(old, w->final_dir);
    } else {
        cleanup_drop(w->tmp_dir);
        cleanup_add(old);
    }
    cleanup_release();
    if (!rc) {
        cleanup_rm_tree(old);
        cleanup_drop(old);
    }
done:
    return rc;
}

er_code
snap_writer_commit(struct snap_writer *w, struct er_err *err)
{
    char path[PATH_MAX];
    char *json = NULL;
    er_code rc;

    ER_TRY(rc, snap_manifest_print(w, &json, err), cleanup);
    snprintf(path, sizeof path, "%s/manifest.json", w->tmp_dir);
    ER_TRY(rc, write_file(path, json, strlen(json), err), cleanup);
    ER_TRY(rc, sync_fs(w->tmp_fd, w->tmp_dir, err), cleanup);
    ER_TRY(rc, place(w, err), cleanup);
    sync_parent(w->final_dir);

cleanup:
    free(json);
    if (rc) {
        cleanup_rm_tree(w->tmp_dir);
        cleanup_drop(w->tmp_dir);
    }
    writer_free(w);
    return rc;
}

void
snap_writer_abort(struct snap_writer *w)
{
    if (!w)
        return;
    cleanup_rm_tree(w->tmp_dir);
    cleanup_drop(w->tmp_dir);
    writer_free(w);
}
