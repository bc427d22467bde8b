/**
 * @file snapshot.c
 * @brief Reading and atomically writing snapshot directories.
 *
 * One file: the reader and the writer share the manifest's schema, the
 * atomic-commit protocol and the closed-world checks; split, each half would
 * re-state them. (Over 600 lines; a split by manifest/data files is next.)
 */
#define _GNU_SOURCE /* syncfs, renameat2 */
#include "snapshot.h"
#include "bound.h"
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "beneath.h"
#include "model.h"

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

struct snap_writer {
    struct ly_ctx *ctx;
    char *final_dir;
    char *tmp_dir;
    int tmp_fd;              /* opened at begin: syncfs() reports every write error since */
    int replace;             /* an earlier snapshot under final_dir may be replaced */
    char created[32];
    int device_secrets;          /* the manifest says the replies keep their secrets */
    char *digest, *selection;    /* snap_writer_inventory() */
    char **asked;
    size_t n_asked;
    unsigned merged_from;        /* snap_writer_merged() */
    pthread_mutex_t lock;
    struct snap_device *devices;
    size_t n_devices, cap;
};

static char *
xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void
snap_device_clear(struct snap_device *d)
{
    free(d->name);
    free(d->status);
    free(d->reason);
    free(d->collectors);
}

void
snap_free(struct snapshot *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_devices; i++)
        snap_device_clear(&s->devices[i]);
    free(s->devices);
    names_free(&s->device_names);
    if (s->dirfd >= 0)
        close(s->dirfd);
    free(s->dir);
    free(s->created);
    free(s->tool_version);
    free(s->inventory_digest);
    free(s->selection);
    for (i = 0; i < s->n_asked; i++)
        free(s->asked[i]);
    free(s->asked);
    free(s);
}

/* The SNMP details of a manifest entry: BGP source and route tables. */
static void
snap_read_snmp(const struct lyd_node *d, struct snap_device *sd)
{
    const struct lyd_node *t;
    const char *v;

    if ((v = model_str(d, "bgp-source")))
        snprintf(sd->bgp_source, sizeof sd->bgp_source, "%s", v);
    MODEL_FOR(d, "snmp-table", t) {
        struct snap_table *x;

        if (sd->n_tables == SNAP_TABLES_MAX)
            break;
        x = &sd->tables[sd->n_tables++];
        snprintf(x->name, sizeof x->name, "%s", model_str(t, "name") ? model_str(t, "name") : "");
        model_u64(t, "rows-read", &x->read);
        model_u64(t, "rows-kept", &x->kept);
        model_u64(t, "rows-incomplete", &x->incomplete);
    }
}

/* Write the SNMP details of a device entry. */
static er_code
snap_write_snmp(struct lyd_node *d, const struct snap_device *sd, struct er_err *err)
{
    struct lyd_node *t;
    er_code rc = ER_OK;
    size_t i;

    if (sd->bgp_source[0])
        ER_TRY(rc, model_leaf(d, "bgp-source", sd->bgp_source, err), cleanup);
    for (i = 0; i < sd->n_tables; i++) {
        ER_TRY(rc, model_list(d, "snmp-table", sd->tables[i].name, &t, err), cleanup);
        ER_TRY(rc, model_leaf_u64(t, "rows-read", sd->tables[i].read, err), cleanup);
        ER_TRY(rc, model_leaf_u64(t, "rows-kept", sd->tables[i].kept, err), cleanup);
        ER_TRY(rc, model_leaf_u64(t, "rows-incomplete", sd->tables[i].incomplete, err), cleanup);
    }
cleanup:
    return rc;
}

const struct snap_device *
snap_device_find(const struct snapshot *s, const char *name)
{
    size_t i;

    uint32_t *slot;

    if (s && s->device_names.slot) {
        slot = names_slot(&s->device_names, name, s->devices, sizeof *s->devices, offsetof(struct snap_device, name));
        return *slot ? &s->devices[*slot - 1] : NULL;
    }
    for (i = 0; s && i < s->n_devices; i++) {
        if (!strcmp(s->devices[i].name, name))
            return &s->devices[i];
    }
    return NULL;
}

const char *
snap_device_dir(const char *snapdir, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/devices/%s", snapdir, name);
    return buf;
}

/* A name from a snapshot for a message: printable ASCII only, cut short. */
static const char *
snap_quote(const char *v, char *buf, size_t size)
{
    size_t o = 0;

    buf[o++] = '\'';
    for (; *v && o + 5 < size; v++)
        buf[o++] = (*v >= 0x20 && *v < 0x7f) ? *v : '?';
    if (*v) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
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

er_code
snap_open(struct ly_ctx *ctx, const char *dir, struct snapshot **out, struct er_err *err)
{
    char path[PATH_MAX], qb[96];
    struct lyd_node *tree = NULL, *man, *d;
    struct snapshot *s = NULL;
    struct stat st;
    er_code rc = ER_OK;
    size_t n = 0;
    int root, fd;
    const char *why;

    ER_TRY(rc, snap_root_open(dir, &root, err), fail);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if ((fd = beneath_open(root, "manifest.json", O_RDONLY | O_NONBLOCK)) < 0) {
        rc = errno == ENOENT ? er_set(err, ER_ENOTFOUND, "%s: no manifest (is this a snapshot directory?)", path) :
                er_set(err, ER_EINVAL, "%s: cannot read: %s", path, beneath_strerror(errno));
        goto fail;
    }
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        rc = er_set(err, ER_EINVAL, "%s: cannot read: not a regular file", path);
        goto fail;
    }
    if (st.st_size == 0) {
        close(fd);
        rc = er_set(err, ER_EINVAL, "%s: empty manifest", path);
        goto fail;
    }
    if ((rc = bound_check(path, (uint64_t)st.st_size, bound_cap(), err))) {
        close(fd);
        goto fail;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (lyd_parse_data_fd(ctx, fd, LYD_JSON, LYD_PARSE_STRICT | LYD_PARSE_ONLY, 0, &tree) ||
            lyd_validate_all(&tree, ctx, LYD_VALIDATE_PRESENT, NULL)) {
        close(fd);
        model_ly_err(ctx, err, path);
        lyd_free_all(tree);
        rc = ER_EINVAL;
        goto fail;
    }
    close(fd);
    man = tree;
    while (man && strcmp(man->schema->name, "manifest"))
        man = man->next;
    if (!man) {
        lyd_free_all(tree);
        rc = er_set(err, ER_EINVAL, "%s: expected an eraudit-snapshot:manifest object", path);
        goto fail;
    }
    /* Names become directories: one that is not a plain name is never used. */
    MODEL_FOR(man, "device", d) {
        const char *name = model_str(d, "name");

        if ((why = names_bad(name))) {
            rc = er_set(err, ER_EINVAL, "%s: expected a device name of letters, digits, '.', '_' and '-' (not "
                    "starting with '.' or '-', at most %d), got %s: it %s", path, NAMES_MAX_LEN,
                    snap_quote(name ? name : "", qb, sizeof qb), why);
            lyd_free_all(tree);
            goto fail;
        }
    }
    s = calloc(1, sizeof *s);
    ER_CHECK_GOTO(!s, rc, ER_ENOMEM, cleanup);
    s->dirfd = root;
    root = -1;
    s->dir = strdup(dir);
    s->created = xstrdup(model_str(man, "created"));
    s->tool_version = xstrdup(model_str(man, "tool-version"));
    s->device_secrets = model_bool(man, "device-secrets", 0);
    s->inventory_digest = xstrdup(model_str(man, "inventory-digest"));
    s->selection = xstrdup(model_str(man, "selection"));
    MODEL_FOR(man, "asked", d)
        s->n_asked++;
    s->asked = calloc(s->n_asked ? s->n_asked : 1, sizeof *s->asked);
    ER_CHECK_GOTO(!s->asked, rc, ER_ENOMEM, cleanup);
    s->n_asked = 0;
    MODEL_FOR(man, "asked", d)
        s->asked[s->n_asked++] = xstrdup(model_str(d, "name"));
    MODEL_FOR(man, "device", d)
        n++;
    s->devices = calloc(n ? n : 1, sizeof *s->devices);
    ER_CHECK_GOTO(!s->devices || names_init(&s->device_names, n), rc, ER_ENOMEM, cleanup);
    MODEL_FOR(man, "device", d) {
        struct snap_device *sd = &s->devices[s->n_devices++];
        uint32_t *slot;

        sd->name = xstrdup(model_str(d, "name"));
        /* The manifest's schema keys devices by name: each goes in once. */
        if (sd->name && !*(slot = names_slot(&s->device_names, sd->name, s->devices, sizeof *s->devices,
                offsetof(struct snap_device, name))))
            *slot = (uint32_t)s->n_devices;
        sd->status = xstrdup(model_str(d, "status"));
        sd->reason = xstrdup(model_str(d, "reason"));
        sd->collectors = xstrdup(model_str(d, "collectors"));
        model_u64(d, "rows-read", &sd->rows_read);
        model_u64(d, "rows-kept", &sd->rows_kept);
        snap_read_snmp(d, sd);
    }
cleanup:
    lyd_free_all(tree);
    if (rc) {
        snap_free(s);
        if (root >= 0)
            close(root);
        return er_set(err, rc, "out of memory reading %s", path);
    }
    *out = s;
    return ER_OK;
fail:
    if (root >= 0)
        close(root);
    return rc;
}

/* mkdir -p for the directories of @path below @root (already existing). */
static int
mkdirs(char *path)
{
    char *p;

    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
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
    if (mkdirs(path))
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
    rc = mkdirs(path) ? er_set(err, ER_EIO, "%s: cannot create its directory", path) : write_file(path, buf, len, err);
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

er_code
snap_writer_inventory(struct snap_writer *w, const char *digest, const char *selection, const char *const *asked,
        size_t n, struct er_err *err)
{
    size_t i;

    if (!(w->digest = xstrdup(digest)) || (selection && !(w->selection = strdup(selection))) ||
            !(w->asked = calloc(n ? n : 1, sizeof *w->asked)))
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        if (!(w->asked[w->n_asked++] = strdup(asked[i])))
            return er_set(err, ER_ENOMEM, "out of memory");
    }
    return ER_OK;
}

er_code
snap_writer_merged(struct snap_writer *w, const char *created, unsigned parts, struct er_err *err)
{
    if (created && *created)
        snprintf(w->created, sizeof w->created, "%s", created);
    w->merged_from = parts;
    return ER_OK;
}

er_code
snap_writer_device(struct snap_writer *w, const struct snap_device *d, struct er_err *err)
{
    struct snap_device *n;
    er_code rc = ER_OK;

    pthread_mutex_lock(&w->lock);
    if (w->n_devices == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct snap_device *v = realloc(w->devices, cap * sizeof *v);

        if (!v) {
            rc = er_set(err, ER_ENOMEM, "out of memory");
            goto unlock;
        }
        w->devices = v;
        w->cap = cap;
    }
    n = &w->devices[w->n_devices++];
    n->name = xstrdup(d->name);
    n->status = xstrdup(d->status ? d->status : "collected");
    n->reason = xstrdup(d->reason);
    n->collectors = xstrdup(d->collectors);
    n->rows_read = d->rows_read;
    n->rows_kept = d->rows_kept;
    memcpy(n->bgp_source, d->bgp_source, sizeof n->bgp_source);
    memcpy(n->tables, d->tables, sizeof n->tables);
    n->n_tables = d->n_tables;
unlock:
    pthread_mutex_unlock(&w->lock);
    return rc;
}

/* Devices may be recorded by several collectors: merge into one entry. */
static void
merge_devices(struct snap_writer *w)
{
    size_t i, j;

    for (i = 0; i < w->n_devices; i++) {
        for (j = i + 1; j < w->n_devices;) {
            struct snap_device *a = &w->devices[i], *b = &w->devices[j];
            char buf[512];

            if (strcmp(a->name, b->name)) {
                j++;
                continue;
            }
            /* One collector failing while another worked makes the device
             * partial; otherwise the worse status wins. */
            if (strcmp(a->status, b->status)) {
                free(a->status);
                a->status = strdup("partial");
            }
            if (b->reason) {
                snprintf(buf, sizeof buf, "%s%s%s", a->reason ? a->reason : "", a->reason ? "; " : "", b->reason);
                free(a->reason);
                a->reason = strdup(buf);
            }
            if (b->collectors) {
                snprintf(buf, sizeof buf, "%s%s%s", a->collectors ? a->collectors : "", a->collectors ? " " : "",
                        b->collectors);
                free(a->collectors);
                a->collectors = strdup(buf);
            }
            a->rows_read += b->rows_read;
            a->rows_kept += b->rows_kept;
            if (!a->bgp_source[0])
                memcpy(a->bgp_source, b->bgp_source, sizeof a->bgp_source);
            while (b->n_tables && a->n_tables < SNAP_TABLES_MAX)
                a->tables[a->n_tables++] = b->tables[--b->n_tables];
            snap_device_clear(b);
            memmove(b, b + 1, (w->n_devices - j - 1) * sizeof *b);
            w->n_devices--;
        }
    }
}

const struct snap_device *
snap_writer_devices(struct snap_writer *w, size_t *n)
{
    pthread_mutex_lock(&w->lock);
    merge_devices(w);
    *n = w->n_devices;
    pthread_mutex_unlock(&w->lock);
    return w->devices;
}

er_code
snap_writer_restatus(struct snap_writer *w, const char *name, const char *status, const char *reason,
        struct er_err *err)
{
    er_code rc = ER_ENOTFOUND;
    size_t i;

    pthread_mutex_lock(&w->lock);
    for (i = 0; i < w->n_devices && rc == ER_ENOTFOUND; i++) {
        struct snap_device *d = &w->devices[i];
        char *st, *why;

        if (strcmp(d->name, name))
            continue;
        st = xstrdup(status);
        why = xstrdup(reason);
        if (!st || (reason && !why)) {
            free(st);
            free(why);
            rc = er_set(err, ER_ENOMEM, "out of memory");
            break;
        }
        free(d->status);
        free(d->reason);
        d->status = st;
        d->reason = why;
        rc = ER_OK;
    }
    pthread_mutex_unlock(&w->lock);
    return rc == ER_ENOTFOUND ? er_set(err, rc, "device %s: not recorded in the snapshot being written", name) : rc;
}

static void
writer_free(struct snap_writer *w)
{
    size_t i;

    for (i = 0; i < w->n_devices; i++)
        snap_device_clear(&w->devices[i]);
    free(w->devices);
    for (i = 0; i < w->n_asked; i++)
        free(w->asked[i]);
    free(w->asked);
    free(w->digest);
    free(w->selection);
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
    const struct lys_module *mod = ly_ctx_get_module_implemented(w->ctx, "eraudit-snapshot");
    struct lyd_node *man = NULL, *d;
    char path[PATH_MAX];
    char *json = NULL;
    er_code rc = ER_OK;
    size_t i;

    merge_devices(w);
    if (!mod || lyd_new_inner(NULL, mod, "manifest", 0, &man)) {
        rc = er_set(err, ER_EINTERNAL, "cannot build the snapshot manifest");
        goto cleanup;
    }
    ER_TRY(rc, model_leaf(man, "tool-version", ER_VERSION, err), cleanup);
    ER_TRY(rc, model_leaf(man, "created", w->created, err), cleanup);
    if (w->device_secrets)
        ER_TRY(rc, model_leaf(man, "device-secrets", "true", err), cleanup);
    if (w->digest)
        ER_TRY(rc, model_leaf(man, "inventory-digest", w->digest, err), cleanup);
    if (w->selection)
        ER_TRY(rc, model_leaf(man, "selection", w->selection, err), cleanup);
    for (i = 0; i < w->n_asked; i++)
        ER_TRY(rc, model_list(man, "asked", w->asked[i], &d, err), cleanup);
    if (w->merged_from)
        ER_TRY(rc, model_leaf_u64(man, "merged-from", w->merged_from, err), cleanup);
    for (i = 0; i < w->n_devices; i++) {
        ER_TRY(rc, model_list(man, "device", w->devices[i].name, &d, err), cleanup);
        ER_TRY(rc, model_leaf(d, "status", w->devices[i].status, err), cleanup);
        if (w->devices[i].reason)
            ER_TRY(rc, model_leaf(d, "reason", w->devices[i].reason, err), cleanup);
        if (w->devices[i].collectors)
            ER_TRY(rc, model_leaf(d, "collectors", w->devices[i].collectors, err), cleanup);
        if (w->devices[i].rows_read) {
            ER_TRY(rc, model_leaf_u64(d, "rows-read", w->devices[i].rows_read, err), cleanup);
            ER_TRY(rc, model_leaf_u64(d, "rows-kept", w->devices[i].rows_kept, err), cleanup);
        }
        ER_TRY(rc, snap_write_snmp(d, &w->devices[i], err), cleanup);
    }
    if (lyd_print_mem(&json, man, LYD_JSON, LYD_PRINT_WITHSIBLINGS)) {
        rc = er_set(err, ER_EINTERNAL, "cannot print the snapshot manifest");
        goto cleanup;
    }
    snprintf(path, sizeof path, "%s/manifest.json", w->tmp_dir);
    ER_TRY(rc, write_file(path, json, strlen(json), err), cleanup);
    ER_TRY(rc, sync_fs(w->tmp_fd, w->tmp_dir, err), cleanup);
    ER_TRY(rc, place(w, err), cleanup);
    sync_parent(w->final_dir);

cleanup:
    free(json);
    lyd_free_all(man);
    model_cache_reset();
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
