/**
 * @file map_ietf_nat.c
 * @brief IETF NAT (RFC 8512) into device/nat: external address pools per
 * policy, the policy's subscriber subnets as a source rule, and static
 * mapping-table entries as rules.
 */
#include "ncmap.h"

#include <stdio.h>
#include <string.h>

static er_code
nat_pool(struct ncm *c, struct lyd_node *nat, const struct xr_node *pl, const struct xr_node *ext, const char *ifname)
{
    const struct xr_node *kn = xu_child(pl, "pool-id");
    struct lyd_node *pool;
    char pb[32];
    const char *pid;
    er_code rc;

    if (!(pid = xu_text(kn, pb, sizeof pb)) || !*pid)
        return ncm_bad(c, pl, "external-ip-address-pool without a pool-id");
    ER_TRY(rc, ncm_list(c, nat, "pool", pid, kn, &pool), done);
    ER_TRY(rc, ncm_copy_all(c, pool, "prefix", pl, "external-ip-pool"), done);
    if (ifname && *ifname)
        rc = ncm_leaf(c, pool, "interface", ifname, ext);
done:
    return rc;
}

/* Subscribers that match the policy are translated to its (first) pool. */
static er_code
nat_subscribers(struct ncm *c, struct lyd_node *nat, const struct xr_node *pol, const char *first,
        const struct xr_node *ext, const char *ifname)
{
    const struct xr_node *sm;
    struct lyd_node *rule = NULL;
    char ib[NCM_TEXT], rid[64];
    const char *id = xu_text(xu_child(pol, "id"), ib, sizeof ib);
    er_code rc = ER_OK;

    XU_FOR(pol, "subscriber-match", sm) {
        if (!rule) {
            snprintf(rid, sizeof rid, "policy-%.40s", id ? id : "0");
            ER_TRY(rc, ncm_list(c, nat, "rule", rid, pol, &rule), done);
            ER_TRY(rc, ncm_leaf(c, rule, "type", "source", pol), done);
            if (*first)
                ER_TRY(rc, ncm_leaf(c, rule, "pool", first, pol), done);
            if (ifname && *ifname)
                ER_TRY(rc, ncm_leaf(c, rule, "egress-interface", ifname, ext), done);
        }
        ER_TRY(rc, ncm_copy_all(c, rule, "match-source", sm, "subnet"), done);
    }
done:
    return rc;
}

static er_code
nat_policy(struct ncm *c, struct lyd_node *nat, const struct xr_node *pol)
{
    const struct xr_node *pl, *ext = xu_find(pol, "external-realm/external-interface");
    char eb[NCM_TEXT], pb[32], first[32] = "";
    const char *ifname = xu_text(ext, eb, sizeof eb), *pid;
    er_code rc = ER_OK;

    XU_FOR(pol, "external-ip-address-pool", pl) {
        if (!*first && (pid = xu_text(xu_child(pl, "pool-id"), pb, sizeof pb)) && *pid)
            snprintf(first, sizeof first, "%s", pid);
        NCM_ELEM(rc, c, "nat/pool", nat_pool(c, nat, pl, ext, ifname), done);
    }
    NCM_ELEM(rc, c, "nat/rule", nat_subscribers(c, nat, pol, first, ext, ifname), done);
done:
    return rc;
}

static er_code
nat_mapping(struct ncm *c, struct lyd_node *nat, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "index");
    struct lyd_node *rule;
    char ib[32], tb[64];
    const char *idx = xu_text(kn, ib, sizeof ib), *type = xu_str(e, "type", tb, sizeof tb);
    er_code rc;

    if (!idx || !*idx)
        return ncm_bad(c, e, "mapping-entry without an index");
    ER_TRY(rc, ncm_list(c, nat, "rule", idx, kn, &rule), done);
    ER_TRY(rc, ncm_leaf(c, rule, "type", type && !strcmp(type, "static") ? "static" : "source", e), done);
    ER_TRY(rc, ncm_copy_all(c, rule, "match-source", e, "internal-src-address"), done);
    ER_TRY(rc, ncm_copy(c, rule, "translated-prefix", e, "external-src-address", NULL), done);
done:
    return rc;
}

er_code
map_ietf_nat(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *in, *p, *e;
    struct lyd_node *nat;
    er_code rc = ER_OK;

    /* Configuration only: dynamic mapping entries in state are sessions. */
    if (!c->cfg)
        return ER_OK;
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "nat", &nat), done);
    XU_FOR(xu_child(top, "instances"), "instance", in) {
        XU_FOR(in, "policy", p)
            ER_TRY(rc, nat_policy(c, nat, p), done);
        XU_FOR(xu_child(in, "mapping-table"), "mapping-entry", e)
            NCM_ELEM(rc, c, "nat/rule", nat_mapping(c, nat, e), done);
    }
done:
    return rc;
}
