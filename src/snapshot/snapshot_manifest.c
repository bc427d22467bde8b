/**
 * @file snapshot_manifest.c
 * @brief A snapshot's manifest (manifest.json, schema eraudit-snapshot): read
 * into struct snapshot by snap_open(), and written from the device entries a
 * writer records (snap_writer_device(), merged per device, restatused,
 * printed at commit). The directory, its data files and the atomic commit
 * are snapshot.c's.
 */
#include "snapshot_int.h"
#include "bound.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "model.h"

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

char *
snap_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void
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
    s->created = snap_strdup(model_str(man, "created"));
    s->tool_version = snap_strdup(model_str(man, "tool-version"));
    s->device_secrets = model_bool(man, "device-secrets", 0);
    s->inventory_digest = snap_strdup(model_str(man, "inventory-digest"));
    s->selection = snap_strdup(model_str(man, "selection"));
    MODEL_FOR(man, "asked", d)
        s->n_asked++;
    s->asked = calloc(s->n_asked ? s->n_asked : 1, sizeof *s->asked);
    ER_CHECK_GOTO(!s->asked, rc, ER_ENOMEM, cleanup);
    s->n_asked = 0;
    MODEL_FOR(man, "asked", d)
        s->asked[s->n_asked++] = snap_strdup(model_str(d, "name"));
    MODEL_FOR(man, "device", d)
        n++;
    s->devices = calloc(n ? n : 1, sizeof *s->devices);
    ER_CHECK_GOTO(!s->devices || names_init(&s->device_names, n), rc, ER_ENOMEM, cleanup);
    MODEL_FOR(man, "device", d) {
        struct snap_device *sd = &s->devices[s->n_devices++];
        uint32_t *slot;

        sd->name = snap_strdup(model_str(d, "name"));
        /* The manifest's schema keys devices by name: each goes in once. */
        if (sd->name && !*(slot = names_slot(&s->device_names, sd->name, s->devices, sizeof *s->devices,
                offsetof(struct snap_device, name))))
            *slot = (uint32_t)s->n_devices;
        sd->status = snap_strdup(model_str(d, "status"));
        sd->reason = snap_strdup(model_str(d, "reason"));
        sd->collectors = snap_strdup(model_str(d, "collectors"));
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

er_code
snap_writer_inventory(struct snap_writer *w, const char *digest, const char *selection, const char *const *asked,
        size_t n, struct er_err *err)
{
    size_t i;

    if (!(w->digest = snap_strdup(digest)) || (selection && !(w->selection = strdup(selection))) ||
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
    n->name = snap_strdup(d->name);
    n->status = snap_strdup(d->status ? d->status : "collected");
    n->reason = snap_strdup(d->reason);
    n->collectors = snap_strdup(d->collectors);
    n->rows_read = d->rows_read;
    n->rows_kept = d->rows_kept;
    memcpy(n->bgp_source, d->bgp_source, sizeof n->bgp_source);
    memcpy(n->tables, d->tables, sizeof n->tables);
    n->n_tables = d->n_tables;
unlock:
    pthread_mutex_unlock(&w->lock);
    return rc;
}

void
snap_writer_merge(struct snap_writer *w)
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
    snap_writer_merge(w);
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
        st = snap_strdup(status);
        why = snap_strdup(reason);
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

er_code
snap_manifest_print(struct snap_writer *w, char **json, struct er_err *err)
{
    const struct lys_module *mod = ly_ctx_get_module_implemented(w->ctx, "eraudit-snapshot");
    struct lyd_node *man = NULL, *d;
    er_code rc = ER_OK;
    size_t i;

    *json = NULL;
    snap_writer_merge(w);
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
    if (lyd_print_mem(json, man, LYD_JSON, LYD_PRINT_WITHSIBLINGS)) {
        *json = NULL;
        rc = er_set(err, ER_EINTERNAL, "cannot print the snapshot manifest");
    }
cleanup:
    lyd_free_all(man);
    model_cache_reset();
    return rc;
}

void
snap_writer_manifest_free(struct snap_writer *w)
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
}
