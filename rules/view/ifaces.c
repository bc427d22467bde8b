/**
 * @file ifaces.c
 * @brief The interface index: each device's interface subnets, made once before the rules run; which interface holds an address and what it faces.
 */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

/* One interface address of a device, parsed. */
struct if_sub {
    struct pfx net;
    struct lyd_node *ifc;
};

/* The interface subnets of one device, in tree order. */
struct if_dev {
    const struct lyd_node *dev;
    struct if_sub *v;
    size_t n;
};

/* Per-run index: open addressing on the device pointer. */
struct if_index {
    struct if_dev *slots;
    size_t cap, n;
};

static size_t
if_hash(const struct lyd_node *dev, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)dev * 0x9e3779b97f4a7c15ULL;

    return (size_t)(h >> 32) & (cap - 1);
}

static int
if_subnets(const struct lyd_node *dev, struct if_sub **out, size_t *count)
{
    struct lyd_node *ifc, *ad;
    size_t cap = 0;
    uint64_t len;

    *out = NULL;
    *count = 0;
    MODEL_FOR(dev, "interface", ifc) {
        MODEL_FOR(ifc, "address", ad) {
            struct pfx net;

            if (!model_u64(ad, "prefix-length", &len) || pfx_parse_addr(model_str(ad, "ip"), (unsigned)len, &net))
                continue;
            if (*count == cap) {
                size_t c = cap ? cap * 2 : 16;
                struct if_sub *v = realloc(*out, c * sizeof *v);

                if (!v)
                    return -1;
                *out = v;
                cap = c;
            }
            (*out)[(*count)++] = (struct if_sub){.net = net, .ifc = ifc};
        }
    }
    return 0;
}

/* The device's entry in the run's index, made on first use; NULL without an index or memory. */
const struct if_dev *
if_lookup(struct rule_ctx *rc, const struct lyd_node *dev)
{
    struct if_index *x;
    struct if_dev *e;
    size_t i;

    if (!rc || !rc->shared)
        return NULL;
    if (rc->shared->sealed) {
        /* Made before the rules started: a lookup, never an insert. */
        if (!(x = rc->shared->ifidx) || !x->cap)
            return NULL;
        for (i = if_hash(dev, x->cap); x->slots[i].dev; i = (i + 1) & (x->cap - 1)) {
            if (x->slots[i].dev == dev)
                return &x->slots[i];
        }
        return NULL;
    }
    if (!(x = rc->shared->ifidx)) {
        if (!(x = calloc(1, sizeof *x)))
            return NULL;
        rc->shared->ifidx = x;
    }
    if (x->n * 2 >= x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256, j;
        struct if_dev *slots = calloc(cap, sizeof *slots);

        if (!slots)
            return NULL;
        for (j = 0; j < x->cap; j++) {
            if (!x->slots[j].dev)
                continue;
            for (i = if_hash(x->slots[j].dev, cap); slots[i].dev; i = (i + 1) & (cap - 1))
                ;
            slots[i] = x->slots[j];
        }
        free(x->slots);
        x->slots = slots;
        x->cap = cap;
    }
    for (i = if_hash(dev, x->cap); x->slots[i].dev; i = (i + 1) & (x->cap - 1)) {
        if (x->slots[i].dev == dev)
            return &x->slots[i];
    }
    e = &x->slots[i];
    if (if_subnets(dev, &e->v, &e->n)) {
        free(e->v);
        e->v = NULL;
        return NULL;
    }
    e->dev = dev;
    x->n++;
    return e;
}

void
if_index_free(struct if_index *x)
{
    size_t i;

    if (!x)
        return;
    for (i = 0; i < x->cap; i++)
        free(x->slots[i].v);
    free(x->slots);
    free(x);
}

struct lyd_node *
ru_iface_for(struct rule_ctx *rc, const struct lyd_node *dev, const struct pfx *a, struct pfx *subnet)
{
    const struct if_dev *d = if_lookup(rc, dev);
    struct if_sub *v;
    size_t n, i;
    struct lyd_node *hit = NULL;

    if (d) {
        v = d->v;
        n = d->n;
    } else if (if_subnets(dev, &v, &n)) {
        free(v);
        return NULL;
    }
    for (i = 0; i < n && !hit; i++) {
        if (pfx_contains(&v[i].net, a)) {
            if (subnet)
                *subnet = v[i].net;
            hit = v[i].ifc;
        }
    }
    if (!d)
        free(v);
    return hit;
}

int
ru_iface_faces(const struct lyd_node *dev, const struct lyd_node *ifc, const char *faces)
{
    const char *ifname = model_str(ifc, "name"), *zn = model_str(ifc, "zone");
    struct lyd_node *z, *i;

    MODEL_FOR(dev, "zone", z) {
        const char *f = model_str(z, "faces"), *name = model_str(z, "name");

        if (!f || strcmp(f, faces))
            continue;
        if (zn && name && !strcmp(zn, name))
            return 1;
        MODEL_FOR(z, "interface", i) {
            if (ifname && !strcmp(model_value(i), ifname))
                return 1;
        }
    }
    return 0;
}
