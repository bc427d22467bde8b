/**
 * @file map_oc_policy.c
 * @brief OpenConfig routing policy (openconfig-routing-policy,
 * openconfig-bgp-policy) into prefix-set, community-set and policy/term;
 * OpenConfig ACLs (openconfig-acl) into filter/rule.
 */
#include "ncmap.h"

#include <stdio.h>
#include <string.h>

static er_code
oc_prefix(struct ncm *c, struct lyd_node *set, const struct xr_node *p)
{
    const struct xr_node *pn = ncm_key(p, "ip-prefix");
    struct lyd_node *ent;
    char pb[NCM_TEXT], rb[64];
    const char *prefix, *range;

    if (!(prefix = xu_text(pn, pb, sizeof pb)) || !*prefix)
        return ncm_bad(c, p, "prefix without an ip-prefix");
    if (!(range = xu_text(ncm_key(p, "masklength-range"), rb, sizeof rb)) || !*range)
        range = "exact";
    return ncm_list2(c, set, "entry", prefix, range, pn, &ent);
}

static er_code
oc_prefix_set(struct ncm *c, const struct xr_node *ps)
{
    const struct xr_node *kn = ncm_key(ps, "name"), *p;
    struct lyd_node *set;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, ps, "prefix-set without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "prefix-set", name, kn, &set), done);
    XU_FOR(xu_child(ps, "prefixes"), "prefix", p)
        NCM_ELEM(rc, c, "prefix-set/entry", oc_prefix(c, set, p), done);
done:
    return rc;
}

static er_code
oc_prefix_sets(struct ncm *c, const struct xr_node *sets)
{
    const struct xr_node *ps;
    er_code rc = ER_OK;

    XU_FOR(sets, "prefix-set", ps)
        NCM_ELEM(rc, c, "prefix-set", oc_prefix_set(c, ps), done);
done:
    return rc;
}

/*
 * A match-set-options value (ANY, ALL, INVERT) into leaf @p leaf of @p at;
 * ALL only where @p all_ok (community sets: prefix sets take ANY or INVERT).
 */
static er_code
oc_match_option(struct ncm *c, struct lyd_node *at, const char *leaf, const struct xr_node *x, int all_ok)
{
    char tb[64];
    const char *v = xu_text(x, tb, sizeof tb);

    if (!x || !v)
        return ER_OK;
    v = xu_ident(v);
    if (!strcmp(v, "ANY"))
        return ncm_leaf(c, at, leaf, "any", x);
    if (!strcmp(v, "INVERT"))
        return ncm_leaf(c, at, leaf, "invert", x);
    if (all_ok && !strcmp(v, "ALL"))
        return ncm_leaf(c, at, leaf, "all", x);
    return ncm_bad(c, x, "match-set-options '%s': expected ANY%s or INVERT", v, all_ok ? ", ALL" : "");
}

static er_code
oc_community_set(struct ncm *c, const struct xr_node *cs)
{
    const struct xr_node *kn = ncm_key(cs, "community-set-name");
    struct lyd_node *set;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, cs, "community-set without a community-set-name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "community-set", name, kn, &set), done);
    ER_TRY(rc, ncm_copy_all(c, set, "member", xu_child(cs, "config"), "community-member"), done);
    rc = oc_match_option(c, set, "match-set-options", xu_find(cs, "config/match-set-options"), 1);
done:
    return rc;
}

static er_code
oc_community_sets(struct ncm *c, const struct xr_node *sets)
{
    const struct xr_node *cs;
    er_code rc = ER_OK;

    XU_FOR(sets, "community-set", cs)
        NCM_ELEM(rc, c, "community-set", oc_community_set(c, cs), done);
done:
    return rc;
}

/* set-community: inline communities, or the members of a referenced set. */
static er_code
oc_set_community(struct ncm *c, struct lyd_node *t, const struct xr_node *sc)
{
    const struct xr_node *ref;
    struct lyd_node *set, *m;
    char rb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    if (!sc)
        return ER_OK;
    ER_TRY(rc, ncm_copy_all(c, t, "set-community", xu_find(sc, "inline/config"), "communities"), done);
    ref = xu_find(sc, "reference/config/community-set-ref");
    if ((name = xu_text(ref, rb, sizeof rb)) && *name) {
        set = model_find(c->mc->dev, "community-set", name);
        if (!set)
            return ncm_bad(c, ref, "community-set '%s' is not defined", name);
        MODEL_FOR(set, "member", m)
            ER_TRY(rc, ncm_leaflist(c, t, "set-community", model_value(m), ref), done);
    }
done:
    return rc;
}

static const char *
policy_result(const char *v, char *buf, size_t size)
{
    v = xu_ident(v);
    if (!strcmp(v, "ACCEPT_ROUTE"))
        return "accept";
    if (!strcmp(v, "REJECT_ROUTE"))
        return "reject";
    return "next";
}

static er_code
oc_statement(struct ncm *c, struct lyd_node *pol, const struct xr_node *s)
{
    const struct xr_node *kn = ncm_key(s, "name"), *cond = xu_child(s, "conditions"), *act = xu_child(s, "actions");
    const struct xr_node *bc = xu_child(cond, "bgp-conditions"), *ba = xu_child(act, "bgp-actions"), *pp;
    struct lyd_node *t;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc;

    if (!name || !*name)
        return ncm_bad(c, s, "statement without a name");
    ER_TRY(rc, ncm_list(c, pol, "term", name, kn, &t), done);
    ER_TRY(rc, ncm_copy_all(c, t, "match-prefix-set", xu_find(cond, "match-prefix-set/config"), "prefix-set"), done);
    ER_TRY(rc, oc_match_option(c, t, "match-prefix-set-options",
            xu_find(cond, "match-prefix-set/config/match-set-options"), 0), done);
    ER_TRY(rc, ncm_copy_all(c, t, "match-community-set", xu_find(bc, "match-community-set/config"),
            "community-set"), done);
    ER_TRY(rc, oc_match_option(c, t, "match-community-set-options",
            xu_find(bc, "match-community-set/config/match-set-options"), 1), done);
    ER_TRY(rc, ncm_copy(c, t, "match-as-path", bc, "match-as-path-set/config/as-path-set", NULL), done);
    ER_TRY(rc, ncm_copy(c, t, "action", act, "config/policy-result", policy_result), done);
    ER_TRY(rc, ncm_copy(c, t, "set-local-preference", ba, "config/set-local-pref", NULL), done);
    if ((pp = xu_child(ba, "set-as-path-prepend"))) {
        /* Prepending without a count prepends once. */
        if (xu_find(pp, "config/repeat-n"))
            ER_TRY(rc, ncm_copy(c, t, "set-prepend-count", pp, "config/repeat-n", NULL), done);
        else
            ER_TRY(rc, ncm_leaf(c, t, "set-prepend-count", "1", pp), done);
    }
    ER_TRY(rc, oc_set_community(c, t, xu_child(ba, "set-community")), done);
done:
    return rc;
}

static er_code
oc_policy(struct ncm *c, const struct xr_node *pd)
{
    const struct xr_node *kn = ncm_key(pd, "name"), *s;
    struct lyd_node *pol;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, pd, "policy-definition without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "policy", name, kn, &pol), done);
    XU_FOR(xu_child(pd, "statements"), "statement", s)
        NCM_ELEM(rc, c, "policy/term", oc_statement(c, pol, s), done);
done:
    return rc;
}

er_code
map_oc_routing_policy(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *ds = xu_child(top, "defined-sets"), *pd;
    const struct xr_node *bds = xu_child(ds, "bgp-defined-sets");
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    /* Sets first: statements refer to them. */
    ER_TRY(rc, oc_prefix_sets(c, xu_child(ds, "prefix-sets")), done);
    if (!bds)   /* older releases put bgp-defined-sets beside defined-sets */
        bds = xu_child(top, "bgp-defined-sets");
    ER_TRY(rc, oc_community_sets(c, xu_child(bds, "community-sets")), done);
    XU_FOR(xu_child(top, "policy-definitions"), "policy-definition", pd)
        NCM_ELEM(rc, c, "policy", oc_policy(c, pd), done);
done:
    return rc;
}

/* ---- ACLs ------------------------------------------------------------ */

static const char *
oc_action(const char *v, char *buf, size_t size)
{
    v = xu_ident(v);
    return !strcmp(v, "ACCEPT") ? "permit" : (!strcmp(v, "DROP") || !strcmp(v, "REJECT")) ? "deny" : NULL;
}

/* A destination port: 443, "8000..8100" as "8000-8100", ANY as "any". */
static const char *
oc_port(const char *v, char *buf, size_t size)
{
    const char *dots = strstr(v, "..");

    if (!strcmp(xu_ident(v), "ANY"))
        return "any";
    if (dots)
        snprintf(buf, size, "%.*s-%s", (int)(dots - v), v, dots + 2);
    else
        snprintf(buf, size, "%s", v);
    return buf;
}

static er_code
oc_acl_entry(struct ncm *c, struct lyd_node *f, const struct xr_node *e)
{
    const struct xr_node *kn = ncm_key(e, "sequence-id"), *ip, *an;
    struct lyd_node *r;
    char sb[32], tb[NCM_TEXT], cb[64];
    const char *seq = xu_text(kn, sb, sizeof sb), *v, *raw;
    er_code rc;

    if (!seq || !*seq)
        return ncm_bad(c, e, "acl-entry without a sequence-id");
    ER_TRY(rc, ncm_list(c, f, "rule", seq, kn, &r), done);
    if (!(ip = xu_find(e, "ipv4/config")))
        ip = xu_find(e, "ipv6/config");
    v = xu_str(ip, "source-address", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "source", v && *v ? v : "any", ip ? ip : e), done);
    v = xu_str(ip, "destination-address", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "destination", v && *v ? v : "any", ip ? ip : e), done);
    v = xu_str(ip, "protocol", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "protocol", v && *v ? ncm_protocol(v, cb, sizeof cb) : "ip", ip ? ip : e), done);
    v = xu_str(e, "transport/config/destination-port", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "ports", v && *v ? oc_port(v, cb, sizeof cb) : "any", e), done);
    an = xu_find(e, "actions/config/forwarding-action");
    if (!(raw = xu_text(an, tb, sizeof tb)) || !*raw)
        return ncm_bad(c, an ? an : e, "acl-entry %s without a forwarding-action (ACCEPT, DROP or REJECT)", seq);
    if (!(v = oc_action(raw, cb, sizeof cb)))
        return ncm_bad(c, an, "forwarding-action '%.100s': expected ACCEPT, DROP or REJECT", raw);
    ER_TRY(rc, ncm_leaf(c, r, "action", v, an), done);
done:
    return rc;
}

static er_code
oc_acl_set(struct ncm *c, const struct xr_node *s)
{
    const struct xr_node *kn = ncm_key(s, "name"), *e;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, s, "acl-set without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
    XU_FOR(xu_child(s, "acl-entries"), "acl-entry", e)
        NCM_ELEM(rc, c, "filter/rule", oc_acl_entry(c, f, e), done);
done:
    return rc;
}

static er_code
oc_acl_binding(struct ncm *c, const struct xr_node *i)
{
    const struct xr_node *a;
    struct lyd_node *f;
    char nb[NCM_TEXT], ib[NCM_TEXT];
    const char *name, *ifname;
    er_code rc = ER_OK;

    if (!(ifname = xu_str(i, "interface-ref/config/interface", ib, sizeof ib)) || !*ifname)
        ifname = xu_text(ncm_key(i, "id"), ib, sizeof ib);
    if (!ifname || !*ifname)
        return ncm_bad(c, i, "ACL interface without an id");
    XU_FOR(xu_child(i, "ingress-acl-sets"), "ingress-acl-set", a) {
        const struct xr_node *kn = ncm_key(a, "set-name");

        if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
            return ncm_bad(c, a, "ingress-acl-set without a set-name");
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
        ER_TRY(rc, ncm_leaflist(c, f, "ingress-interface", ifname, a), done);
    }
done:
    return rc;
}

er_code
map_oc_acl(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *s, *i;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(xu_child(top, "acl-sets"), "acl-set", s)
        NCM_ELEM(rc, c, "filter", oc_acl_set(c, s), done);
    /* A binding that cannot be read leaves its filters unbound: the filter part is incomplete. */
    XU_FOR(xu_child(top, "interfaces"), "interface", i)
        NCM_ELEM(rc, c, "filter/ingress-interface", oc_acl_binding(c, i), done);
done:
    return rc;
}
