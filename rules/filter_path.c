/**
 * @file filter_path.c
 * @brief Hops and paths through filters: which ingress filters traffic from
 * one side meets, and what a path admits.
 */
#include "filter_path.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *
str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static int
if_in_zone(const struct lyd_node *dev, const char *zone, const char *ifname)
{
    struct lyd_node *z = zone ? model_find(dev, "zone", zone) : NULL, *i, *ifc;

    if (!z)
        return 0;
    MODEL_FOR(z, "interface", i) {
        if (!strcmp(model_value(i), ifname))
            return 1;
    }
    ifc = model_find(dev, "interface", ifname);
    return ifc && model_str(ifc, "zone") && !strcmp(model_str(ifc, "zone"), zone);
}

/* 1 when filter @p f is bound on ingress to @p ifname (directly or through its zone). */
static int
bound(const struct lyd_node *dev, const struct lyd_node *f, const char *ifname)
{
    struct lyd_node *i;

    MODEL_FOR(f, "ingress-interface", i) {
        if (!strcmp(model_value(i), ifname))
            return 1;
    }
    return if_in_zone(dev, model_str(f, "from-zone"), ifname);
}

int
fp_add_hops(struct rule_ctx *rc, struct fe_space *sp, const struct ru_net *n, const struct lyd_node *dev,
        const char *faces, struct fp_side *sd)
{
    struct ru_side *rs;
    size_t k, j;
    char why[256];
    int unread = ru_has_config(dev) == 0 || !strcmp(str_or(model_str(model_child(dev, "collection"), "status"), ""),
            "failed");

    if (!(rs = malloc(sizeof *rs)))
        return -2;
    ru_side_collect(n, dev, faces, rs);
    for (k = 0; k < rs->n_ifs && sd->n < MAX_HOPS; k++) {
        struct fp_hop *h = &sd->h[sd->n++];

        memset(h, 0, sizeof *h);
        h->dev = dev;
        h->ifname = rs->ifs[k];
        h->ifc = model_find(dev, "interface", rs->ifs[k]);
        h->fw = ru_role_in(dev, "firewall");
        h->unread = unread;
        for (j = 0; j < rs->n_filters && h->nf < HOP_FILTERS; j++) {
            int e;

            if (!bound(dev, rs->filters[j], h->ifname))
                continue;
            if ((e = fe_load(rs->filters[j], &h->f[h->nf], why, sizeof why))) {
                free(rs);
                if (e == -2)
                    return -2;
                rule_skip(rc, ru_name(dev), NULL, "%s: %s", ru_name(dev), why);
                return -1;
            }
            if (fe_space_add(sp, &h->f[h->nf++])) {
                free(rs);
                return -2;
            }
        }
    }
    free(rs);
    return 0;
}

size_t
fp_paths(const struct fp_side *sd, struct fp_path *out, size_t max)
{
    size_t i, j, n = 0, nfw = 0;

    for (i = 0; i < sd->n; i++)
        nfw += sd->h[i].fw;
    for (i = 0; i < sd->n; i++) {
        if (sd->h[i].fw && nfw < sd->n)
            continue;
        if (!sd->h[i].fw && nfw) {
            for (j = 0; j < sd->n && n < max; j++) {
                if (sd->h[j].fw)
                    out[n++] = (struct fp_path){{&sd->h[i], &sd->h[j]}, 2};
            }
        } else if (n < max) {
            out[n++] = (struct fp_path){{&sd->h[i], NULL}, 1};
        }
    }
    return n;
}

int
fp_filtered(const struct fp_path *p)
{
    return p->h[0]->nf || (p->n > 1 && p->h[1]->nf);
}

int
fp_unread(const struct fp_path *p)
{
    return p->h[0]->unread || (p->n > 1 && p->h[1]->unread);
}

int
fp_admits(const struct fp_path *p, const struct fe_pkt *pk, const struct fe_filter **lf, const struct fe_rule **lr)
{
    size_t i, k;
    const struct fe_rule *r;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < p->h[i]->nf; k++) {
            int ok = fe_admits(&p->h[i]->f[k], pk, &r);

            *lf = &p->h[i]->f[k];
            *lr = r;
            if (!ok)
                return 0;
        }
    }
    return 1;
}

size_t
fp_filters(const struct fp_path *p, const struct fe_filter **fs)
{
    size_t i, k, n = 0;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < p->h[i]->nf; k++)
            fs[n++] = &p->h[i]->f[k];
    }
    return n;
}

int
fp_admits_class(const struct fp_path *p, const struct fe_pkt *cls, struct fe_pkt *pk,
        const struct fe_filter **lf, const struct fe_rule **lr)
{
    const struct fe_filter *fs[2 * HOP_FILTERS];
    struct fe_space one;
    size_t a, b, nf = fp_filters(p, fs);
    int yes = 0;

    *pk = *cls;
    if (fe_space_class(fs, nf, pk, &one))
        return -1;
    for (a = 0; a < one.ns && !yes; a++) {
        pk->src = one.srcs[a];
        for (b = 0; b < one.nd && !yes; b++) {
            pk->dst = one.dsts[b];
            yes = fp_admits(p, pk, lf, lr);
        }
    }
    fe_space_free(&one);
    return yes;
}

const char *
fp_str(const struct fp_path *p, char *buf, size_t size)
{
    if (p->n > 1)
        snprintf(buf, size, "%s %s, then %s %s", ru_name(p->h[0]->dev), p->h[0]->ifname, ru_name(p->h[1]->dev),
                p->h[1]->ifname);
    else
        snprintf(buf, size, "%s %s", ru_name(p->h[0]->dev), p->h[0]->ifname);
    return buf;
}

const struct fp_hop *
fp_hop_of(const struct fp_path *p, const struct fe_filter *f)
{
    size_t k, j;

    for (k = 0; k < p->n; k++) {
        for (j = 0; j < p->h[k]->nf; j++) {
            if (&p->h[k]->f[j] == f)
                return p->h[k];
        }
    }
    return p->h[p->n - 1];
}

int
fp_hop_admits_class(const struct fp_hop *h, const struct fe_pkt *cls)
{
    struct fp_path one = {{h, NULL}, 1};
    const struct fe_filter *lf;
    const struct fe_rule *lr;
    struct fe_pkt pk;

    return fp_admits_class(&one, cls, &pk, &lf, &lr);
}

int
fp_on(const struct fp_path *p, const struct lyd_node *dev)
{
    return p->h[0]->dev == dev || (p->n > 1 && p->h[1]->dev == dev);
}

void
fp_side_free(struct fp_side *sd)
{
    size_t i, k;

    for (i = 0; i < sd->n; i++) {
        for (k = 0; k < sd->h[i].nf; k++)
            fe_free(&sd->h[i].f[k]);
    }
}

