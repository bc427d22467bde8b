/**
 * @file map_xr_um_acl.c
 * @brief IOS-XR 7.x unified model Cisco-IOS-XR-um-ipv4-access-list-cfg
 * (`ipv4/access-lists/access-list[access-list-name]/sequences/sequence[sequence-number]`)
 * into filter/rule, as map_xr_if.c reads the classic Cisco-IOS-XR-ipv4-acl-cfg.
 * An entry is `permit` or `deny` (a container holding `protocol` or `eq`,
 * `source` and `destination`) or a `remark`. Each side is `any`, `host`, or
 * `address` with `wildcard-mask` or `prefix-length`; destination ports are
 * `port/eq` or `port/range/start-value`..`end-value`. What the model cannot
 * state (protocol ranges, object groups, source ports, `gt`/`lt`/`neq`
 * destination ports, non-contiguous wildcards) skips that entry by name: one
 * entry is one element (part filter/rule). Interfaces bind these lists with
 * Cisco-IOS-XR-um-if-access-group-cfg (map_xr_um_if.c).
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

/* One side: `address` + `prefix-length` here, the rest as every Cisco ACL side. */
static er_code
um_side(struct ncm *c, struct lyd_node *r, const char *leaf, const struct xr_node *g)
{
    static const char *const el[5] = {"any", "host", "host", "address", "wildcard-mask"};
    const struct xr_node *s = xu_child(g, leaf);
    char ab[64], lb[8], pb[80];
    const char *a, *len;

    if (!s)
        return ncm_bad(c, g, "no %s", leaf);
    if (xu_child(s, "net-group"))
        return ncm_bad(c, xu_child(s, "net-group"), "%s net-group is not modelled", leaf);
    if ((a = xu_str(s, "address", ab, sizeof ab)) && (len = xu_str(s, "prefix-length", lb, sizeof lb))) {
        if (!ncm_is_addr(a) || strchr(a, ':'))
            return ncm_bad(c, xu_child(s, "address"), "%s '%s' is not an IPv4 address", leaf, a);
        snprintf(pb, sizeof pb, "%s/%s", a, len);
        return ncm_leaf(c, r, leaf, pb, xu_child(s, "address"));
    }
    return cx_acl_side(c, r, leaf, s, el);
}

/*
 * A port as a number: the module's port types are unions of a number and
 * names (Cisco-IOS-XR-um-access-list-datatypes); the names an ExpressRoute
 * edge's ACLs use are read, any other is the entry's error.
 */
static er_code
um_port(struct ncm *c, const struct xr_node *at, char *buf, size_t size, const char **out)
{
    static const char *const names[][2] = {{"WWW", "80"}, {"HTTPS", "443"}, {"DNS", "53"}, {"SSH", "22"},
        {"BGP", "179"}, {"NTP", "123"}, {"ISAKMP", "500"}, {"BFD", "3784"}, {"SNMP", "161"}, {"TACACS", "49"},
        {"RADIUS", "1812"}, {NULL, NULL}};
    const char *v = xu_text(at, buf, size);
    size_t i;

    if (!v || !*v)
        return ncm_bad(c, at, "port without a value");
    if (strspn(v, "0123456789") == strlen(v)) {
        *out = v;
        return ER_OK;
    }
    for (i = 0; names[i][0]; i++) {
        if (!strcmp(v, names[i][0])) {
            *out = names[i][1];
            return ER_OK;
        }
    }
    return ncm_bad(c, at, "port name '%s' is not known here", v);
}

/* Destination ports: any, eq, or a range; the source port must be absent. */
static er_code
um_ports(struct ncm *c, struct lyd_node *r, const char *acl, const char *seq, const struct xr_node *g)
{
    static const char *const cmp[] = {"gt", "lt", "neq", NULL};
    const struct xr_node *sp = xu_find(g, "source/port"), *p = xu_find(g, "destination/port"), *x;
    char lo[16], hi[16];
    const char *v;
    size_t i;
    er_code rc;

    if (sp || xu_find(g, "source/port-group") || xu_find(g, "destination/port-group"))
        return ncm_bad(c, sp ? sp : g, "access-list %s %s: source ports and port groups are not modelled; the "
                "entry is skipped", acl, seq);
    for (i = 0; cmp[i]; i++) {
        if ((x = xu_child(p, cmp[i])))
            return ncm_bad(c, x, "access-list %s %s: destination port operator '%s' is not modelled; the entry "
                    "is skipped", acl, seq, cmp[i]);
    }
    if ((x = xu_child(p, "eq")))
        return (rc = um_port(c, x, lo, sizeof lo, &v)) ? rc : cx_acl_ports(c, r, v, NULL, x);
    if ((x = xu_child(p, "range"))) {
        const struct xr_node *sv = xu_child(x, "start-value"), *ev = xu_child(x, "end-value");
        const char *e = NULL;

        if (!sv)
            return ncm_bad(c, x, "access-list %s %s: port range without a start-value", acl, seq);
        if ((rc = um_port(c, sv, lo, sizeof lo, &v)) || (ev && (rc = um_port(c, ev, hi, sizeof hi, &e))))
            return rc;
        return cx_acl_ports(c, r, v, e, x);
    }
    return cx_acl_ports(c, r, NULL, NULL, g);
}

static er_code
um_ace(struct ncm *c, struct lyd_node *f, const char *acl, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "sequence-number"), *g = xu_child(e, "permit");
    struct lyd_node *r = NULL;
    char sb[32], tb[64], cb[64];
    const char *seq = xu_text(kn, sb, sizeof sb), *grant = "permit", *v;
    er_code rc = ER_OK;

    if (!seq || !*seq)
        return ncm_bad(c, e, "access-list %s sequence without a sequence-number", acl);
    if (!g && (g = xu_child(e, "deny")))
        grant = "deny";
    if (!g)
        return ER_OK;                                 /* a remark */
    if (xu_child(g, "range"))
        return ncm_bad(c, xu_child(g, "range"), "access-list %s %s: a protocol range is not modelled", acl, seq);
    if (!(v = xu_str(g, "protocol", tb, sizeof tb)))
        v = xu_str(g, "eq", tb, sizeof tb);
    if (!v || !*v)
        return ncm_bad(c, g, "access-list %s %s: %s without a protocol", acl, seq, grant);
    ER_TRY(rc, ncm_list(c, f, "rule", seq, kn, &r), done);
    ER_TRY(rc, ncm_leaf(c, r, "action", grant, g), done);
    ER_TRY(rc, um_side(c, r, "source", g), done);
    ER_TRY(rc, um_side(c, r, "destination", g), done);
    ER_TRY(rc, ncm_leaf(c, r, "protocol", cx_xr_protocol(v, cb, sizeof cb), g), done);
    ER_TRY(rc, um_ports(c, r, acl, seq, g), done);
done:
    return rc;
}

er_code
map_xr_um_acl(struct ncm *c, const struct xr_node *top)
{
    return c->cfg ? cx_xr_acls(c, xu_child(top, "access-lists"), "access-list", "sequences", "sequence", um_ace)
            : ER_OK;
}
