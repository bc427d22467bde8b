/**
 * @file map_xr_if.c
 * @brief IOS-XR interfaces and ACLs: Cisco-IOS-XR-ifmgr-cfg
 * `interface-configurations` (active entries: description, shutdown; the
 * Cisco-IOS-XR-ipv4-io-cfg `ipv4-network` primary and secondary addresses;
 * the Cisco-IOS-XR-ip-pfilter-cfg `ipv4-packet-filter` inbound ACL), and
 * Cisco-IOS-XR-ipv4-acl-cfg `ipv4-acl-and-prefix-list` access lists into
 * filter/rule.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

static er_code
xr_if_acl(struct ncm *c, const char *ifname, const struct xr_node *pf)
{
    const struct xr_node *in = xu_child(pf, "inbound"), *an;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    if (!in)
        return ER_OK;
    if (!(an = xu_child(in, "name")) && !(an = xu_child(in, "acl-name-array")))
        an = xu_child(in, "common-acl-name");
    if (!(name = xu_text(an, nb, sizeof nb)) || !*name)
        return ncm_bad(c, in, "inbound packet filter without an ACL name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, an, &f), done);
    rc = ncm_leaflist(c, f, "ingress-interface", ifname, an);
done:
    return rc;
}

static er_code
xr_interface(struct ncm *c, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "interface-name"), *a = xu_find(e, "ipv4-network/addresses");
    struct lyd_node *ifc;
    char nb[NCM_TEXT], ab[16];
    const char *name = xu_text(kn, nb, sizeof nb), *act = xu_str(e, "active", ab, sizeof ab);
    er_code rc = ER_OK;

    /* Pre-configuration of absent hardware is not the running interface. */
    if (act && strcmp(act, "act"))
        return ER_OK;
    if (!name || !*name)
        return ncm_bad(c, e, "interface-configuration without an interface-name");
    ER_TRY(rc, cx_xr_interface(c, e, kn, name, a, "primary", &ifc), done);
    NCM_ELEM(rc, c, "filter/ingress-interface", xr_if_acl(c, name, xu_child(e, "ipv4-packet-filter")), done);
done:
    return rc;
}

er_code
map_xr_interfaces(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *e;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(top, "interface-configuration", e)
        NCM_ELEM(rc, c, "interface", xr_interface(c, e), done);
done:
    return rc;
}

/* ---- ACLs ------------------------------------------------------------ */

/* An address and wildcard bits as a prefix ("any" when absent). */
static er_code
xr_side(struct ncm *c, struct lyd_node *r, const char *leaf, const struct xr_node *net, const char *addr_el,
        const char *wild_el)
{
    char ab[64], wb[64], pb[80];
    const char *addr = xu_str(net, addr_el, ab, sizeof ab), *wild = xu_str(net, wild_el, wb, sizeof wb), *p;

    if (!addr)
        return ncm_leaf(c, r, leaf, "any", net);
    if (!(p = cx_wild_prefix(addr, wild ? wild : "0.0.0.0", pb, sizeof pb)))
        return ncm_bad(c, net, "%s %s %s is not an IPv4 address with a contiguous wildcard", leaf, addr,
                wild ? wild : "");
    return ncm_leaf(c, r, leaf, p, net);
}

static er_code
xr_ace(struct ncm *c, struct lyd_node *f, const char *acl, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "sequence-number"), *gn = xu_child(e, "grant");
    const struct xr_node *dp = xu_child(e, "destination-port");
    struct lyd_node *r = NULL;
    char sb[32], gb[16], tb[64], cb[64], ob[16], p2[16];
    const char *seq = xu_text(kn, sb, sizeof sb), *g = xu_text(gn, gb, sizeof gb), *v, *op;
    er_code rc = ER_OK;

    if (!seq || !*seq)
        return ncm_bad(c, e, "access-list %s entry without a sequence-number", acl);
    if (!gn)
        return ER_OK;                                 /* a remark */
    if (!g || (strcmp(g, "permit") && strcmp(g, "deny")))
        return ncm_bad(c, gn, "access-list %s %s: grant '%s' is not permit or deny", acl, seq, g ? g : "");
    op = xu_str(dp, "destination-operator", ob, sizeof ob);
    if (op && strcmp(op, "equal") && strcmp(op, "range"))
        return ncm_bad(c, dp, "access-list %s %s: destination port operator '%s' is not modelled; the entry is "
                "skipped", acl, seq, op);
    ER_TRY(rc, ncm_list(c, f, "rule", seq, kn, &r), done);
    ER_TRY(rc, ncm_leaf(c, r, "action", g, gn), done);
    ER_TRY(rc, xr_side(c, r, "source", xu_child(e, "source-network"), "source-address", "source-wild-card-bits"),
            done);
    ER_TRY(rc, xr_side(c, r, "destination", xu_child(e, "destination-network"), "destination-address",
            "destination-wild-card-bits"), done);
    v = xu_str(e, "protocol", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "protocol", cx_xr_protocol(v, cb, sizeof cb), e), done);
    v = xu_str(dp, "first-destination-port", tb, sizeof tb);
    if (op && !v) {
        rc = ncm_bad(c, dp, "access-list %s %s: destination port without first-destination-port", acl, seq);
        goto done;
    }
    ER_TRY(rc, cx_acl_ports(c, r, op ? v : NULL, op && !strcmp(op, "range") ?
            xu_str(dp, "second-destination-port", p2, sizeof p2) : NULL, dp ? dp : e), done);
done:
    return rc;
}

er_code
map_xr_acl(struct ncm *c, const struct xr_node *top)
{
    return c->cfg ? cx_xr_acls(c, xu_child(top, "accesses"), "access", "access-list-entries", "access-list-entry",
            xr_ace) : ER_OK;
}
