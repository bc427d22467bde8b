/**
 * @file map_oc_bgp.c
 * @brief OpenConfig network instances: BGP global and neighbors
 * (openconfig-bgp), static routes (openconfig-local-routing) and BFD peers
 * (openconfig-bfd). The BGP RIB is in map_oc_rib.c.
 */
#include "ncmap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Neighbor settings that a peer-group may also carry. */
static er_code
oc_nb_settings(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *cfg = xu_child(x, "config"), *af, *pw;
    char tb[NCM_TEXT];
    const char *v;
    er_code rc = ER_OK;

    /*
     * Last schema sibling first: libyang puts a new leaf before the first
     * later sibling it finds, and looks for each in turn, so this order
     * finds it at once (see map_oc_interfaces()).
     */
    XU_FOR(xu_child(x, "afi-safis"), "afi-safi", af) {
        static const char *const limits[] = {
            "ipv4-unicast/prefix-limit/config/max-prefixes",
            "ipv6-unicast/prefix-limit/config/max-prefixes",
            "ipv4-unicast/prefix-limit-received/config/max-prefixes",
            "ipv6-unicast/prefix-limit-received/config/max-prefixes",
        };
        size_t i;

        for (i = 0; i < sizeof limits / sizeof *limits; i++)
            ER_TRY(rc, ncm_copy(c, nb, "max-prefix", af, limits[i], NULL), done);
    }
    ER_TRY(rc, ncm_copy(c, nb, "hold-time", x, "timers/config/hold-time", ncm_int), done);
    ER_TRY(rc, ncm_copy(c, nb, "keepalive", x, "timers/config/keepalive-interval", ncm_int), done);
    /* Only whether a password is set; its value never leaves this function. */
    if ((pw = xu_child(cfg, "auth-password")) && (v = xu_text(pw, tb, sizeof tb)) && *v)
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "true", pw), done);
    ER_TRY(rc, ncm_copy(c, nb, "bfd", x, "enable-bfd/config/enabled", NULL), done);
    v = xu_str(x, "transport/config/local-address", tb, sizeof tb);
    if (ncm_is_addr(v))
        ER_TRY(rc, ncm_copy(c, nb, "local-address", x, "transport/config/local-address", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "enabled", cfg, "enabled", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "description", cfg, "description", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "peer-as", cfg, "peer-as", NULL), done);
done:
    return rc;
}

/* Whether @x names any @which (import-policy / export-policy), directly or per AFI. */
static int
has_policy(const struct xr_node *x, const char *which)
{
    char path[64];
    const struct xr_node *af;

    snprintf(path, sizeof path, "apply-policy/config/%s", which);
    if (xu_find(x, path))
        return 1;
    XU_FOR(xu_child(x, "afi-safis"), "afi-safi", af) {
        if (xu_find(af, path))
            return 1;
    }
    return 0;
}

static er_code
oc_policies(struct ncm *c, struct lyd_node *nb, const struct xr_node *x, const char *which)
{
    const struct xr_node *af;
    er_code rc;

    ER_TRY(rc, ncm_copy_all(c, nb, which, xu_find(x, "apply-policy/config"), which), done);
    XU_FOR(xu_child(x, "afi-safis"), "afi-safi", af)
        ER_TRY(rc, ncm_copy_all(c, nb, which, xu_find(af, "apply-policy/config"), which), done);
done:
    return rc;
}

/*
 * The default-import-policy / default-export-policy element (@p which) that
 * applies to a neighbor: its own (direct or per AFI), else its peer-group's,
 * else the global one; NULL when none is set.
 */
static const struct xr_node *
oc_default_el(const struct xr_node *const from[3], const char *which)
{
    const struct xr_node *af, *d;
    char path[64];
    size_t i;

    snprintf(path, sizeof path, "apply-policy/config/%s", which);
    for (i = 0; i < 3; i++) {
        if (!from[i])
            continue;
        if ((d = xu_find(from[i], path)))
            return d;
        XU_FOR(xu_child(from[i], "afi-safis"), "afi-safi", af) {
            if ((d = xu_find(af, path)))
                return d;
        }
    }
    return NULL;
}

/*
 * OpenConfig's default policies: what the chain does not decide is rejected
 * (REJECT_ROUTE, the schema default) unless ACCEPT_ROUTE is set.
 */
static er_code
oc_defaults(struct ncm *c, struct lyd_node *nb, const struct xr_node *const from[3], const struct xr_node *n)
{
    static const char *const el[] = {"default-import-policy", "default-export-policy"};
    static const char *const leaf[] = {"default-import", "default-export"};
    const struct xr_node *d;
    char tb[NCM_TEXT];
    const char *v;
    size_t i;
    er_code rc = ER_OK;

    for (i = 0; i < 2; i++) {
        d = oc_default_el(from, el[i]);
        v = (v = xu_text(d, tb, sizeof tb)) ? xu_ident(v) : "";
        if (d && strcmp(v, "ACCEPT_ROUTE") && strcmp(v, "REJECT_ROUTE"))
            return ncm_bad(c, d, "%s '%s': expected ACCEPT_ROUTE or REJECT_ROUTE", el[i], v);
        ER_TRY(rc, ncm_leaf(c, nb, leaf[i], !strcmp(v, "ACCEPT_ROUTE") ? "accept" : "reject", d ? d : n), done);
    }
    ER_TRY(rc, ncm_leaf(c, nb, "default-origin", "openconfig", n), done);
done:
    return rc;
}

static const struct xr_node *
find_group(const struct xr_node *bgp, const char *name)
{
    const struct xr_node *g;
    char tb[NCM_TEXT];
    const char *v;

    XU_FOR(xu_child(bgp, "peer-groups"), "peer-group", g) {
        if ((v = xu_text(ncm_key(g, "peer-group-name"), tb, sizeof tb)) && !strcmp(v, name))
            return g;
    }
    return NULL;
}

static er_code
oc_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *bgp, const struct xr_node *n)
{
    const struct xr_node *kn = ncm_key(n, "neighbor-address"), *pg = NULL, *af;
    char ab[NCM_TEXT], gb[NCM_TEXT], sb[32];
    const char *addr = xu_text(kn, ab, sizeof ab), *g, *ss;
    struct lyd_node *nb;
    uint64_t rx = 0, tx = 0;
    int have_rx = 0, have_tx = 0;
    size_t i;
    er_code rc = ER_OK;

    if (!addr || !*addr)
        return ncm_bad(c, n, "neighbor without a neighbor-address");
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    if (c->cfg) {
        static const char *const which[] = {"import-policy", "export-policy"};
        const struct xr_node *from3[3] = {n, NULL, xu_child(bgp, "global")};

        if ((g = xu_str(n, "config/peer-group", gb, sizeof gb)))
            pg = find_group(bgp, g);
        /* The neighbor's own settings override its group's. */
        if (pg)
            ER_TRY(rc, oc_nb_settings(c, nb, pg), done);
        ER_TRY(rc, oc_nb_settings(c, nb, n), done);
        for (i = 0; i < 2; i++) {
            const struct xr_node *from = has_policy(n, which[i]) ? n : pg;

            if (from)
                ER_TRY(rc, oc_policies(c, nb, from, which[i]), done);
        }
        from3[1] = pg;
        ER_TRY(rc, oc_defaults(c, nb, from3, n), done);
        if (!model_str(nb, "md5"))
            ER_TRY(rc, ncm_leaf(c, nb, "md5", "false", n), done);
    }
    /* Prefix counts are per address family: the neighbor gets their sum. Last in schema order first, as above. */
    XU_FOR(xu_child(n, "afi-safis"), "afi-safi", af) {
        const struct xr_node *p = xu_find(af, "state/prefixes");
        char tb[32];
        const char *t;

        if ((t = xu_str(p, "received", tb, sizeof tb)))
            rx += strtoull(t, NULL, 10), have_rx = 1;
        if ((t = xu_str(p, "sent", tb, sizeof tb)))
            tx += strtoull(t, NULL, 10), have_tx = 1;
    }
    if (have_tx) {
        snprintf(sb, sizeof sb, "%" PRIu64, tx);
        ER_TRY(rc, ncm_leaf(c, nb, "prefixes-advertised", sb, n), done);
    }
    if (have_rx) {
        snprintf(sb, sizeof sb, "%" PRIu64, rx);
        ER_TRY(rc, ncm_leaf(c, nb, "prefixes-received", sb, n), done);
    }
    if ((ss = xu_str(n, "state/session-state", sb, sizeof sb))) {
        char lb[32];

        ER_TRY(rc, ncm_leaf(c, nb, "state-source", c->src, n), done);
        ER_TRY(rc, ncm_leaf(c, nb, "state", ncm_lower(ss, lb, sizeof lb), xu_find(n, "state/session-state")), done);
    }
done:
    return rc;
}

er_code
map_oc_bgp(struct ncm *c, const struct xr_node *bgp)
{
    const struct xr_node *g = xu_child(bgp, "global"), *n;
    struct lyd_node *b;
    er_code rc;

    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    if (c->cfg) {
        NCM_ELEM(rc, c, "bgp/local-as", ncm_copy(c, b, "local-as", g, "config/as", NULL), done);
        NCM_ELEM(rc, c, "bgp/router-id", ncm_copy(c, b, "router-id", g, "config/router-id", NULL), done);
        NCM_ELEM(rc, c, "bgp/ignore-as-path-length", ncm_copy(c, b, "ignore-as-path-length", g,
                "route-selection-options/config/ignore-as-path-length", NULL), done);
    }
    XU_FOR(xu_child(bgp, "neighbors"), "neighbor", n)
        NCM_ELEM(rc, c, "bgp/neighbor", oc_neighbor(c, b, bgp, n), done);
    if ((n = xu_child(bgp, "rib")))
        ER_TRY(rc, map_oc_bgp_rib(c, b, n), done);
done:
    return rc;
}

er_code
map_oc_bgp_top(struct ncm *c, const struct xr_node *top)
{
    return map_oc_bgp(c, top);
}

static er_code
oc_static(struct ncm *c, struct lyd_node *rib, const struct xr_node *s)
{
    const struct xr_node *kn = ncm_key(s, "prefix"), *nh;
    struct lyd_node *rt, *path;
    char pb[NCM_TEXT], hb[NCM_TEXT];
    const char *prefix, *hop;
    er_code rc;

    if (!(prefix = xu_text(kn, pb, sizeof pb)) || !*prefix)
        return ncm_bad(c, s, "static route without a prefix");
    ER_TRY(rc, ncm_list(c, rib, "route", prefix, kn, &rt), done);
    ER_TRY(rc, ncm_list(c, rt, "path", "static", s, &path), done);
    ER_TRY(rc, ncm_leaf(c, path, "protocol", "static", s), done);
    ER_TRY(rc, ncm_leaf(c, path, "state-source", c->src, s), done);
    /* The first next hop that is an address (not DROP or LOCAL_LINK). */
    XU_FOR(xu_child(s, "next-hops"), "next-hop", nh) {
        hop = xu_str(nh, "config/next-hop", hb, sizeof hb);
        if (ncm_is_addr(hop)) {
            ER_TRY(rc, ncm_leaf(c, path, "next-hop", hop, xu_find(nh, "config/next-hop")), done);
            ER_TRY(rc, ncm_copy(c, path, "egress-interface", nh, "interface-ref/config/interface", NULL), done);
            break;
        }
    }
done:
    return rc;
}

er_code
map_oc_static(struct ncm *c, const struct xr_node *static_routes)
{
    const struct xr_node *s;
    struct lyd_node *rib;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", &rib), done);
    XU_FOR(static_routes, "static", s)
        NCM_ELEM(rc, c, "rib/route", oc_static(c, rib, s), done);
done:
    return rc;
}

er_code
map_oc_network_instances(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *ni, *p, *x;
    er_code rc = ER_OK;

    /* Every instance (default and VRFs) feeds the one device-level BGP. */
    XU_FOR(top, "network-instance", ni) {
        XU_FOR(xu_child(ni, "protocols"), "protocol", p) {
            if ((x = xu_child(p, "bgp")))
                ER_TRY(rc, map_oc_bgp(c, x), done);
            if ((x = xu_child(p, "static-routes")))
                ER_TRY(rc, map_oc_static(c, x), done);
        }
    }
done:
    return rc;
}

er_code
map_oc_local_routes(struct ncm *c, const struct xr_node *top)
{
    return map_oc_static(c, xu_child(top, "static-routes"));
}

er_code
map_oc_bfd(struct ncm *c, const struct xr_node *top)
{
    struct lyd_node *b = model_child(c->mc->dev, "bgp"), *nb;
    const struct xr_node *i, *p, *an;
    char ab[NCM_TEXT];
    const char *addr;
    er_code rc = ER_OK;

    /* A BFD session to a BGP neighbor's address means BFD protects it. */
    XU_FOR(xu_child(top, "interfaces"), "interface", i) {
        XU_FOR(xu_child(i, "peers"), "peer", p) {
            an = xu_find(p, "state/remote-address");
            if ((addr = xu_text(an, ab, sizeof ab)) && b && (nb = model_find(b, "neighbor", addr)))
                NCM_ELEM(rc, c, "bgp/neighbor/bfd", ncm_leaf(c, nb, "bfd", "true", an), done);
        }
    }
done:
    return rc;
}
