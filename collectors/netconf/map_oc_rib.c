/**
 * @file map_oc_rib.c
 * @brief The OpenConfig BGP RIB (openconfig-rib-bgp): loc-rib routes into
 * device/rib with their attributes, adj-rib-out-post into each neighbor's
 * advertised-prefix.
 */
#include "ncmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Attribute and community sets, looked up by index for every route. */
struct idx_ent {
    uint64_t idx;
    const struct xr_node *node;
};

struct idx_tab {
    struct idx_ent *v;
    size_t n;
};

static int
idx_cmp(const void *a, const void *b)
{
    const struct idx_ent *x = a, *y = b;

    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Index the @list entries under @parent by their "index" key. */
static er_code
idx_build(struct ncm *c, struct idx_tab *t, const struct xr_node *parent, const char *list)
{
    const struct xr_node *e;
    char tb[32];
    const char *v;
    size_t n = 0;

    XU_FOR(parent, list, e)
        n++;
    t->n = 0;
    t->v = n ? calloc(n, sizeof *t->v) : NULL;
    if (n && !t->v)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    XU_FOR(parent, list, e) {
        if ((v = xu_text(ncm_key(e, "index"), tb, sizeof tb))) {
            t->v[t->n].idx = strtoull(v, NULL, 10);
            t->v[t->n++].node = e;
        }
    }
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, idx_cmp);
    return ER_OK;
}

static const struct xr_node *
idx_find(const struct idx_tab *t, const char *v)
{
    struct idx_ent key, *hit;

    if (!v || !t->n)
        return NULL;
    key.idx = strtoull(v, NULL, 10);
    hit = bsearch(&key, t->v, t->n, sizeof *t->v, idx_cmp);
    return hit ? hit->node : NULL;
}

/* Origin of a loc-rib route: a neighbor address, or a protocol identity. */
static const char *
origin_protocol(const char *origin)
{
    static const struct { const char *ident, *proto; } map[] = {
        {"BGP", "bgp"}, {"STATIC", "static"}, {"DIRECTLY_CONNECTED", "connected"}, {"LOCAL_AGGREGATE", "local"},
        {"OSPF", "ospf"}, {"OSPF3", "ospf"}, {"ISIS", "isis"},
    };
    size_t i;

    if (ncm_is_addr(origin))
        return "bgp";
    origin = xu_ident(origin);
    for (i = 0; i < sizeof map / sizeof *map; i++) {
        if (!strcmp(origin, map[i].ident))
            return map[i].proto;
    }
    return "other";
}

/* "65010 12076" from attr-set/state/as-path/as-segment/state/member. */
static void
as_path(const struct xr_node *attr, char *buf, size_t size)
{
    const struct xr_node *seg, *m;
    char tb[32];
    size_t len = 0;
    const char *v;

    buf[0] = '\0';
    XU_FOR(xu_find(attr, "as-path"), "as-segment", seg) {
        XU_FOR(xu_child(seg, "state"), "member", m) {
            if ((v = xu_text(m, tb, sizeof tb)) && len + strlen(v) + 2 < size)
                len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", v);
        }
    }
}

static er_code
loc_rib_route(struct ncm *c, struct lyd_node *rib, const struct xr_node *r, const struct idx_tab *attrs,
        const struct idx_tab *comms)
{
    const struct xr_node *kn = ncm_key(r, "prefix"), *on = ncm_key(r, "origin"), *st = xu_child(r, "state"), *a, *cm;
    char pb[NCM_TEXT], ob[NCM_TEXT], ib[32], path_buf[NCM_TEXT];
    const char *prefix = xu_text(kn, pb, sizeof pb), *origin = xu_text(on, ob, sizeof ob), *proto, *src;
    struct lyd_node *rt, *p;
    er_code rc = ER_OK;

    if (!prefix || !*prefix)
        return ncm_bad(c, r, "route without a prefix");
    if (!st)
        st = r;
    proto = origin_protocol(origin ? origin : "");
    src = (origin && !strcmp(proto, "bgp") && ncm_is_addr(origin)) ? origin : proto;
    c->routes++;
    if (c->mc->keep_route) {
        struct pfx pf;

        /* Only the routes that matter become tree nodes; the rest are counted. */
        if (!pfx_parse(prefix, &pf, 0) && !c->mc->keep_route(&pf, c->mc->keep_arg))
            return ER_OK;
    }
    ER_TRY(rc, ncm_list(c, rib, "route", prefix, kn, &rt), done);
    ER_TRY(rc, ncm_list(c, rt, "path", src, on ? on : r, &p), done);
    ER_TRY(rc, ncm_leaf(c, p, "protocol", proto, r), done);
    ER_TRY(rc, ncm_leaf(c, p, "state-source", c->src, r), done);
    ER_TRY(rc, ncm_copy(c, p, "best", st, "best-path", NULL), done);
    if ((a = idx_find(attrs, xu_str(st, "attr-index", ib, sizeof ib)))) {
        const struct xr_node *as = xu_child(a, "state");
        const char *nh;

        if (!as)
            as = a;
        ER_TRY(rc, ncm_copy(c, p, "local-preference", as, "local-pref", NULL), done);
        if (ncm_is_addr(nh = xu_str(as, "next-hop", path_buf, sizeof path_buf)))
            ER_TRY(rc, ncm_leaf(c, p, "next-hop", nh, xu_child(as, "next-hop")), done);
        as_path(as, path_buf, sizeof path_buf);
        if (!*path_buf)
            as_path(a, path_buf, sizeof path_buf);
        if (*path_buf)
            ER_TRY(rc, ncm_leaf(c, p, "as-path", path_buf, a), done);
    }
    if ((cm = idx_find(comms, xu_str(st, "community-index", ib, sizeof ib))))
        ER_TRY(rc, ncm_copy_all(c, p, "community", xu_child(cm, "state"), "community"), done);
done:
    return rc;
}

static er_code
adj_rib_out_nb(struct ncm *c, struct lyd_node *bgp, const struct xr_node *n, const struct xr_node *routes)
{
    const struct xr_node *r, *kn = ncm_key(n, "neighbor-address");
    struct lyd_node *nb;
    char ab[NCM_TEXT], pb[NCM_TEXT];
    const char *addr, *prefix;
    er_code rc = ER_OK;

    if (!(addr = xu_text(kn, ab, sizeof ab)) || !*addr)
        return ncm_bad(c, n, "neighbor without a neighbor-address");
    ER_TRY(rc, ncm_list(c, bgp, "neighbor", addr, kn, &nb), done);
    XU_FOR(routes, "route", r) {
        const struct xr_node *pn = ncm_key(r, "prefix");

        if (!pn)
            pn = xu_find(r, "state/prefix");
        if ((prefix = xu_text(pn, pb, sizeof pb)) && *prefix)
            NCM_ELEM(rc, c, "bgp/neighbor/advertised-prefix", ncm_leaflist(c, nb, "advertised-prefix", prefix, pn),
                    done);
    }
done:
    return rc;
}

static er_code
adj_rib_out(struct ncm *c, struct lyd_node *bgp, const struct xr_node *nbrs)
{
    const struct xr_node *n, *routes;
    er_code rc = ER_OK;

    XU_FOR(nbrs, "neighbor", n) {
        if ((routes = xu_find(n, "adj-rib-out-post/routes")))
            NCM_ELEM(rc, c, "bgp/neighbor/advertised-prefix", adj_rib_out_nb(c, bgp, n, routes), done);
    }
done:
    return rc;
}

er_code
map_oc_bgp_rib(struct ncm *c, struct lyd_node *bgp, const struct xr_node *ribx)
{
    static const char *const fams[] = {"ipv4-unicast", "ipv6-unicast"};
    struct idx_tab attrs = {0}, comms = {0};
    struct lyd_node *rib = NULL;
    const struct xr_node *af, *u, *r;
    size_t i;
    er_code rc;

    ER_TRY(rc, idx_build(c, &attrs, xu_child(ribx, "attr-sets"), "attr-set"), done);
    ER_TRY(rc, idx_build(c, &comms, xu_child(ribx, "communities"), "community"), done);
    XU_FOR(xu_child(ribx, "afi-safis"), "afi-safi", af) {
        for (i = 0; i < 2; i++) {
            if (!(u = xu_child(af, fams[i])))
                continue;
            XU_FOR(xu_find(u, "loc-rib/routes"), "route", r) {
                if (!rib)
                    ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", &rib), done);
                NCM_ELEM(rc, c, "rib/route", loc_rib_route(c, rib, r, &attrs, &comms), done);
            }
            ER_TRY(rc, adj_rib_out(c, bgp, xu_child(u, "neighbors")), done);
        }
    }
done:
    free(attrs.v);
    free(comms.v);
    return rc;
}
