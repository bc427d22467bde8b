/**
 * @file devmap.c
 * @brief One device's raw data into the tree, with the status it earns.
 */
#include "devmap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "collector.h"

er_code
devmap_status(struct lyd_node *dev, const char *status, const char *reason, struct er_err *err)
{
    struct lyd_node *col;
    er_code rc;

    ER_TRY(rc, model_cont(dev, "collection", &col, err), done);
    ER_TRY(rc, model_leaf(col, "status", status, err), done);
    if (reason)
        rc = model_leaf(col, "reason", reason, err);
done:
    return rc;
}

/* A route matters when it overlaps a prefix of interest, or is a default. */
static int
keep_route(const struct pfx *route, void *arg)
{
    return route->len == 0 || ptrie_overlaps(arg, route, NULL, NULL) > 0;
}

/* 1 when mapping left any data under the device besides its identity. */
static int
has_data(const struct lyd_node *dev)
{
    static const char *const kinds[] = {"interface", "bgp", "policy", "nat", "filter", "rib", "prefix-set"};
    size_t i;

    for (i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (model_child(dev, kinds[i]))
            return 1;
    }
    return 0;
}

static er_code
note_rows_read(struct lyd_node *dev, uint64_t rows, struct er_err *err)
{
    struct lyd_node *rib = model_child(dev, "rib");
    uint64_t had = 0;

    if (!rib || (model_u64(rib, "routes-read", &had) && had >= rows))
        return ER_OK;
    return model_leaf_u64(rib, "routes-read", rows, err);
}

/*
 * Append the elements mapping skipped (collection/skipped) to @p reason:
 * "skipped N unreadable elements: FILE:LINE: PATH: why; ...".
 * @return how many were skipped.
 */
static uint64_t
skipped_reason(const struct lyd_node *dev, char *reason, size_t size)
{
    struct lyd_node *sk, *e;
    uint64_t total = 0, n, shown = 0;
    size_t len = strlen(reason), head;

    MODEL_FOR(model_child(dev, "collection"), "skipped", sk) {
        if (model_u64(sk, "count", &n))
            total += n;
    }
    if (!total)
        return 0;
    len += (size_t)snprintf(reason + len, size - len, "%sskipped %" PRIu64 " unreadable element%s: ",
            len ? "; " : "", total, total == 1 ? "" : "s");
    head = len;
    MODEL_FOR(model_child(dev, "collection"), "skipped", sk) {
        MODEL_FOR(sk, "element", e) {
            if (len + 2 + strlen(model_value(e)) + 40 >= size)
                break;
            len += (size_t)snprintf(reason + len, size - len, "%s%s", len > head ? "; " : "", model_value(e));
            shown++;
        }
    }
    if (shown < total && len < size)
        snprintf(reason + len, size - len, "%s(%" PRIu64 " more)", len > head ? "; " : "", total - shown);
    return total;
}

/* The manifest's reason of a partial device and what mapping found, each once. */
static void
join_reason(const char *had, char *reason, size_t size)
{
    char both[2048];

    if (!had || strstr(had, reason))
        snprintf(reason, size, "%s", had ? had : reason);
    else if (!strstr(reason, had)) {
        snprintf(both, sizeof both, "%s; %s", had, reason);
        snprintf(reason, size, "%s", both);
    }
}

er_code
devmap_raw(struct er_model *m, struct lyd_node *dev, const char *name, int fd, const char *dir,
        const struct snap_device *sd, int candidate, const struct ptrie *interest, struct er_err *err)
{
    struct er_err merr = {0};
    char reason[2048] = "";
    struct map_ctx mc = {.m = m, .dev = dev, .device = name, .err = &merr,
            .keep_route = interest ? keep_route : NULL, .keep_arg = (void *)interest};
    int mapped = 0, failed = 0, partial = sd && sd->status && !strcmp(sd->status, "partial");
    const struct collector *c;
    size_t n_c, i;
    er_code rc;

    c = collectors(&n_c);
    for (i = 0; i < n_c && !mc.escaped; i++) {
        er_clear(&merr);
        rc = c[i].map_at(&mc, fd, dir, candidate);
        if (rc == ER_OK)
            mapped++;
        else if (rc != ER_ENOTFOUND) {
            size_t len = strlen(reason);

            failed++;
            snprintf(reason + len, sizeof reason - len, "%s%s", len ? "; " : "", merr.msg);
        }
    }
    /* Rows an SNMP table lost (a bad index, columns that changed during the walk): partial. */
    if (mc.skipped) {
        size_t len = strlen(reason);

        snprintf(reason + len, sizeof reason - len, "%s%s", len ? "; " : "", mc.skipped);
        free(mc.skipped);
    }
    if (mc.escaped)
        return er_set(err, ER_EINVAL, "%s: refusing to read outside the snapshot: %s", dir, merr.msg);
    if (!mapped && !failed)
        return devmap_status(dev, "failed", "the snapshot holds no netconf/ or snmp/ data for it", &merr);
    /* The collector kept only the routes that matter; the manifest says how many the device had. */
    if (sd && sd->rows_read && (rc = note_rows_read(dev, sd->rows_read, &merr)))
        return rc;
    /* Elements that could not be read cost themselves: the device is partial. */
    skipped_reason(dev, reason, sizeof reason);
    if (!*reason && !partial)
        return ER_OK;
    if (partial)
        join_reason(sd->reason ? sd->reason : "partly collected", reason, sizeof reason);
    /* Data that did map stays usable: the device is partial, not failed. */
    return devmap_status(dev, !failed || mapped || has_data(dev) ? "partial" : "failed", reason, &merr);
}


er_code
devmap_recognize(struct ly_ctx *ctx, const struct snap_device *sd, const char *role, int rootfd,
        const char *rootdir, const struct ptrie *interest, char *status, size_t status_size, char *reason,
        size_t reason_size, struct er_err *err)
{
    struct er_model *m = NULL;
    struct lyd_node *dev, *col;
    char dir[PATH_MAX], rel[PATH_MAX];
    const char *v;
    int fd = -1;
    er_code rc;

    snprintf(status, status_size, "%s", sd->status ? sd->status : "collected");
    snprintf(reason, reason_size, "%s", sd->reason ? sd->reason : "");
    if (!strcmp(status, "failed"))
        return ER_OK;
    snap_device_dir(rootdir, sd->name, dir, sizeof dir);
    snprintf(rel, sizeof rel, "devices/%s", sd->name);
    if ((fd = beneath_open(rootfd, rel, O_RDONLY | O_DIRECTORY)) < 0) {
        snprintf(status, status_size, "failed");
        snprintf(reason, reason_size, "no raw data in the snapshot (devices/NAME missing)");
        return ER_OK;
    }
    model_cache_reset();
    ER_TRY(rc, model_new(ctx, &m, err), done);
    ER_TRY(rc, model_device(m, sd->name, role, &dev, err), done);
    ER_TRY(rc, devmap_raw(m, dev, sd->name, fd, dir, sd, 0, interest, err), done);
    col = model_child(dev, "collection");
    if ((v = model_str(col, "status")))
        snprintf(status, status_size, "%s", v);
    if ((v = model_str(col, "reason")))
        snprintf(reason, reason_size, "%s", v);
done:
    model_free(m);
    model_cache_reset();
    close(fd);
    return rc;
}
