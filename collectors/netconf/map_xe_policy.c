/**
 * @file map_xe_policy.c
 * @brief IOS-XE routing policy into the policy model: `ip prefix-list`
 * (Cisco-IOS-XE-ip, part of Cisco-IOS-XE-native: `ip/prefix-lists/prefixes[name no]`
 * since 17.4, the deprecated `ip/prefix-list/prefixes[name]/seq[no]` before)
 * into prefix-set, `ip community-list standard` (Cisco-IOS-XE-bgp
 * `ip/ip-community-list/community-list/standard[name]/action[action]/bgp-community`)
 * into community-set, `route-map` (Cisco-IOS-XE-route-map
 * `route-map-without-order-seq[seq_no]` and `route-map-seq[ordering-seq]`,
 * their BGP match and set clauses in Cisco-IOS-XE-bgp's `bgp-route-map-match`
 * and `bgp-route-map-set`, or the deprecated ones in the route-map module)
 * into policy/term.
 *
 * Only what the policy model states exactly is mapped. A prefix-list whose
 * deny entry comes before a permit, a community-list with a deny line, a
 * route-map clause the model has no place for (match as-path, set weight,
 * continue...) are not guessed: the element is skipped by name
 * (collection/skipped, file:line:path) and the list or route-map left
 * undefined, so a rule that needs it says N/E.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- prefix-lists ---------------------------------------------------- */

/* The mask-length range of a prefix-list entry: exact, "ge..max", "len..le", "ge..le". */
static er_code
xe_pl_range(struct ncm *c, const struct xr_node *seq, const char *prefix, char *out, size_t size)
{
    char gb[16], lb[16];
    const char *ge = xu_str(seq, "ge", gb, sizeof gb), *le = xu_str(seq, "le", lb, sizeof lb);
    const char *slash = strchr(prefix, '/');
    int max = strchr(prefix, ':') ? 128 : 32, len = slash ? atoi(slash + 1) : -1;

    if (len < 0 || len > max)
        return ncm_bad(c, seq, "prefix '%s' without a valid length", prefix);
    if (!ge && !le)
        snprintf(out, size, "exact");
    else
        snprintf(out, size, "%d..%d", ge ? atoi(ge) : len, le ? atoi(le) : max);
    return ER_OK;
}

/*
 * One prefix-list: the `seq` entries of a deprecated `prefix-list/prefixes[name]`
 * (@p flat 0), or the `prefix-lists/prefixes[name no]` entries of that name
 * from @p first on (@p flat 1; Cisco-IOS-XE-ip keys them by name and seq).
 */
struct xe_pl {
    const struct xr_node *first;
    const char *name;
    int flat;
};

static const struct xr_node *
xe_pl_next(const struct xe_pl *pl, const struct xr_node *e)
{
    char nb[NCM_TEXT];
    const char *n;

    if (!pl->flat) {
        for (e = e ? xu_next_elem(e) : xu_first(pl->first); e && !xu_is(e, "seq"); e = xu_next_elem(e))
            ;
        return e;
    }
    for (e = e ? xu_next_elem(e) : pl->first; e; e = xu_next_elem(e)) {
        if (xu_is(e, "prefixes") && (n = xu_str(e, "name", nb, sizeof nb)) && !strcmp(n, pl->name))
            return e;
    }
    return NULL;
}

static er_code
xe_prefix_list(struct ncm *c, const struct xr_node *pl_node, int flat)
{
    const struct xr_node *kn = xu_child(pl_node, "name"), *seq, *deny = NULL;
    struct lyd_node *set = NULL, *ent;
    char nb[NCM_TEXT], pb[NCM_TEXT], ab[16], range[32];
    const char *name = xu_text(kn, nb, sizeof nb), *p, *a;
    struct xe_pl pl = {pl_node, name, flat};
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, pl_node, "prefix-list without a name");
    /* First match decides: a deny before a permit is more than a set. */
    for (seq = xe_pl_next(&pl, NULL); seq; seq = xe_pl_next(&pl, seq)) {
        a = xu_str(seq, "action", ab, sizeof ab);
        if (!a || (strcmp(a, "permit") && strcmp(a, "deny")))
            return ncm_bad(c, seq, "prefix-list %s entry without action permit or deny", name);
        if (!strcmp(a, "deny"))
            deny = seq;
        else if (deny)
            return ncm_bad(c, deny, "prefix-list %s: a deny entry before a permit is not modelled; "
                    "the prefix-list is left undefined", name);
    }
    ER_TRY(rc, ncm_list(c, c->mc->dev, "prefix-set", name, kn, &set), done);
    for (seq = xe_pl_next(&pl, NULL); seq; seq = xe_pl_next(&pl, seq)) {
        if (strcmp(xu_str(seq, "action", ab, sizeof ab), "permit"))
            continue;
        if (!(p = xu_str(seq, "ip", pb, sizeof pb)) || !*p)
            return ncm_bad(c, seq, "prefix-list %s entry without an ip prefix", name);
        ER_TRY(rc, xe_pl_range(c, seq, p, range, sizeof range), done);
        ER_TRY(rc, ncm_list2(c, set, "entry", p, range, xu_child(seq, "ip"), &ent), done);
    }
done:
    return rc;
}

/* Whether flat entry @p e is the first of its prefix-list (the list is read once, there). */
static int
xe_pl_first(const struct xr_node *lists, const struct xr_node *e)
{
    char nb[NCM_TEXT], ob[NCM_TEXT];
    const char *n = xu_str(e, "name", nb, sizeof nb), *o;
    const struct xr_node *x;

    XU_FOR(lists, "prefixes", x) {
        if (x == e)
            return 1;
        if (n && (o = xu_str(x, "name", ob, sizeof ob)) && !strcmp(n, o))
            return 0;
    }
    return 1;
}

/* ---- community-lists ------------------------------------------------- */

static er_code
xe_community_list(struct ncm *c, const struct xr_node *cl)
{
    const struct xr_node *kn = xu_child(cl, "name"), *act, *bc;
    struct lyd_node *set = NULL;
    char nb[NCM_TEXT], ab[16], vb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb), *a, *v;
    size_t lines = 0, and_lines = 0;
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, cl, "community-list without a name");
    XU_FOR(cl, "action", act) {
        if (!(a = xu_str(act, "action", ab, sizeof ab)) || strcmp(a, "permit"))
            return ncm_bad(c, act, "community-list %s: a %s line is not modelled; the list is left undefined", name,
                    a ? a : "(no action)");
        XU_FOR(act, "bgp-community", bc) {
            v = xu_str(bc, "bgp-community", vb, sizeof vb);
            lines++;
            and_lines += v && strchr(v, ' ');
        }
    }
    /* One line with several communities needs all of them; several lines any one. */
    if (and_lines && lines > 1)
        return ncm_bad(c, cl, "community-list %s: lines with several communities beside other lines are not "
                "modelled; the list is left undefined", name);
    ER_TRY(rc, ncm_list(c, c->mc->dev, "community-set", name, kn, &set), done);
    XU_FOR(cl, "action", act) {
        XU_FOR(act, "bgp-community", bc) {
            char *tok, *save = NULL;

            if (!(v = xu_str(bc, "bgp-community", vb, sizeof vb)) || !*v)
                return ncm_bad(c, bc, "community-list %s line without a community", name);
            snprintf(vb, sizeof vb, "%s", v);
            for (tok = strtok_r(vb, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
                ER_TRY(rc, ncm_leaflist(c, set, "member", tok, bc), done);
        }
    }
    ER_TRY(rc, ncm_leaf(c, set, "match-set-options", and_lines ? "all" : "any", cl), done);
done:
    return rc;
}

/* ---- route-maps ------------------------------------------------------ */

/* The BGP part of a match or set clause: in its augment container, or (older releases) directly. */
static const struct xr_node *
xe_bgp_part(const struct xr_node *clause, const char *aug, const char *path)
{
    const struct xr_node *n = xu_find(xu_child(clause, aug), path);

    return n ? n : xu_find(clause, path);
}

static int
is_one_of(const struct xr_node *n, const char *const *names)
{
    for (; *names; names++) {
        if (xu_is(n, *names))
            return 1;
    }
    return 0;
}

/* Whether every clause of a sequence is one the model states; else names the first other. */
static er_code
xe_rm_check(struct ncm *c, const char *rm, const struct xr_node *seq)
{
    static const char *const match_ok[] = {"ip", "bgp-route-map-match", "community", NULL};
    static const char *const set_ok[] = {"bgp-route-map-set", "local-preference", "as-path", "community", "metric",
        "origin", "ip", NULL};
    static const char *const bgp_match_ok[] = {"bgp-community", NULL};
    static const char *const bgp_set_ok[] = {"local-preference", "as-path", "bgp-community", "origin", NULL};
    const struct xr_node *m = xu_child(seq, "match"), *s = xu_child(seq, "set"), *e, *bad = NULL;
    const struct xr_node *ipm = xu_child(m, "ip");

    for (e = xu_first(seq); e && !bad; e = xu_next_elem(e)) {
        if (!xu_is(e, "seq_no") && !xu_is(e, "operation") && !xu_is(e, "match") && !xu_is(e, "set")
                && !xu_is(e, "description") && !xu_is(e, "descriptions") && !xu_is(e, "ordering-seq")
                && !xu_is(e, "sequence"))
            bad = e;
    }
    for (e = xu_first(m); e && !bad; e = xu_next_elem(e))
        if (!is_one_of(e, match_ok))
            bad = e;
    for (e = xu_first(ipm); e && !bad; e = xu_next_elem(e))
        if (!xu_is(e, "address") || (xu_first(e) && (!xu_is(xu_first(e), "prefix-list")
                || xu_next_elem(xu_first(e)))))
            bad = e;
    for (e = xu_first(xu_child(m, "bgp-route-map-match")); e && !bad; e = xu_next_elem(e))
        if (!is_one_of(e, bgp_match_ok))
            bad = e;
    for (e = xu_first(s); e && !bad; e = xu_next_elem(e))
        if (!is_one_of(e, set_ok) || (xu_is(e, "ip") && (!xu_first(e) || !xu_is(xu_first(e), "next-hop"))))
            bad = e;
    for (e = xu_first(xu_child(s, "bgp-route-map-set")); e && !bad; e = xu_next_elem(e))
        if (!is_one_of(e, bgp_set_ok) || (xu_is(e, "as-path") && (!xu_first(e) || !xu_is(xu_first(e), "prepend"))))
            bad = e;
    if (bad)
        return ncm_bad(c, bad, "route-map %s: clause '%.*s' is not modelled; the route-map is left undefined "
                "(rules that need it say N/E)", rm, (int)bad->name_len, bad->name);
    return ER_OK;
}

/* `set as-path prepend 65010 65010` as a count. */
static er_code
xe_prepend(struct ncm *c, struct lyd_node *t, const struct xr_node *pp)
{
    const struct xr_node *asn = xu_find(pp, "as-container/as-number");
    char vb[NCM_TEXT], nb[8];
    const char *v = xu_text(asn, vb, sizeof vb);
    unsigned n = 0;
    char *tok, *save = NULL;

    if (!asn && xu_find(pp, "last-as-cont/last-as"))
        return ncm_copy(c, t, "set-prepend-count", pp, "last-as-cont/last-as", NULL);
    if (!v || !*v)
        return ncm_bad(c, pp, "as-path prepend without AS numbers");
    snprintf(vb, sizeof vb, "%s", v);
    for (tok = strtok_r(vb, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        n++;
    if (n > 255)
        return ncm_bad(c, asn, "as-path prepend of %u AS numbers", n);
    snprintf(nb, sizeof nb, "%u", n);
    return ncm_leaf(c, t, "set-prepend-count", nb, asn);
}

static er_code
xe_rm_seq(struct ncm *c, const char *rm, struct lyd_node *pol, const struct xr_node *seq)
{
    /* route-map-without-order-seq[seq_no]; route-map-seq[ordering-seq] carries its number in `sequence` */
    const struct xr_node *kn = xu_is(seq, "route-map-seq") ? xu_child(seq, "sequence") : xu_child(seq, "seq_no");
    const struct xr_node *m = xu_child(seq, "match"), *s = xu_child(seq, "set"), *n;
    struct lyd_node *t;
    char sb[32], ob[16];
    const char *no = xu_text(kn, sb, sizeof sb), *op = xu_str(seq, "operation", ob, sizeof ob);
    er_code rc = ER_OK;

    if (!no || !*no)
        return ncm_bad(c, seq, "route-map %s entry without a sequence number", rm);
    if (!op || (strcmp(op, "permit") && strcmp(op, "deny")))
        return ncm_bad(c, seq, "route-map %s %s without operation permit or deny", rm, no);
    ER_TRY(rc, ncm_list(c, pol, "term", no, kn, &t), done);
    ER_TRY(rc, ncm_copy_all(c, t, "match-prefix-set", xu_find(m, "ip/address"), "prefix-list"), done);
    if ((n = xe_bgp_part(m, "bgp-route-map-match", "bgp-community")))
        ER_TRY(rc, ncm_copy_all(c, t, "match-community-set", n, "community-list"), done);
    else if ((n = xu_child(m, "community"))) {
        /* deprecated Cisco-IOS-XE-route-map form: community-list, or the older name */
        ER_TRY(rc, ncm_copy_all(c, t, "match-community-set", n, "community-list"), done);
        ER_TRY(rc, ncm_copy_all(c, t, "match-community-set", n, "name"), done);
    }
    if ((n = xe_bgp_part(s, "bgp-route-map-set", "local-preference")))
        ER_TRY(rc, ncm_copy(c, t, "set-local-preference", n->parent, "local-preference", NULL), done);
    if ((n = xe_bgp_part(s, "bgp-route-map-set", "as-path/prepend")))
        ER_TRY(rc, xe_prepend(c, t, n), done);
    if ((n = xe_bgp_part(s, "bgp-route-map-set", "bgp-community/community-well-known")))
        ER_TRY(rc, ncm_copy_all(c, t, "set-community", n, "community-list"), done);
    else if ((n = xe_bgp_part(s, "bgp-route-map-set", "community/community-well-known")))
        ER_TRY(rc, ncm_copy_all(c, t, "set-community", n, "community-list"), done);
    ER_TRY(rc, ncm_leaf(c, t, "action", !strcmp(op, "permit") ? "accept" : "reject", xu_child(seq, "operation")),
            done);
done:
    return rc;
}

static er_code
xe_route_map(struct ncm *c, const struct xr_node *r)
{
    const struct xr_node *kn = xu_child(r, "name"), *seq;
    struct lyd_node *pol = NULL;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, r, "route-map without a name");
    for (seq = xu_first(r); seq; seq = xu_next_elem(seq)) {
        if (xu_is(seq, "route-map-without-order-seq") || xu_is(seq, "route-map-seq"))
            ER_TRY(rc, xe_rm_check(c, name, seq), done);
    }
    ER_TRY(rc, ncm_list(c, c->mc->dev, "policy", name, kn, &pol), done);
    for (seq = xu_first(r); seq; seq = xu_next_elem(seq)) {
        if (xu_is(seq, "route-map-without-order-seq") || xu_is(seq, "route-map-seq"))
            ER_TRY(rc, xe_rm_seq(c, name, pol, seq), done);
    }
    /* A route no sequence permits is denied. */
    ER_TRY(rc, ncm_leaf(c, pol, "default-action", "reject", r), done);
done:
    return rc;
}

er_code
xe_policies(struct ncm *c, const struct xr_node *native)
{
    const struct xr_node *ip = xu_child(native, "ip"), *pl, *x;
    er_code rc = ER_OK;

    /* Sets first: route-maps name them. */
    XU_FOR(xu_child(ip, "prefix-lists"), "prefixes", pl) {
        if (xe_pl_first(xu_child(ip, "prefix-lists"), pl))
            NCM_ELEM(rc, c, "prefix-set", xe_prefix_list(c, pl, 1), done);
    }
    XU_FOR(xu_child(ip, "prefix-list"), "prefixes", pl)
        NCM_ELEM(rc, c, "prefix-set", xe_prefix_list(c, pl, 0), done);
    XU_FOR(xu_find(ip, "ip-community-list/community-list"), "standard", x)
        NCM_ELEM(rc, c, "community-set", xe_community_list(c, x), done);
    XU_FOR(xu_find(ip, "ip-community-list/community-list"), "expanded", x)
        NCM_ELEM(rc, c, "community-set",
                ncm_bad(c, x, "expanded community-list is not modelled; it is left undefined"), done);
    XU_FOR(native, "route-map", x)
        NCM_ELEM(rc, c, "policy", xe_route_map(c, x), done);
done:
    return rc;
}
