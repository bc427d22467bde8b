/**
 * @file map_junos_policy.c
 * @brief Junos `policy-options` into prefix-set, community-set and
 * policy/term, so that rules/policy_eval.c judges Junos policies as the
 * device does.
 *
 * - prefix-list NAME { P; } gives prefix-set NAME with exact entries.
 * - community NAME members [ M... ] gives community-set NAME: one member
 *   matches "any"; several must all be on the route (Junos ANDs the members
 *   of one community), so "all".
 * - policy-statement NAME term T: `from prefix-list`, `route-filter` and
 *   `prefix-list-filter` are ORed by Junos; the route filters and prefix-list
 *   filters of a term become one prefix-set of their own named
 *   "NAME/T/route-filter" (exact, orlonger, longer, upto /N,
 *   prefix-length-range /A-/B), listed beside the prefix-lists. `from
 *   community` names community-sets (any of them). `then local-preference N`,
 *   `as-path-prepend "A A"` (the count of AS numbers), `community add|set
 *   NAME` (its members), and accept, reject or next term. A final `then`
 *   outside any term is the last term, named "then".
 * What has no exact meaning here is refused for that term only: a route
 * filter `through`, `then next policy`, `from protocol` without bgp (the
 * term would never match a BGP route, and export routes carry no protocol).
 */
#include "junos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static er_code
jn_prefix_lists(struct jn *j, const struct xr_node *po)
{
    struct ncm *c = j->c;
    const struct xr_node *pl, *it;
    struct lyd_node *set, *ent;
    char nb[NCM_TEXT], pb[NCM_TEXT];
    const char *name, *p;
    er_code rc = ER_OK;

    XU_FOR(po, "prefix-list", pl) {
        if (!(name = jn_name(pl, nb, sizeof nb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, pl, "prefix-list without a name")), done);
            continue;
        }
        set = NULL;
        if (!(rc = ncm_list(c, c->mc->dev, "prefix-set", name, xu_child(pl, "name"), &set))) {
            XU_FOR(pl, "prefix-list-item", it) {
                if (!(p = jn_name(it, pb, sizeof pb)))
                    rc = ncm_bad(c, it, "prefix-list-item without a prefix");
                else
                    rc = ncm_list2(c, set, "entry", p, "exact", xu_child(it, "name"), &ent);
                if (rc)
                    break;
            }
        }
        ER_TRY(rc, jn_soft(j, set, rc), done);
    }
done:
    return rc;
}

static er_code
jn_communities(struct jn *j, const struct xr_node *po)
{
    struct ncm *c = j->c;
    const struct xr_node *cm, *m;
    struct lyd_node *set;
    char nb[NCM_TEXT], mb[NCM_TEXT];
    const char *name, *v;
    unsigned n;
    er_code rc = ER_OK;

    XU_FOR(po, "community", cm) {
        if (!(name = jn_name(cm, nb, sizeof nb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, cm, "community without a name")), done);
            continue;
        }
        set = NULL;
        n = 0;
        if (!(rc = ncm_list(c, c->mc->dev, "community-set", name, xu_child(cm, "name"), &set))) {
            XU_FOR(cm, "members", m) {
                if (!(v = xu_text(m, mb, sizeof mb)) || !*v)
                    continue;
                if ((rc = ncm_leaflist(c, set, "member", v, m)))
                    break;
                n++;
            }
            if (!rc)
                rc = ncm_leaf(c, set, "match-set-options", n > 1 ? "all" : "any", cm);
        }
        ER_TRY(rc, jn_soft(j, set, rc), done);
    }
done:
    return rc;
}

/* ---- terms ----------------------------------------------------------- */

/* The mask-length range of a route filter (or prefix-list filter) match type. */
static const char *
jn_range(const char *prefix, const char *type, const char *value, char *buf, size_t size)
{
    const char *slash = strchr(prefix, '/');
    unsigned len = slash ? (unsigned)atoi(slash + 1) : 0, max = strchr(prefix, ':') ? 128 : 32, a, b;

    if (!slash || len > max)
        return NULL;
    if (!strcmp(type, "exact"))
        return "exact";
    if (!strcmp(type, "orlonger"))
        snprintf(buf, size, "%u..%u", len, max);
    else if (!strcmp(type, "longer") && len < max)
        snprintf(buf, size, "%u..%u", len + 1, max);
    else if (!strcmp(type, "upto") && value && sscanf(value, "/%u", &b) == 1 && b >= len && b <= max)
        snprintf(buf, size, "%u..%u", len, b);
    else if (!strcmp(type, "prefix-length-range") && value && sscanf(value, "/%u-/%u", &a, &b) == 2 && a <= b &&
            b <= max)
        snprintf(buf, size, "%u..%u", a, b);
    else
        return NULL;
    return buf;
}

/* The match type of a filter entry: YANG form (choice-ident, choice-value) or
 * xnm form (<orlonger/>, <upto>/24</upto>); its value goes to @p vb. */
static const char *
jn_match_type(const struct xr_node *f, const char **value, char *vb, size_t vsize)
{
    static const char *const types[] = {"exact", "orlonger", "longer", "upto", "prefix-length-range", "through",
        "address-mask"};
    const struct xr_node *x;
    char ib[32];
    const char *id;
    size_t i;

    *value = NULL;
    if ((x = xu_child(f, "choice-ident"))) {
        id = xu_text(x, ib, sizeof ib);
        *value = jn_str(f, "choice-value", vb, vsize);
        for (i = 0; id && i < sizeof types / sizeof *types; i++) {
            if (!strcmp(id, types[i]))
                return types[i];
        }
        return NULL;
    }
    for (i = 0; i < sizeof types / sizeof *types; i++) {
        if ((x = xu_child(f, types[i]))) {
            *value = xu_text(x, vb, vsize);
            if (*value && !**value)
                *value = NULL;
            return types[i];
        }
    }
    return NULL;
}

/* Add one prefix with a match type to the term's own prefix-set. */
static er_code
jn_rf_entry(struct jn *j, struct lyd_node **set, const char *setname, const char *prefix, const struct xr_node *f,
        const char *type, const char *value)
{
    struct ncm *c = j->c;
    struct lyd_node *ent;
    char rb[32];
    const char *range = type ? jn_range(prefix, type, value, rb, sizeof rb) : NULL;
    er_code rc = ER_OK;

    if (!range)
        return ncm_bad(c, f, "route filter %s %s%s%s: expected exact, orlonger, longer, upto /N or "
                "prefix-length-range /A-/B", prefix, type ? type : "(no match type)", value ? " " : "",
                value ? value : "");
    if (!*set)
        ER_TRY(rc, ncm_list(c, c->mc->dev, "prefix-set", setname, f, set), done);
    rc = ncm_list2(c, *set, "entry", prefix, range, f, &ent);
done:
    return rc;
}

static er_code
jn_term_from(struct jn *j, struct lyd_node *t, const char *pname, const char *tname, const struct xr_node *from)
{
    struct ncm *c = j->c;
    const struct xr_node *x, *pl, *it;
    struct lyd_node *set = NULL;
    char setname[2 * NCM_TEXT + 16], nb[NCM_TEXT], vb[128], pb[NCM_TEXT];
    const char *v, *type, *value;
    er_code rc = ER_OK;

    snprintf(setname, sizeof setname, "%s/%s/route-filter", pname, tname);
    XU_FOR(from, "prefix-list", x) {
        if ((v = jn_name(x, nb, sizeof nb)))
            ER_TRY(rc, ncm_leaflist(c, t, "match-prefix-set", v, x), done);
    }
    XU_FOR(from, "route-filter", x) {
        if (!(v = jn_str(x, "address", nb, sizeof nb)))
            return ncm_bad(c, x, "route-filter without an address");
        type = jn_match_type(x, &value, vb, sizeof vb);
        ER_TRY(rc, jn_rf_entry(j, &set, setname, v, x, type, value), done);
    }
    XU_FOR(from, "prefix-list-filter", x) {
        if (!(v = jn_str(x, "list_name", nb, sizeof nb)))
            return ncm_bad(c, x, "prefix-list-filter without a list_name");
        if (!(pl = jn_prefix_list(j, v)))
            return ncm_bad(c, x, "prefix-list '%s' is not defined", v);
        type = jn_match_type(x, &value, vb, sizeof vb);
        XU_FOR(pl, "prefix-list-item", it) {
            const char *p = jn_name(it, pb, sizeof pb);

            if (p)
                ER_TRY(rc, jn_rf_entry(j, &set, setname, p, x, type, value), done);
        }
    }
    if (set)
        ER_TRY(rc, ncm_leaflist(c, t, "match-prefix-set", setname, from), done);
    XU_FOR(from, "community", x) {
        if ((v = xu_text(x, nb, sizeof nb)) && *v)
            ER_TRY(rc, ncm_leaflist(c, t, "match-community-set", v, x), done);
    }
    if ((x = xu_child(from, "as-path")) && (v = xu_text(x, nb, sizeof nb)) && *v)
        ER_TRY(rc, ncm_leaf(c, t, "match-as-path", v, x), done);
done:
    return rc;
}

static er_code
jn_term_then(struct jn *j, struct lyd_node *t, const struct xr_node *then)
{
    struct ncm *c = j->c;
    const struct xr_node *x, *cm;
    struct lyd_node *set, *m;
    char vb[NCM_TEXT], ib[64], cb[16];
    const char *v, *op;
    unsigned n = 0;
    er_code rc = ER_OK;

    if ((x = xu_find(then, "local-preference/local-preference")))
        ER_TRY(rc, ncm_leaf(c, t, "set-local-preference", xu_text(x, vb, sizeof vb), x), done);
    if ((x = xu_child(then, "as-path-prepend")) && (v = xu_text(x, vb, sizeof vb))) {
        for (const char *p = v; *p; ) {
            p += strspn(p, " \t\"");
            if (*p)
                n++;
            p += strcspn(p, " \t\"");
        }
        snprintf(cb, sizeof cb, "%u", n);
        ER_TRY(rc, ncm_leaf(c, t, "set-prepend-count", cb, x), done);
    }
    XU_FOR(then, "community", cm) {
        op = xu_child(cm, "choice-ident") ? xu_text(xu_child(cm, "choice-ident"), ib, sizeof ib)
                : xu_child(cm, "add") ? "add" : xu_child(cm, "set") ? "set" : xu_child(cm, "delete") ? "delete" : NULL;
        if (!op || !(v = jn_str(cm, "community-name", vb, sizeof vb)))
            return ncm_bad(c, cm, "community action without add, set or delete and a community-name");
        if (!strcmp(op, "delete") || !strcmp(op, "minus-literal"))
            continue;   /* removing communities sets none */
        if (!(set = model_find(c->mc->dev, "community-set", v)))
            return ncm_bad(c, cm, "community '%s' is not defined", v);
        MODEL_FOR(set, "member", m)
            ER_TRY(rc, ncm_leaflist(c, t, "set-community", model_value(m), cm), done);
    }
    if (xu_child(then, "accept"))
        ER_TRY(rc, ncm_leaf(c, t, "action", "accept", xu_child(then, "accept")), done);
    else if (xu_child(then, "reject"))
        ER_TRY(rc, ncm_leaf(c, t, "action", "reject", xu_child(then, "reject")), done);
    else if ((x = xu_child(then, "next")) && (v = xu_text(x, vb, sizeof vb)) && !strcmp(v, "policy"))
        return ncm_bad(c, x, "then next policy is not read: the policy model goes on term by term");
done:
    return rc;
}

static er_code
map_junos_policy_term(struct jn *j, struct lyd_node *pol, const char *pname, const struct xr_node *t,
        const char *tname)
{
    struct lyd_node *term = NULL;
    er_code rc;

    rc = ncm_list(j->c, pol, "term", tname, xu_child(t, "name") ? xu_child(t, "name") : t, &term);
    if (!rc)
        rc = jn_term_from(j, term, pname, tname, xu_child(t, "from"));
    if (!rc)
        rc = jn_term_then(j, term, xu_child(t, "then"));
    return jn_soft(j, term, rc);
}

er_code
jn_policy_options(struct jn *j, const struct xr_node *po)
{
    struct ncm *c = j->c;
    const struct xr_node *ps, *t;
    struct lyd_node *pol;
    char nb[NCM_TEXT], tb[NCM_TEXT];
    const char *name, *tname;
    er_code rc;

    /* Sets first: terms refer to them. */
    ER_TRY(rc, jn_prefix_lists(j, po), done);
    ER_TRY(rc, jn_communities(j, po), done);
    XU_FOR(po, "policy-statement", ps) {
        if (!(name = jn_name(ps, nb, sizeof nb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, ps, "policy-statement without a name")), done);
            continue;
        }
        pol = NULL;
        rc = ncm_list(c, c->mc->dev, "policy", name, xu_child(ps, "name"), &pol);
        ER_TRY(rc, jn_soft(j, pol, rc), done);
        if (!pol)
            continue;
        XU_FOR(ps, "term", t) {
            if (!(tname = jn_name(t, tb, sizeof tb))) {
                ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, t, "term without a name")), done);
                continue;
            }
            ER_TRY(rc, map_junos_policy_term(j, pol, name, t, tname), done);
        }
        /* from/then directly under the policy-statement: its last, unnamed term. */
        if (xu_child(ps, "then") || xu_child(ps, "from"))
            ER_TRY(rc, map_junos_policy_term(j, pol, name, ps, "then"), done);
    }
done:
    return rc;
}
