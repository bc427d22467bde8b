/**
 * @file map_xe_nat.c
 * @brief IOS-XE NAT (Cisco-IOS-XE-nat, augmenting /native/ip and the
 * interfaces' ip) into device/nat.
 *
 * - `ip nat pool NAME START END prefix-length N` (`pool[id]`): a pool whose
 *   prefixes are the blocks covering START..END exactly;
 * - `ip nat inside source list ACL pool NAME [overload]`
 *   (`inside/source/list-pool/list[id]/pool[name]`, and the older
 *   `inside/source/list[id]/pool`), `... route-map RM pool NAME`: a source
 *   rule to the pool;
 * - `ip nat inside source list ACL interface IF overload`
 *   (`list-interface/list[id]/interface[name]`, older `list[id]/interface`,
 *   `route-map[...]/interface`): a source rule translating to IF's address;
 * - `ip nat inside source static LOCAL GLOBAL` (`static/nat-static-transport-list*`):
 *   a static rule.
 * Inside-source translation happens where traffic leaves through an
 * `ip nat outside` interface: each rule gets the outside interface as its
 * egress (one rule per outside interface when there are several), and a
 * pool the interface when there is one only.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

#define XE_NAT_MAX_OUT 16

struct xe_nat {
    struct lyd_node *nat;
    char out[XE_NAT_MAX_OUT][NCM_TEXT / 4];   /* `ip nat outside` interfaces */
    size_t n_out;
};

static void
xe_outside(const struct xr_node *native, struct xe_nat *x)
{
    const struct xr_node *e;
    char nb[NCM_TEXT / 4];
    const char *num;

    for (e = xu_first(xu_child(native, "interface")); e; e = xu_next_elem(e)) {
        if (!xu_find(e, "ip/nat/outside") || x->n_out == XE_NAT_MAX_OUT)
            continue;
        if ((num = xu_str(e, "name", nb, sizeof nb)) && *num)
            cx_xe_ifname(e, num, x->out[x->n_out++], sizeof x->out[0]);
    }
}

static er_code
xe_pool(struct ncm *c, struct xe_nat *x, const struct xr_node *p)
{
    const struct xr_node *kn = xu_child(p, "id");
    struct lyd_node *pool = NULL;
    char nb[NCM_TEXT], sb[64], eb[64], cidr[32][20];
    const char *name = xu_text(kn, nb, sizeof nb), *s = xu_str(p, "start-address", sb, sizeof sb);
    const char *e = xu_str(p, "end-address", eb, sizeof eb);
    size_t i, n;
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, p, "nat pool without an id");
    if (!s || !e)
        return ncm_bad(c, p, "nat pool %s without start-address and end-address", name);
    if (!(n = cx_range_cidrs(s, e, cidr, 32)))
        return ncm_bad(c, p, "nat pool %s: %s..%s is not an IPv4 range of at most 32 blocks", name, s, e);
    ER_TRY(rc, ncm_list(c, x->nat, "pool", name, kn, &pool), done);
    for (i = 0; i < n; i++)
        ER_TRY(rc, ncm_leaflist(c, pool, "prefix", cidr[i], p), done);
    if (x->n_out == 1)
        ER_TRY(rc, ncm_leaf(c, pool, "interface", x->out[0], p), done);
done:
    return rc;
}

/*
 * One inside-source entry (@p what: "list ACL" or "route-map RM") to pool
 * @p pool or to the address of interface @p ifname (at element @p at).
 */
static er_code
xe_rule(struct ncm *c, struct xe_nat *x, const char *what, const char *pool, const char *ifname,
        const struct xr_node *at)
{
    struct lyd_node *r = NULL;
    char id[NCM_TEXT], hb[80];
    const char *host = NULL;
    size_t i, n = x->n_out ? x->n_out : 1;
    er_code rc = ER_OK;

    if (ifname && !(host = cx_if_host(c, ifname, hb, sizeof hb)))
        return ncm_bad(c, at, "inside source %s: interface %s has no address", what, ifname);
    for (i = 0; i < n; i++) {
        /* Translating to an interface's address: it leaves through that interface. */
        const char *eg = ifname ? ifname : x->n_out ? x->out[i] : NULL;

        if (ifname && i)
            break;
        snprintf(id, sizeof id, "inside-source-%s%s%s", what, x->n_out > 1 && !ifname ? "@" : "",
                x->n_out > 1 && !ifname ? eg : "");
        for (char *p = id; *p; p++)
            *p = *p == ' ' ? '-' : *p;
        r = NULL;
        ER_TRY(rc, ncm_list(c, x->nat, "rule", id, at, &r), done);
        ER_TRY(rc, ncm_leaf(c, r, "type", "source", at), done);
        if (pool)
            ER_TRY(rc, ncm_leaf(c, r, "pool", pool, at), done);
        if (host)
            ER_TRY(rc, ncm_leaf(c, r, "translated-prefix", host, at), done);
        if (eg)
            ER_TRY(rc, ncm_leaf(c, r, "egress-interface", eg, at), done);
    }
done:
    return rc;
}

/* The pool or interface targets of one list / route-map entry (new and older forms). */
static er_code
xe_targets(struct ncm *c, struct xe_nat *x, const char *what, const struct xr_node *e)
{
    const struct xr_node *t;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    XU_FOR(e, "pool", t) {
        if (!(name = xu_str(t, "name", nb, sizeof nb)) && !(name = xu_str(t, "pool-name", nb, sizeof nb)))
            name = xu_text(t, nb, sizeof nb);
        if (!name || !*name)
            return ncm_bad(c, t, "inside source %s: pool without a name", what);
        ER_TRY(rc, xe_rule(c, x, what, name, NULL, t), done);
    }
    XU_FOR(e, "interface", t) {
        if (!(name = xu_str(t, "name", nb, sizeof nb)) || !*name)
            return ncm_bad(c, t, "inside source %s: interface without a name", what);
        ER_TRY(rc, xe_rule(c, x, what, NULL, name, t), done);
    }
done:
    return rc;
}

static er_code
xe_source_list(struct ncm *c, struct xe_nat *x, const struct xr_node *l, const char *key, const char *kind)
{
    char ib[NCM_TEXT], what[NCM_TEXT + 16];
    const char *id = xu_str(l, key, ib, sizeof ib);

    if (!id || !*id)
        return ncm_bad(c, l, "inside source %s without %s", kind, key);
    snprintf(what, sizeof what, "%s-%.900s", kind, id);
    return xe_targets(c, x, what, l);
}

static er_code
xe_static(struct ncm *c, struct xe_nat *x, const struct xr_node *s)
{
    struct lyd_node *r = NULL;
    char lb[64], gb[64], id[160], pb[80];
    const char *l = xu_str(s, "local-ip", lb, sizeof lb), *g = xu_str(s, "global-ip", gb, sizeof gb);
    er_code rc = ER_OK;

    if (!l || !g || !ncm_is_addr(l) || !ncm_is_addr(g))
        return ncm_bad(c, s, "static NAT without a local-ip and a global-ip");
    if (xu_child(s, "network-config") || xu_child(s, "network"))
        return ncm_bad(c, s, "static network NAT %s %s is not modelled; the entry is skipped", l, g);
    snprintf(id, sizeof id, "static-%s-%s", l, g);
    ER_TRY(rc, ncm_list(c, x->nat, "rule", id, s, &r), done);
    ER_TRY(rc, ncm_leaf(c, r, "type", "static", s), done);
    snprintf(pb, sizeof pb, "%s/32", l);
    ER_TRY(rc, ncm_leaflist(c, r, "match-source", pb, s), done);
    snprintf(pb, sizeof pb, "%s/32", g);
    ER_TRY(rc, ncm_leaf(c, r, "translated-prefix", pb, s), done);
    if (x->n_out == 1)
        ER_TRY(rc, ncm_leaf(c, r, "egress-interface", x->out[0], s), done);
done:
    return rc;
}

er_code
xe_nat(struct ncm *c, const struct xr_node *native)
{
    static const char *const statics[] = {"nat-static-transport-list", "nat-static-transport-list-with-vrf", NULL};
    const struct xr_node *nat = xu_find(native, "ip/nat"), *src = xu_find(nat, "inside/source"), *e;
    struct xe_nat x = {0};
    size_t i;
    er_code rc = ER_OK;

    if (!nat || (!xu_child(nat, "pool") && !src))
        return ER_OK;
    xe_outside(native, &x);
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "nat", &x.nat), done);
    XU_FOR(nat, "pool", e)
        NCM_ELEM(rc, c, "nat/pool", xe_pool(c, &x, e), done);
    XU_FOR(xu_child(src, "list-pool"), "list", e)
        NCM_ELEM(rc, c, "nat/rule", xe_source_list(c, &x, e, "id", "list"), done);
    XU_FOR(xu_child(src, "list-interface"), "list", e)
        NCM_ELEM(rc, c, "nat/rule", xe_source_list(c, &x, e, "id", "list"), done);
    XU_FOR(src, "list", e)
        NCM_ELEM(rc, c, "nat/rule", xe_source_list(c, &x, e, "id", "list"), done);
    XU_FOR(src, "route-map", e)
        NCM_ELEM(rc, c, "nat/rule", xe_source_list(c, &x, e, "route-map-name", "route-map"), done);
    for (i = 0; statics[i]; i++)
        XU_FOR(xu_child(src, "static"), statics[i], e)
            NCM_ELEM(rc, c, "nat/rule", xe_static(c, &x, e), done);
done:
    return rc;
}
