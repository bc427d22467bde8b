/**
 * @file snapshot_merge.c
 * @brief `eraudit snapshot merge`: partial snapshots of one inventory into
 * one snapshot, as if a single poller had collected everything.
 *
 * Inputs are read as closed worlds: every file is opened below the
 * snapshot's directory descriptor with O_NOFOLLOW at each step, and a
 * symbolic link or a special file inside one is refused, never followed.
 */
#include "snapshot_merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "engine.h"
#include "inventory.h"
#include "model.h"
#include "snapshot.h"

#define MERGE_MAX_DEPTH 16

/* One input snapshot. */
struct part {
    const char *path;
    struct snapshot *s;
    size_t arg;          /* place on the command line */
};

/* What the merge works with. */
struct merge {
    struct part *parts;  /* newest first */
    size_t n;
    struct snap_writer *w;
    int outfd;           /* the writer's temporary directory */
    char digest[80];     /* of the inventory they share */
    FILE *errout;
};

/* Newest first; on equal times the later argument first. */
static int
cmp_newest(const void *a, const void *b)
{
    const struct part *x = a, *y = b;
    int c = strcmp(y->s->created ? y->s->created : "", x->s->created ? x->s->created : "");

    return c ? c : (x->arg < y->arg) - (x->arg > y->arg);
}

/* Whether the regular files @p a and @p b hold the same bytes. */
static int
same_bytes(int a, int b)
{
    char x[16384], y[16384];
    ssize_t n, m;

    for (;;) {
        n = read(a, x, sizeof x);
        if (n < 0)
            return 0;
        m = n ? read(b, y, (size_t)n) : read(b, y, 1);
        if (m != n || memcmp(x, y, (size_t)n))
            return 0;
        if (!n)
            return 1;
    }
}

static er_code
copy_fd(int from, int to, const char *what, struct er_err *err)
{
    char buf[65536];
    ssize_t n, w;
    size_t off;

    while ((n = read(from, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return er_set(err, ER_EIO, "%s: cannot read: %s", what, strerror(errno));
        for (off = 0; off < (size_t)n; off += (size_t)w) {
            if ((w = write(to, buf + off, (size_t)n - off)) < 0 && errno == EINTR)
                w = 0;
            else if (w < 0)
                return er_set(err, ER_EIO, "%s: cannot write the merged copy: %s", what, strerror(errno));
        }
    }
    return ER_OK;
}

/*
 * Copy the entry @p name of the directory @p src into @p dst (the same
 * place in the merged snapshot). A file already there (carried from a
 * newer input) stays; when its contents differ, that is said.
 */
static er_code
copy_entry(struct merge *mg, const struct part *p, int src, int dst, const char *rel, const char *name, int depth,
        struct er_err *err);

static er_code
copy_dir(struct merge *mg, const struct part *p, int src, int dst, const char *rel, int depth, struct er_err *err)
{
    DIR *d;
    struct dirent *e;
    int fd = dup(src);
    er_code rc = ER_OK;

    if (fd < 0 || !(d = fdopendir(fd))) {
        if (fd >= 0)
            close(fd);
        return er_set(err, ER_EIO, "%s/%s: cannot read: %s", p->path, rel, strerror(errno));
    }
    while (!rc && (errno = 0, e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        rc = copy_entry(mg, p, src, dst, rel, e->d_name, depth, err);
    }
    if (!rc && errno)
        rc = er_set(err, ER_EIO, "%s/%s: cannot read: %s", p->path, rel, strerror(errno));
    closedir(d);
    return rc;
}

static er_code
copy_entry(struct merge *mg, const struct part *p, int src, int dst, const char *rel, const char *name, int depth,
        struct er_err *err)
{
    char what[PATH_MAX];
    struct stat st;
    int from = -1, to = -1;
    er_code rc = ER_OK;

    snprintf(what, sizeof what, "%s/%s%s%s", p->path, rel, *rel ? "/" : "", name);
    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW))
        return er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        char sub[PATH_MAX];

        if (depth >= MERGE_MAX_DEPTH)
            return er_set(err, ER_EINVAL, "%s: directories nested deeper than %d: not a snapshot", what,
                    MERGE_MAX_DEPTH);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
        if ((mkdirat(dst, name, 0755) && errno != EEXIST) ||
                (from = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
                (to = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
            rc = er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
        else
            rc = copy_dir(mg, p, from, to, sub, depth + 1, err);
        goto done;
    }
    if (!S_ISREG(st.st_mode))
        return er_set(err, ER_EINVAL, "%s: %s in a snapshot: refused (a snapshot is read only from inside)", what,
                S_ISLNK(st.st_mode) ? "a symbolic link" : "a special file");
    if ((from = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        rc = er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
        goto done;
    }
    if ((to = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) >= 0) {
        rc = copy_fd(from, to, what, err);
        if (close(to) && !rc)
            rc = er_set(err, ER_EIO, "%s: cannot write the merged copy: %s", what, strerror(errno));
        to = -1;
        goto done;
    }
    if (errno != EEXIST || (to = openat(dst, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        rc = er_set(err, ER_EIO, "%s: cannot write the merged copy: %s", what, strerror(errno));
        goto done;
    }
    if (!same_bytes(from, to))
        fprintf(mg->errout, "eraudit: %s%s%s differs between the snapshots: kept the newest one's\n", rel,
                *rel ? "/" : "", name);
done:
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    return rc;
}

/* The files of a device (devices/NAME) from the part that holds it, if it has any. */
static er_code
copy_device(struct merge *mg, const struct part *p, const char *name, struct er_err *err)
{
    char rel[PATH_MAX];
    int src, dst;
    er_code rc;

    snprintf(rel, sizeof rel, "devices/%s", name);
    if ((src = beneath_open(p->s->dirfd, rel, O_RDONLY | O_DIRECTORY)) < 0) {
        if (errno == ENOENT)
            return ER_OK;   /* a device that failed has no files */
        return er_set(err, ER_EINVAL, "%s/%s: %s", p->path, rel, beneath_strerror(errno));
    }
    if ((mkdirat(mg->outfd, "devices", 0755) && errno != EEXIST) ||
            (dst = openat(mg->outfd, "devices", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        close(src);
        return er_set(err, ER_EIO, "%s: %s", snap_writer_dir(mg->w), strerror(errno));
    }
    close(src);
    src = beneath_open(p->s->dirfd, "devices", O_RDONLY | O_DIRECTORY);
    rc = src < 0 ? er_set(err, ER_EIO, "%s/devices: %s", p->path, beneath_strerror(errno)) :
            copy_entry(mg, p, src, dst, "devices", name, 1, err);
    if (src >= 0)
        close(src);
    close(dst);
    return rc;
}

/* Everything of a part but its manifest and its devices: the inventory and the data files. */
static er_code
copy_data(struct merge *mg, const struct part *p, struct er_err *err)
{
    DIR *d;
    struct dirent *e;
    int fd = dup(p->s->dirfd);
    er_code rc = ER_OK;

    if (fd < 0 || !(d = fdopendir(fd))) {
        if (fd >= 0)
            close(fd);
        return er_set(err, ER_EIO, "%s: cannot read: %s", p->path, strerror(errno));
    }
    while (!rc && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "manifest.json") ||
                !strcmp(e->d_name, "devices"))
            continue;
        rc = copy_entry(mg, p, p->s->dirfd, mg->outfd, "", e->d_name, 0, err);
    }
    closedir(d);
    return rc;
}

/* Open the inputs and check they are of one inventory; newest first. */
static er_code
open_parts(struct ly_ctx *ctx, struct merge *mg, const char *const *inputs, struct er_err *err)
{
    char digest[80], first[80] = "";
    size_t i;
    er_code rc;

    for (i = 0; i < mg->n; i++) {
        struct part *p = &mg->parts[i];

        p->path = inputs[i];
        p->arg = i;
        ER_TRY(rc, snap_open(ctx, inputs[i], &p->s, err), done);
        ER_TRY(rc, snap_digest(p->s->dirfd, "inventory.yaml", digest, sizeof digest, err), done);
        if (p->s->inventory_digest && strcmp(p->s->inventory_digest, digest)) {
            rc = er_set(err, ER_EINVAL, "%s: inventory.yaml is not the inventory its manifest was collected with "
                    "(digest %s, manifest says %s)", inputs[i], digest, p->s->inventory_digest);
            goto done;
        }
        if (!i) {
            snprintf(first, sizeof first, "%s", digest);
            snprintf(mg->digest, sizeof mg->digest, "%s", digest);
        } else if (strcmp(first, digest)) {
            rc = er_set(err, ER_EINVAL, "%s and %s are snapshots of different inventories (%s, %s): refused, "
                    "nothing written", inputs[0], inputs[i], first, digest);
            goto done;
        }
    }
    qsort(mg->parts, mg->n, sizeof *mg->parts, cmp_newest);
    rc = ER_OK;
done:
    if (rc && !strstr(err->msg, inputs[i]))
        er_wrap(err, "%s: ", inputs[i]);
    return rc;
}

/*
 * Each device of the inventory from the newest part that lists it; the
 * others that list it are named. Returns how many are not collected.
 */
static er_code
merge_devices(struct merge *mg, const struct inventory *inv, size_t *bad, struct er_err *err)
{
    size_t i, j;
    er_code rc;

    *bad = 0;
    for (i = 0; i < inv->n_devices; i++) {
        const char *name = inv->devices[i].name;
        const struct snap_device *sd = NULL, *other;
        const struct part *from = NULL;

        for (j = 0; j < mg->n; j++) {
            if (!(other = snap_device_find(mg->parts[j].s, name)))
                continue;
            if (!sd) {
                sd = other;
                from = &mg->parts[j];
            } else {
                const char *a = mg->parts[j].s->created ? mg->parts[j].s->created : "no time",
                        *b = from->s->created ? from->s->created : "no time";

                fprintf(mg->errout, "eraudit: %s: collected by %s too (%s): kept %s (%s, %s)\n", name,
                        mg->parts[j].path, a, from->path, b, strcmp(a, b) ? "newer" : "the same time: the later "
                        "argument");
            }
        }
        if (!sd) {
            struct snap_device none = {.name = (char *)name, .status = "failed",
                    .reason = "not collected by any poller"};

            fprintf(mg->errout, "eraudit: %s: not collected by any poller\n", name);
            ER_TRY(rc, snap_writer_device(mg->w, &none, err), done);
            (*bad)++;
            continue;
        }
        *bad += strcmp(sd->status, "collected") != 0;
        ER_TRY(rc, snap_writer_device(mg->w, sd, err), done);
        ER_TRY(rc, copy_device(mg, from, name, err), done);
    }
    rc = ER_OK;
done:
    return rc;
}

/* The inventory the parts share, read from the newest (inside it only). */
static er_code
load_inventory(const struct part *p, struct inventory **inv, struct er_err *err)
{
    char name[PATH_MAX];
    FILE *f = beneath_fopen(p->s->dirfd, "inventory.yaml");
    er_code rc;

    snprintf(name, sizeof name, "%s/inventory.yaml", p->path);
    if (!f)
        return er_set(err, ER_EINVAL, "%s: %s", name, beneath_strerror(errno));
    rc = inv_load_fp(f, name, inv, err);
    fclose(f);
    return rc;
}

int
snap_merge_run(const char *const *inputs, size_t n, const char *out, int force, FILE *errout)
{
    struct merge mg = {.n = n, .outfd = -1, .errout = errout};
    struct ly_ctx *ctx = NULL;
    struct inventory *inv = NULL;
    struct er_err err = {0};
    const char *oldest = NULL;
    size_t i, bad = 0;
    int secrets = 0, code = EXIT_BADINPUT;

    if (!(mg.parts = calloc(n, sizeof *mg.parts))) {
        fprintf(errout, "eraudit: out of memory\n");
        return EXIT_BADINPUT;
    }
    if (model_ctx_new(NULL, &ctx, &err) || open_parts(ctx, &mg, inputs, &err) ||
            load_inventory(&mg.parts[0], &inv, &err))
        goto fail;
    for (i = 0; i < n; i++) {
        secrets |= mg.parts[i].s->device_secrets;
        oldest = mg.parts[i].s->created ? mg.parts[i].s->created : oldest;
    }
    if (snap_writer_begin(ctx, out, force, &mg.w, &err))
        goto fail;
    if ((mg.outfd = open(snap_writer_dir(mg.w), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        er_set(&err, ER_EIO, "%s: %s", snap_writer_dir(mg.w), strerror(errno));
        goto fail;
    }
    if (secrets)
        snap_writer_keeps_secrets(mg.w);
    for (i = 0; i < n; i++) {
        if (copy_data(&mg, &mg.parts[i], &err))
            goto fail;
    }
    if (merge_devices(&mg, inv, &bad, &err) ||
            snap_writer_inventory(mg.w, mg.digest, NULL, NULL, 0, &err) ||
            snap_writer_merged(mg.w, oldest, (unsigned)n, &err))
        goto fail;
    close(mg.outfd);
    mg.outfd = -1;
    if (snap_writer_commit(mg.w, &err)) {
        mg.w = NULL;
        goto fail;
    }
    mg.w = NULL;
    fprintf(errout, "eraudit: snapshot %s: merged from %zu snapshots, %zu devices, %zu not fully collected\n", out, n,
            inv->n_devices, bad);
    code = bad ? EXIT_INCOMPLETE : EXIT_OK;
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
cleanup:
    if (mg.outfd >= 0)
        close(mg.outfd);
    snap_writer_abort(mg.w);
    for (i = 0; i < n; i++)
        snap_free(mg.parts[i].s);
    free(mg.parts);
    inv_free(inv);
    ly_ctx_destroy(ctx);
    return code;
}
