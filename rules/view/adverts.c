/**
 * @file adverts.c
 * @brief What is advertised and translated: advertised-prefix counts and lists, NAT pools per role, the trie of advertised prefixes, the two sides of a device (inside and outside).
 */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

long
ru_adv_count(const struct lyd_node *nb)
{
    struct lyd_node *a;
    uint64_t v;
    long n = 0;

    MODEL_FOR(nb, "advertised-prefix", a)
        n++;
    if (n)
        return n;
    return model_u64(nb, "prefixes-advertised", &v) ? (long)v : -1;
}

int
ru_has_adv_list(const struct lyd_node *nb)
{
    return model_child(nb, "advertised-prefix") != NULL;
}

int
ru_nat_pools_walk(struct rule_ctx *rc, const char *roles, struct ru_pool **out, size_t *count)
{
    struct lyd_node *dev, *pool, *p;
    /* The run's BGP picture holds the circuits' index, when it was made. */
    const struct ru_net *sn = rc->shared ? rc->shared->net : NULL;
    size_t cap = 0;

    *out = NULL;
    *count = 0;
    MODEL_FOR(rc->m->net, "device", dev) {
        const char *circ;

        if ((roles && !ru_role_in(dev, roles)) || ru_is_failed(dev))
            continue;
        circ = !ru_is_role(dev, "er-edge") ? NULL : sn && sn->circ ? ru_circ_of(sn->circ, ru_name(dev), NULL)
             : ru_circuit_of(rc->m, ru_name(dev), NULL);
        MODEL_FOR(ru_dev_part(dev, "nat"), "pool", pool) {
            MODEL_FOR(pool, "prefix", p) {
                struct ru_pool x = {.dev = dev, .pool = pool, .prefix = model_value(p), .circuit = circ};

                if (ru_pfx(x.prefix, &x.p))
                    continue;
                if (*count == cap) {
                    size_t c = cap ? cap * 2 : 16;
                    struct ru_pool *v = realloc(*out, c * sizeof *v);

                    if (!v)
                        goto oom;
                    *out = v;
                    cap = c;
                }
                (*out)[(*count)++] = x;
            }
        }
    }
    return 0;
oom:
    free(*out);
    *out = NULL;
    *count = 0;
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
    return -1;
}

int
ru_adv_trie(struct rule_ctx *rc, const struct ru_nb *v, size_t n, struct ptrie **t, size_t *with_list)
{
    struct lyd_node *ap;
    struct pfx p;
    size_t i;

    *with_list = 0;
    if (!(*t = ptrie_new()))
        goto oom;
    for (i = 0; i < n; i++) {
        if (ru_has_adv_list(v[i].nb))
            (*with_list)++;
        MODEL_FOR(v[i].nb, "advertised-prefix", ap) {
            if (!ru_pfx(model_value(ap), &p) && ptrie_insert(*t, &p, (void *)&v[i]))
                goto oom;
        }
    }
    return 0;
oom:
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
    return -1;
}

static void
side_add(const char **v, size_t *n, const char *s)
{
    size_t i;

    for (i = 0; s && i < *n; i++) {
        if (!strcmp(v[i], s))
            return;
    }
    if (s && *n < RU_SIDE_MAX)
        v[(*n)++] = s;
}

static int
side_has(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; s && i < n; i++) {
        if (!strcmp(v[i], s))
            return 1;
    }
    return 0;
}

void
ru_side_collect(const struct ru_net *n, const struct lyd_node *dev, const char *faces, struct ru_side *s)
{
    struct lyd_node *z, *i, *ifc, *f;
    const struct ru_nb *v;
    size_t k, nv;

    memset(s, 0, sizeof *s);
    MODEL_FOR(dev, "zone", z) {
        const char *fc = model_str(z, "faces");

        if (!fc || strcmp(fc, faces))
            continue;
        side_add(s->zones, &s->n_zones, model_str(z, "name"));
        MODEL_FOR(z, "interface", i)
            side_add(s->ifs, &s->n_ifs, model_value(i));
    }
    MODEL_FOR(dev, "interface", ifc) {
        if (side_has(s->zones, s->n_zones, model_str(ifc, "zone")))
            side_add(s->ifs, &s->n_ifs, model_str(ifc, "name"));
    }
    /* Only the Internet and ExpressRoute sides have neighbors that mark their interfaces. */
    if (!strcmp(faces, "expressroute") || !strcmp(faces, "internet")) {
        nv = ru_net_dev(n, dev, !strcmp(faces, "expressroute"), &v);
        for (k = 0; k < nv; k++) {
            if ((ifc = ru_iface_for(n->rc, dev, &v[k].a, NULL)))
                side_add(s->ifs, &s->n_ifs, model_str(ifc, "name"));
        }
    }
    MODEL_FOR(dev, "filter", f) {
        int hit = side_has(s->zones, s->n_zones, model_str(f, "from-zone"));

        MODEL_FOR(f, "ingress-interface", i)
            hit |= side_has(s->ifs, s->n_ifs, model_value(i));
        if (hit && s->n_filters < RU_SIDE_MAX)
            s->filters[s->n_filters++] = f;
    }
}
