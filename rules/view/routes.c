/**
 * @file routes.c
 * @brief Routes as the rules read them: where a path leads (ExpressRoute, Internet, IGP), its local preference, the best path per prefix, the routes toward Microsoft prefixes, the AS-path prepending of an export.
 */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

enum ru_via
ru_path_via(const struct ru_net *n, const struct lyd_node *path)
{
    const char *src = model_str(path, "source"), *asp = model_str(path, "as-path");
    struct pfx a;
    int found = 0;

    if (src && !ru_pfx(src, &a)) {
        ptrie_get(n->ms_addr, &a, &found);
        if (found)
            return RU_VIA_ER;
        ptrie_get(n->inet_addr, &a, &found);
        if (found)
            return RU_VIA_INET;
    }
    /*
     * Learned over iBGP: it came in over ExpressRoute when Microsoft's AS is
     * the first of the path (only a session with Microsoft puts it first; a
     * path with 12076 further on came through another AS: the Internet),
     * unless its next hop (else the router that announced it) is an
     * Internet edge.
     */
    if (asp) {
        const char *s = asp, *nh = model_str(path, "next-hop");
        const struct lyd_node *by_src = NULL, *by_nh = NULL;
        int any = 0;

        if (src && !ru_pfx(src, &a))
            by_src = ptrie_get(n->dev_addr, &a, &found);
        if (nh && !ru_pfx(nh, &a))
            by_nh = ptrie_get(n->dev_addr, &a, &found);

        while (*s) {
            char *end;
            unsigned long as;

            while (*s == ' ' || *s == '{' || *s == '}' || *s == ',')
                s++;
            if (!*s)
                break;
            as = strtoul(s, &end, 10);
            if (end == s)
                break;
            if (!any++ && as == n->ms_as) {
                /* The next hop is where traffic goes; without one known, the router that announced it.
                 * A route reflector or WAN router in between keeps the path ExpressRoute's. */
                const struct lyd_node *via = by_nh ? by_nh : nh ? NULL : by_src;

                return via && ru_is_role(via, "internet-edge") ? RU_VIA_OTHER : RU_VIA_ER;
            }
            s = end;
        }
        if (any)
            return RU_VIA_INET;
    }
    return RU_VIA_OTHER;
}

int
ru_path_igp(const struct lyd_node *path)
{
    const char *proto = model_str(path, "protocol");

    return proto && strcmp(proto, "bgp") && !model_str(path, "as-path");
}

uint32_t
ru_path_lp(const struct lyd_node *path)
{
    uint64_t lp;

    return model_u64(path, "local-preference", &lp) ? (uint32_t)lp : RU_DEFAULT_LP;
}

void
ru_route_eval(const struct ru_net *n, struct lyd_node *route, struct ru_route *out)
{
    struct lyd_node *path, *top = NULL;
    uint32_t top_lp = 0;

    memset(out, 0, sizeof *out);
    out->route = route;
    MODEL_FOR(route, "path", path) {
        enum ru_via via = ru_path_via(n, path);
        uint32_t lp = ru_path_lp(path);

        if (!out->best && model_bool(path, "best", 0)) {
            out->best = path;
            out->best_via = via;
        }
        /* Without a best flag the highest local-pref wins; on a tie we cannot prove ER wins. */
        if (!top || lp > top_lp || (lp == top_lp && via != RU_VIA_ER)) {
            top = path;
            top_lp = lp;
        }
        if (via == RU_VIA_ER) {
            if (!out->er || lp > out->er_lp)
                out->er = path, out->er_lp = lp;
            if (out->er == path || lp < out->er_lp_min)
                out->er_lp_min = lp;
        } else if (via == RU_VIA_INET && (!out->inet || lp > out->inet_lp)) {
            out->inet = path;
            out->inet_lp = lp;
        }
    }
    if (!out->best && top) {
        out->best = top;
        out->best_via = ru_path_via(n, top);
    }
}

struct contained_arg {
    const struct pfx *outer;
    struct ptrie *seen;
    const struct ru_net *n;
    void (*cb)(const struct ru_route *r, void *arg);
    void *arg;
    long visited;
    int oom, hit;
};

static void
visit(struct contained_arg *ca, const struct pfx *p, struct lyd_node *route)
{
    struct ru_route r;
    int found;

    ptrie_get(ca->seen, p, &found);
    if (found)
        return;
    if (ptrie_insert(ca->seen, p, route)) {
        ca->oom = 1;
        return;
    }
    ru_route_eval(ca->n, route, &r);
    ca->cb(&r, ca->arg);
    ca->visited++;
}

static int
contained_cb(const struct pfx *found, void *value, void *arg)
{
    struct contained_arg *ca = arg;

    if (found->len > ca->outer->len && pfx_contains(ca->outer, found)) {
        ca->hit = 1;
        visit(ca, found, value);
    }
    return ca->oom;
}

long
ru_ms_routes(const struct ru_net *n, const struct lyd_node *dev,
        void (*cb)(const struct ru_route *r, void *arg), void *arg, size_t *uncovered, struct pfx *first_uncovered)
{
    struct contained_arg ca = {.n = n, .cb = cb, .arg = arg};
    struct ptrie *rib = ptrie_new();
    struct lyd_node *route;
    struct pfx p, match;
    void *val;
    size_t i;

    *uncovered = 0;
    ca.seen = ptrie_new();
    if (!rib || !ca.seen)
        goto oom;
    MODEL_FOR(ru_dev_part(dev, "rib"), "route", route) {
        if (!ru_pfx(model_str(route, "prefix"), &p) && ptrie_insert(rib, &p, route))
            goto oom;
    }
    for (i = 0; i < n->n_svc && !ca.oom; i++) {
        int covered = 0;

        ca.outer = &n->svc[i];
        ca.hit = 0;
        if (ptrie_lookup(rib, &n->svc[i], &match, &val)) {
            covered = 1;
            visit(&ca, &match, val);
        }
        ptrie_overlaps(rib, &n->svc[i], contained_cb, &ca);
        if (!covered && !ca.hit && !(*uncovered)++ && first_uncovered)
            *first_uncovered = n->svc[i];
    }
    if (ca.oom)
        goto oom;
    ptrie_free(rib);
    ptrie_free(ca.seen);
    return ca.visited;
oom:
    ptrie_free(rib);
    ptrie_free(ca.seen);
    return -1;
}

unsigned
ru_export_prepend(const struct lyd_node *dev, const struct lyd_node *nb)
{
    struct lyd_node *pn, *pol, *term;
    unsigned best = 0;
    uint64_t v;

    MODEL_FOR(nb, "export-policy", pn) {
        if (!(pol = model_find(dev, "policy", model_value(pn))))
            continue;
        MODEL_FOR(pol, "term", term) {
            if (model_u64(term, "set-prepend-count", &v) && v > best)
                best = (unsigned)v;
        }
    }
    return best;
}
