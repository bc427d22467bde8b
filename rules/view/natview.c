/**
 * @file natview.c
 * @brief The run's NAT view: every NAT pool prefix with its scope, alone
 * and with the device's other pools of that prefix, made once per run
 * (rule_shared_prepare) instead of by each of the five rules that judge
 * pools, and in time linear in the pools: each device's interfaces are
 * indexed by name once and its pools grouped by prefix through a sort.
 */
#include "natscope.h"
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

/* A pool of one device by its prefix and place: sorted, pfx_equal() prefixes end up together, in order. */
struct member {
    struct pfx p;
    size_t i;
};

static int
pfx_order(const struct pfx *a, const struct pfx *b)
{
    unsigned full = a->len / 8, rest = a->len % 8;
    int c;

    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (full && (c = memcmp(a->addr, b->addr, full)))
        return c;
    if (rest) {
        unsigned mask = (0xffu << (8 - rest)) & 0xffu, x = a->addr[full] & mask, y = b->addr[full] & mask;

        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

static int
member_cmp(const void *pa, const void *pb)
{
    const struct member *a = pa, *b = pb;
    int c = pfx_order(&a->p, &b->p);

    return c ? c : (a->i > b->i) - (a->i < b->i);
}

void
ru_natv_free(struct ru_natv *x)
{
    if (!x)
        return;
    free(x->v);
    free(x->sc);
    free(x);
}

/* The scopes of the pools v[i0..i1) of one device. */
static int
device_scopes(const struct ru_net *n, struct ru_natv *x, size_t i0, size_t i1, struct member *mem, size_t *idx)
{
    struct nat_dev *d = nat_dev_new(n, x->v[i0].dev);
    size_t k, a, b, m = i1 - i0;

    if (!d)
        return -1;
    for (k = i0; k < i1; k++) {
        nat_dev_scope(d, x->v[k].pool, &x->sc[k].own);
        x->v[k].sv = &x->sc[k];
        mem[k - i0] = (struct member){.p = x->v[k].p, .i = k};
    }
    /* Groups of one prefix: judged once, on their first pool (ru_nat_scope_group()); the others stay zero. */
    qsort(mem, m, sizeof *mem, member_cmp);
    for (k = 0; k < m; k++)
        idx[k] = mem[k].i;
    for (a = 0; a < m; a = b) {
        struct ru_pool_scope *f = &x->sc[idx[a]];

        for (b = a + 1; b < m && pfx_equal(&x->v[idx[b]].p, &x->v[idx[a]].p); b++)
            ;
        if (b - a == 1)
            f->grp = f->own;
        else
            nat_dev_scope_members(d, x->v, idx + a, b - a, &f->grp);
        f->same = b - a;
        f->first = 1;
    }
    nat_dev_free(d);
    return 0;
}

static struct ru_natv *
natv_build(struct rule_ctx *rc)
{
    struct ru_natv *x = calloc(1, sizeof *x);
    struct member *mem = NULL;
    size_t *idx = NULL, i, j;
    struct ru_net n;
    int net = 0;

    if (!x || ru_net_build(rc, &n))
        goto fail;
    net = 1;
    if (ru_nat_pools_walk(rc, NULL, &x->v, &x->n))
        goto fail;
    if (!(x->sc = calloc(x->n ? x->n : 1, sizeof *x->sc)) || !(idx = malloc((x->n ? x->n : 1) * sizeof *idx)) ||
            !(mem = malloc((x->n ? x->n : 1) * sizeof *mem)))
        goto fail;
    for (i = 0; i < x->n; i = j) {
        for (j = i; j < x->n && x->v[j].dev == x->v[i].dev; j++)
            ;
        if (device_scopes(&n, x, i, j, mem, idx))
            goto fail;
    }
    free(idx);
    free(mem);
    ru_net_free(&n);
    return x;
fail:
    free(idx);
    free(mem);
    if (net)
        ru_net_free(&n);
    ru_natv_free(x);
    return NULL;
}

const struct ru_natv *
ru_natv_get(struct rule_ctx *rc)
{
    er_code before;

    if (!rc || !rc->shared)
        return NULL;
    if (rc->shared->nat || rc->shared->sealed)
        return rc->shared->nat;
    /* Without memory for the view, each rule computes the scopes it asks for (and meets the shortage itself). */
    before = rc->rc;
    rc->shared->nat = natv_build(rc);
    rc->rc = before;
    return rc->shared->nat;
}

int
ru_nat_pools(struct rule_ctx *rc, const char *roles, struct ru_pool **out, size_t *count)
{
    const struct ru_natv *x = ru_natv_get(rc);
    const struct lyd_node *dev = NULL;
    size_t i;
    int keep = 0;

    if (!x)
        return ru_nat_pools_walk(rc, roles, out, count);
    *out = NULL;
    *count = 0;
    if (!x->n)
        return 0;
    if (!(*out = malloc(x->n * sizeof **out))) {
        if (!rc->rc)
            rc->rc = ER_ENOMEM;
        return -1;
    }
    for (i = 0; i < x->n; i++) {
        if (x->v[i].dev != dev) {
            dev = x->v[i].dev;
            keep = ru_role_in(dev, roles);
        }
        if (keep)
            (*out)[(*count)++] = x->v[i];
    }
    return 0;
}
