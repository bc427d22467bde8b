/**
 * @file normalize.c
 * @brief Inventory and snapshot into one eraudit-network tree.
 */
#include "normalize.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "devmap.h"
#include "beneath.h"
#include "servicetags.h"
#include "ptrie.h"

/* Devices are mapped in parallel above this many. */
#define NORM_PARALLEL_MIN 8
#define NORM_MAX_THREADS 16


/* Zones come from the inventory; interfaces named in a zone get its name. */
static er_code
add_zones(const struct inv_device *d, struct lyd_node *dev, struct er_err *err)
{
    struct lyd_node *z, *ifc;
    er_code rc = ER_OK;
    size_t i, j;

    for (i = 0; i < d->n_zones; i++) {
        ER_TRY(rc, model_list(dev, "zone", d->zones[i].name, &z, err), done);
        ER_TRY(rc, model_leaf(z, "faces", d->zones[i].faces, err), done);
        for (j = 0; j < d->zones[i].n_interfaces; j++) {
            ER_TRY(rc, model_leaflist(z, "interface", d->zones[i].interfaces[j], err), done);
            ER_TRY(rc, model_list(dev, "interface", d->zones[i].interfaces[j], &ifc, err), done);
            ER_TRY(rc, model_leaf(ifc, "zone", d->zones[i].name, err), done);
        }
    }
done:
    return rc;
}

/*
 * Map one device's raw data; problems mark the device, they do not stop the
 * audit. A file that would be read outside the snapshot does (into @p err):
 * the snapshot is bad input, not the device.
 */
static er_code
map_device(struct er_model *m, struct lyd_node *dev, const struct inv_device *d, const struct snapshot *snap,
        const struct norm_opts *opts, const struct ptrie *interest, struct er_err *err)
{
    const struct snap_device *sd = snap ? snap_device_find(snap, d->name) : NULL;
    struct er_err merr = {0};
    char dir[PATH_MAX], rel[PATH_MAX];
    int candidate, fd;
    struct stat st;
    er_code rc;

    if (!snap)
        return ER_OK;
    if (!sd)
        return devmap_status(dev, "failed", "not in the snapshot manifest", &merr);
    if (!strcmp(sd->status, "failed"))
        return devmap_status(dev, "failed", sd->reason ? sd->reason : "collection failed", &merr);

    /* The inventory's names are plain (names_bad()): one directory below devices/. */
    snap_device_dir(snap->dir, d->name, dir, sizeof dir);
    snprintf(rel, sizeof rel, "devices/%s", d->name);
    if ((fd = beneath_open(snap->dirfd, rel, O_RDONLY | O_DIRECTORY)) < 0) {
        if (beneath_escaped(errno))
            return er_set(err, ER_EINVAL, "%s: %s", dir, beneath_strerror(errno));
        return devmap_status(dev, "failed", "no raw data in the snapshot (devices/NAME missing)", &merr);
    }
    if (fstat(fd, &st) || !S_ISDIR(st.st_mode)) {
        close(fd);
        return devmap_status(dev, "failed", "no raw data in the snapshot (devices/NAME missing)", &merr);
    }
    candidate = opts && opts->candidate && (!opts->candidate_device || !strcmp(opts->candidate_device, d->name));
    rc = devmap_raw(m, dev, d->name, fd, dir, sd, candidate, interest, err);
    close(fd);
    return rc;
}

/* One device built in a network of its own, so devices can map in parallel. */
struct norm_job {
    const struct inv_device *d;
    struct er_model m;           /* private network holding just this device */
    struct lyd_node *dev;
    er_code rc;
    struct er_err err;
};

struct norm_pool {
    struct norm_job *jobs;
    struct pool_queue q;
    const struct snapshot *snap;
    const struct norm_opts *opts;
    const struct ptrie *interest;   /* routes that matter; NULL keeps every route */
};


static void
build_device(struct norm_job *j, const struct snapshot *snap, const struct norm_opts *opts,
        const struct ptrie *interest)
{
    const struct inv_device *d = j->d;
    er_code rc;

    model_cache_reset();
    ER_TRY(rc, model_device(&j->m, d->name, inv_role_name(d->role), &j->dev, &j->err), done);
    if (d->host)
        ER_TRY(rc, model_leaf(j->dev, "host", d->host, &j->err), done);
    if (d->site)
        ER_TRY(rc, model_leaf(j->dev, "site", d->site, &j->err), done);
    ER_TRY(rc, map_device(&j->m, j->dev, d, snap, opts, interest, &j->err), done);
    /* Zones last: mapped interfaces exist by then and keep their data. */
    ER_TRY(rc, add_zones(d, j->dev, &j->err), done);
    /* Devices share no constraints, so each is validated on its own thread. */
    if (lyd_validate_all(&j->m.net, j->m.ctx, LYD_VALIDATE_PRESENT, NULL))
        rc = model_ly_err(j->m.ctx, &j->err, d->name);
    else
        model_settle(j->dev);   /* here, in parallel, rather than when the rules start */
done:
    model_cache_reset();
    j->rc = rc;
}

static void *
worker(void *arg)
{
    struct norm_pool *p = arg;
    size_t i;

    while (pool_take(&p->q, &i))
        build_device(&p->jobs[i], p->snap, p->opts, p->interest);
    return NULL;
}

static er_code
add_devices(const struct inventory *inv, const struct snapshot *snap, const struct norm_opts *opts,
        const struct ptrie *interest, struct er_model *m, struct er_err *err)
{
    struct norm_pool pool = {.snap = snap, .opts = opts, .interest = interest};
    pthread_t tids[NORM_MAX_THREADS];
    size_t i, nt = inv->n_devices < NORM_PARALLEL_MIN ? 1 : pool_threads(NORM_MAX_THREADS), started = 0;
    er_code rc = ER_OK;

    if (!inv->n_devices)
        return ER_OK;
    pool.jobs = calloc(inv->n_devices, sizeof *pool.jobs);
    if (!pool.jobs)
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < inv->n_devices; i++) {
        pool.jobs[i].d = &inv->devices[i];
        if ((rc = model_part_new(m, &pool.jobs[i].m, err)))
            goto cleanup;
    }
    pool_init(&pool.q, inv->n_devices);
    for (started = 0; nt > 1 && started < nt; started++) {
        if (pthread_create(&tids[started], NULL, worker, &pool))
            break;
    }
    worker(&pool);
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pool_destroy(&pool.q);

    /* Move each device into the network in inventory order. */
    for (i = 0; i < inv->n_devices; i++) {
        struct norm_job *j = &pool.jobs[i];

        if (j->rc) {
            rc = j->rc;
            *err = j->err;
            goto cleanup;
        }
        lyd_unlink_tree(j->dev);
        if (lyd_insert_child(m->net, j->dev)) {
            lyd_free_tree(j->dev);
            rc = model_ly_err(m->ctx, err, j->d->name);
            goto cleanup;
        }
    }
cleanup:
    /* Settled devices left in their own networks go with them: their tables first. */
    if (rc)
        model_thaw(m);
    for (i = 0; i < inv->n_devices; i++)
        model_part_free(&pool.jobs[i].m);
    free(pool.jobs);
    return rc ? er_wrap(err, "building the network tree: ") : ER_OK;
}

static er_code
add_end(struct lyd_node *c, const char *which, const struct inv_circuit_end *e, struct er_err *err)
{
    struct lyd_node *n;
    er_code rc = ER_OK;

    if (!e->device && !e->neighbor)
        return ER_OK;
    ER_TRY(rc, model_cont(c, which, &n, err), done);
    if (e->device)
        ER_TRY(rc, model_leaf(n, "device", e->device, err), done);
    if (e->neighbor)
        ER_TRY(rc, model_leaf(n, "neighbor", e->neighbor, err), done);
done:
    return rc;
}

static er_code
add_circuits(const struct inventory *inv, const struct refdata *ref, struct er_model *m, struct er_err *err)
{
    struct lyd_node *c;
    er_code rc = ER_OK;
    size_t i, j;

    for (i = 0; i < inv->n_circuits; i++) {
        const struct inv_circuit *ic = &inv->circuits[i];
        const char *geo = ic->peering_location ? ref_location_geo(ref, ic->peering_location) : NULL;

        ER_TRY(rc, model_list(m->net, "circuit", ic->name, &c, err), done);
        ER_TRY(rc, model_leaf(c, "sku", ic->sku, err), done);
        if (ic->peering_location)
            ER_TRY(rc, model_leaf(c, "peering-location", ic->peering_location, err), done);
        if (geo)
            ER_TRY(rc, model_leaf(c, "geo-region", geo, err), done);
        if (ic->bandwidth_mbps)
            ER_TRY(rc, model_leaf_u64(c, "bandwidth-mbps", ic->bandwidth_mbps, err), done);
        ER_TRY(rc, add_end(c, "primary", &ic->primary, err), done);
        ER_TRY(rc, add_end(c, "secondary", &ic->secondary, err), done);
        for (j = 0; j < ic->n_prefixes; j++)
            ER_TRY(rc, model_leaflist(c, "registered-prefix", ic->prefixes[j], err), done);
    }
done:
    return rc ? er_wrap(err, "%s: circuits: ", inv->path) : ER_OK;
}

static er_code
add_tenant(const struct inventory *inv, const struct refdata *ref, struct er_model *m, struct er_err *err)
{
    struct lyd_node *t, *s;
    const char *const *regions = (const char *const *)inv->azure_regions;
    size_t n = inv->n_azure_regions, i;
    er_code rc = ER_OK;

    if (!inv->pp_region && !n && !inv->n_sites && !inv->cloud)
        return ER_OK;
    ER_TRY(rc, model_cont(m->net, "tenant", &t, err), done);
    if (inv->cloud)
        ER_TRY(rc, model_leaf(t, "cloud", inv->cloud, err), done);
    if (inv->pp_region) {
        ER_TRY(rc, model_leaf(t, "power-platform-region", inv->pp_region, err), done);
        if (!n)
            n = ref_pp_regions(ref, inv->pp_region, &regions);
    }
    for (i = 0; i < n; i++) {
        const char *geo = ref_region_geo(ref, regions[i]);

        ER_TRY(rc, model_leaflist(t, "azure-region", regions[i], err), done);
        if (geo)
            ER_TRY(rc, model_leaflist(t, "geo-region", geo, err), done);
    }
    for (i = 0; i < inv->n_sites; i++) {
        ER_TRY(rc, model_list(t, "user-site", inv->sites[i].name, &s, err), done);
        if (inv->sites[i].geo_region)
            ER_TRY(rc, model_leaf(s, "geo-region", inv->sites[i].geo_region, err), done);
        if (inv->sites[i].users)
            ER_TRY(rc, model_leaf_u64(s, "users", inv->sites[i].users, err), done);
    }
done:
    return rc ? er_wrap(err, "%s: tenant: ", inv->path) : ER_OK;
}

/* Append every prefix of @p list/@p leaf under @p parent to @p v. */
static int
collect_prefixes(const struct lyd_node *parent, const char *list, const char *leaf, struct pfx **v, size_t *n,
        size_t *cap)
{
    struct lyd_node *e, *x;

    MODEL_FOR(parent, list, e) {
        MODEL_FOR(e, leaf, x) {
            if (*n == *cap) {
                size_t c = *cap ? *cap * 2 : 64;
                struct pfx *nv = realloc(*v, c * sizeof *nv);

                if (!nv)
                    return -1;
                *v = nv;
                *cap = c;
            }
            if (!pfx_parse(model_value(x), &(*v)[*n], 0))
                (*n)++;
        }
    }
    return 0;
}

/* Interest prefixes of a tree that already has circuits, tenant and services. */
static er_code
interest_of(const struct er_model *m, struct pfx **out, size_t *n, struct er_err *err)
{
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (!model_child(model_child(m->net, "services"), "prefix-set"))
        return ER_OK;
    if (collect_prefixes(model_child(m->net, "services"), "prefix-set", "prefix", out, n, &cap) ||
            collect_prefixes(m->net, "circuit", "registered-prefix", out, n, &cap)) {
        free(*out);
        *out = NULL;
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    return ER_OK;
}

er_code
norm_interest_trie(const struct pfx *v, size_t n, struct ptrie **out, struct er_err *err)
{
    size_t i;

    *out = NULL;
    if (!n)
        return ER_OK;
    if (!(*out = ptrie_new()))
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        if (ptrie_insert(*out, &v[i], NULL)) {
            ptrie_free(*out);
            *out = NULL;
            return er_set(err, ER_ENOMEM, "out of memory");
        }
    }
    return ER_OK;
}

static er_code
interest_build(const struct er_model *m, struct ptrie **out, struct er_err *err)
{
    struct pfx *v;
    size_t n;
    er_code rc;

    *out = NULL;
    ER_TRY(rc, interest_of(m, &v, &n, err), done);
    rc = norm_interest_trie(v, n, out, err);
    free(v);
done:
    return rc;
}

er_code
norm_interest(struct ly_ctx *ctx, const struct inventory *inv, const struct refdata *ref, struct pfx **out,
        size_t *n, struct er_err *err)
{
    struct er_model *m = NULL;
    er_code rc;

    *out = NULL;
    *n = 0;
    ER_TRY(rc, model_new(ctx, &m, err), done);
    ER_TRY(rc, add_circuits(inv, ref, m, err), done);
    ER_TRY(rc, add_tenant(inv, ref, m, err), done);
    ER_TRY(rc, svc_fill_model(ref, m, err), done);
    rc = interest_of(m, out, n, err);
done:
    model_free(m);
    return rc;
}

er_code
norm_build(const struct inventory *inv, const struct snapshot *snap, const struct refdata *ref,
        const struct norm_opts *opts, struct er_model *m, struct er_err *err)
{
    struct ptrie *interest = NULL;
    er_code rc;

    /* Inventory parts first: they decide which routes are worth keeping. */
    ER_TRY(rc, add_circuits(inv, ref, m, err), done);
    ER_TRY(rc, add_tenant(inv, ref, m, err), done);
    ER_TRY(rc, svc_fill_model(ref, m, err), done);
    ER_TRY(rc, interest_build(m, &interest, err), done);
    ER_TRY(rc, model_validate(m, err), done);
    /* Devices arrive validated; the whole tree is then valid as well. */
    ER_TRY(rc, add_devices(inv, snap, opts, interest, m, err), done);
    m->devices_settled = 1;
done:
    ptrie_free(interest);
    return rc;
}

/* Replace the children of device entry @p to (but its key) by those of @p from. */
static er_code
move_children(struct lyd_node *to, struct lyd_node *from, struct er_err *err)
{
    struct lyd_node *c, *next;

    LY_LIST_FOR_SAFE(lyd_child(to), next, c) {
        if (!lysc_is_key(c->schema))
            lyd_free_tree(c);
    }
    LY_LIST_FOR_SAFE(lyd_child(from), next, c) {
        if (lysc_is_key(c->schema))
            continue;
        lyd_unlink_tree(c);
        if (lyd_insert_child(to, c)) {
            lyd_free_tree(c);
            return model_ly_err(LYD_CTX(to), err, "moving a device's data");
        }
    }
    return ER_OK;
}

er_code
norm_replace_device(const struct inventory *inv, const struct snapshot *snap, const struct refdata *ref,
        const struct norm_opts *opts, struct er_model *m, const char *name, struct er_err *err)
{
    struct norm_job j = {0};
    struct ptrie *interest = NULL;
    struct lyd_node *old = model_find_device(m, name);
    size_t i;
    er_code rc;

    for (i = 0; i < inv->n_devices && strcmp(inv->devices[i].name, name); i++)
        ;
    if (i == inv->n_devices || !old)
        return er_set(err, ER_EINVAL, "%s: no device '%s' in the network", inv->path, name);
    /* Built as norm_build() builds every device: alone, from the same interest prefixes. */
    j.d = &inv->devices[i];
    ER_TRY(rc, interest_build(m, &interest, err), done);
    ER_TRY(rc, model_part_new(m, &j.m, err), done);
    /* No table may point into the device about to be freed, nor model_list()'s index. */
    model_thaw(m);
    build_device(&j, snap, opts, interest);
    if ((rc = j.rc)) {
        *err = j.err;
        goto done;
    }
    /* Into the old entry, which keeps its place (inventory order): its
     * children go, the new one's move in, in their order. */
    rc = move_children(old, j.dev, err);
done:
    model_thaw(m);
    model_part_free(&j.m);
    ptrie_free(interest);
    return rc ? er_wrap(err, "building %s again: ", name) : ER_OK;
}
