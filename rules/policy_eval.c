/**
 * @file policy_eval.c
 * @brief Route-policy evaluation over the normalized policy terms.
 */
#include "policy_eval.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PE_DEFAULT_LP 100

/* Regular expressions are what policy languages write with these characters. */
static int
pe_is_regex(const char *s)
{
    return strpbrk(s, "^$.*+?[]()|\\_") != NULL;
}

/* Vendor AS-path and community regexes use '_' for "a delimiter or an end". */
static int
pe_regex_match(const char *pattern, const char *subject)
{
    char re[512];
    size_t o = 0;
    regex_t rx;
    int ok;

    for (; *pattern && o + 16 < sizeof re; pattern++) {
        if (*pattern == '_') {
            memcpy(re + o, "(^|[ ,{}]|$)", 12);
            o += 12;
        } else {
            re[o++] = *pattern;
        }
    }
    re[o] = '\0';
    if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
        return 0;
    ok = !regexec(&rx, subject, 0, NULL, 0);
    regfree(&rx);
    return ok;
}

int
pe_comm_match(const char *member, const char *c)
{
    if (!member || !c)
        return 0;
    if (!strcmp(member, c))
        return 1;
    return pe_is_regex(member) && pe_regex_match(member, c);
}

int
pe_term_uses_communities(const struct lyd_node *term)
{
    return model_child(term, "match-community-set") != NULL;
}

/* A prefix-set entry's range: "exact" or "LOW..HIGH". */
static int
pe_entry_match(const struct lyd_node *ent, const struct pfx *p)
{
    struct pfx e;
    const char *range = model_str(ent, "range");
    unsigned lo, hi;

    if (pfx_parse(model_str(ent, "prefix") ? model_str(ent, "prefix") : "", &e, 0) || !pfx_contains(&e, p))
        return 0;
    if (!range || !strcmp(range, "exact"))
        return e.len == p->len;
    if (sscanf(range, "%u..%u", &lo, &hi) == 2)
        return p->len >= lo && p->len <= hi;
    return 0;
}

enum pe_tri { PE_NO, PE_YES, PE_UNKNOWN };

/* The match option of a condition: the term's, else the set's own, else any. */
static const char *
pe_option(const struct lyd_node *term, const char *term_leaf, const struct lyd_node *set)
{
    const char *o = model_str(term, term_leaf);

    if (!o && set)
        o = model_str(set, "match-set-options");
    return o ? o : "any";
}

static enum pe_tri
pe_match_prefix(const struct lyd_node *dev, const struct lyd_node *term, const struct pe_route *r,
        struct pe_result *out)
{
    struct lyd_node *ref, *set, *ent;
    int any = 0, hit = 0, known = 0;
    int invert = !strcmp(pe_option(term, "match-prefix-set-options", NULL), "invert");

    MODEL_FOR(term, "match-prefix-set", ref) {
        any = 1;
        if (!(set = model_find(dev, "prefix-set", model_value(ref)))) {
            out->uncertain = 1;
            out->why_uncertain = "a prefix-set the policy names is not defined";
            continue;
        }
        if (!r->prefix_known) {
            out->uncertain = 1;
            out->why_uncertain = "the route's prefix is not known, so prefix-set conditions were assumed to match";
            return PE_UNKNOWN;
        }
        known = 1;
        MODEL_FOR(set, "entry", ent) {
            if (pe_entry_match(ent, &r->prefix))
                hit = 1;
        }
    }
    if (!any)
        return PE_YES;
    /* Only undefined sets: nothing to match (INVERT included: the route's fate is uncertain, marked above). */
    if (!known)
        return PE_NO;
    return hit != invert ? PE_YES : PE_NO;
}

/* 1 when one of the route's communities matches set member @p member. */
static int
pe_route_has(const struct pe_route *r, const char *member)
{
    size_t i;

    for (i = 0; i < r->n_comm; i++) {
        if (pe_comm_match(member, r->comm[i]))
            return 1;
    }
    return 0;
}

/*
 * One community set against the route with its option: any (a route
 * community is in the set), all (every member of the set is on the route;
 * a regular expression by at least one community) or invert (none is).
 */
static int
pe_comm_set_match(const struct lyd_node *set, const char *opt, const struct pe_route *r)
{
    struct lyd_node *m;
    int hit = 0, members = 0;

    MODEL_FOR(set, "member", m) {
        int has = pe_route_has(r, model_value(m));

        members++;
        if (!strcmp(opt, "all")) {
            if (!has)
                return 0;
        } else if (has) {
            hit = 1;
            break;
        }
    }
    if (!strcmp(opt, "all"))
        return members > 0;
    return !strcmp(opt, "invert") ? !hit : hit;
}

static enum pe_tri
pe_match_comm(const struct lyd_node *dev, const struct lyd_node *term, const struct pe_route *r,
        struct pe_result *out)
{
    struct lyd_node *ref, *set;
    int any = 0;

    MODEL_FOR(term, "match-community-set", ref) {
        any = 1;
        if (!(set = model_find(dev, "community-set", model_value(ref)))) {
            out->uncertain = 1;
            out->why_uncertain = "a community-set the policy names is not defined";
            continue;
        }
        if (!r->comm_known) {
            out->uncertain = 1;
            out->why_uncertain = "the route's communities are not known, so community conditions were assumed to match";
            return PE_UNKNOWN;
        }
        if (pe_comm_set_match(set, pe_option(term, "match-community-set-options", set), r))
            return PE_YES;
    }
    return any ? PE_NO : PE_YES;
}

/* 1 when the AS path holds AS @p as as a whole number. */
static int
pe_path_has(const char *path, const char *as)
{
    size_t l = strlen(as);
    const char *s = path;

    while ((s = strstr(s, as))) {
        int start = s == path || !isdigit((unsigned char)s[-1]);
        int end = !isdigit((unsigned char)s[l]);

        if (start && end)
            return 1;
        s += l;
    }
    return 0;
}

static enum pe_tri
pe_match_aspath(const struct lyd_node *term, const struct pe_route *r, struct pe_result *out)
{
    const char *v = model_str(term, "match-as-path");

    if (!v)
        return PE_YES;
    if (strspn(v, "0123456789") == strlen(v))
        return pe_path_has(r->as_path ? r->as_path : "", v) ? PE_YES : PE_NO;
    /* AS-path expressions hold no letters; anything with one is the name of a set. */
    if (!strpbrk(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
        return pe_regex_match(v, r->as_path ? r->as_path : "") ? PE_YES : PE_NO;
    /* An AS-path set known only by its name: its members were not collected. */
    out->uncertain = 1;
    out->why_uncertain = "an AS-path set is known only by name, so its condition was not judged";
    return PE_NO;
}

void
pe_eval(const struct lyd_node *dev, const struct lyd_node *nb, int import, const struct pe_route *r,
        struct pe_result *out)
{
    struct lyd_node *pn, *pol, *term;
    const char *da;
    uint64_t v;
    int any = 0;

    memset(out, 0, sizeof *out);
    out->local_pref = PE_DEFAULT_LP;
    if (import && model_u64(nb, "local-preference", &v)) {
        out->local_pref = (uint32_t)v;
        out->lp_set = 1;
    }
    MODEL_FOR(nb, import ? "import-policy" : "export-policy", pn) {
        any = 1;
        if (!(pol = model_find(dev, "policy", model_value(pn)))) {
            out->uncertain = 1;
            out->why_uncertain = "a policy the neighbor names is not defined";
            continue;
        }
        MODEL_FOR(pol, "term", term) {
            const char *act = model_str(term, "action");

            if (pe_match_prefix(dev, term, r, out) == PE_NO || pe_match_comm(dev, term, r, out) == PE_NO ||
                    pe_match_aspath(term, r, out) == PE_NO)
                continue;
            if (model_u64(term, "set-local-preference", &v)) {
                out->local_pref = (uint32_t)v;
                out->lp_set = 1;
            }
            if (model_u64(term, "set-prepend-count", &v))
                out->prepend += (unsigned)v;
            if (act && (!strcmp(act, "accept") || !strcmp(act, "reject"))) {
                out->accepted = !strcmp(act, "accept");
                out->policy = model_value(pn);
                out->term = model_str(term, "name");
                return;
            }
        }
        da = model_str(pol, "default-action");
        if (da) {
            out->accepted = !strcmp(da, "accept");
            out->policy = model_value(pn);
            out->term = "default-action";
            return;
        }
    }
    if (!any) {
        /* No policy at all: the route is taken as it is. */
        out->accepted = 1;
        out->no_policy = 1;
        return;
    }
    /* The chain did not decide: the neighbor's default (OpenConfig default policy, Junos default BGP policy). */
    da = model_str(nb, import ? "default-import" : "default-export");
    out->by_default = 1;
    out->default_known = da != NULL;
    out->accepted = !da || !strcmp(da, "accept");
}

const char *
pe_undefined(const struct lyd_node *dev, const struct lyd_node *nb, int import)
{
    struct lyd_node *p;

    MODEL_FOR(nb, import ? "import-policy" : "export-policy", p) {
        if (!model_find(dev, "policy", model_value(p)))
            return model_value(p);
    }
    return NULL;
}

/* Service communities of the Microsoft 365 service areas (see the service-communities data file). */
static const char *
pe_m365_comm(const char *area)
{
    static const struct {
        const char *area, *comm;
    } map[] = {{"Exchange", "12076:5010"}, {"SharePoint", "12076:5020"}, {"Skype", "12076:5030"},
        {"Common", "12076:5100"}};
    size_t i;

    for (i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (!strcmp(map[i].area, area))
            return map[i].comm;
    }
    return NULL;
}

void
pe_ms_route(const struct refdata *ref, const char *set, const struct pfx *prefix, struct pe_route *r)
{
    const char *dot = set ? strrchr(set, '.') : NULL, *c = NULL;
    char area[64];

    memset(r, 0, sizeof *r);
    r->as_path = "12076";
    r->label = set;
    if (prefix) {
        r->prefix = *prefix;
        r->prefix_known = 1;
    }
    if (set && !strncmp(set, "M365.", 5)) {
        const char *e = strchr(set + 5, '.');

        snprintf(area, sizeof area, "%.*s", e ? (int)(e - set - 5) : (int)strlen(set + 5), set + 5);
        c = pe_m365_comm(area);
    } else if (dot) {
        c = ref_region_community(ref, dot + 1);
    }
    if (c) {
        snprintf(r->buf[0], sizeof r->buf[0], "%s", c);
        r->comm[r->n_comm++] = r->buf[0];
        r->comm_known = 1;
    }
}

void
pe_inet_route(const struct pfx *prefix, struct pe_route *r)
{
    memset(r, 0, sizeof *r);
    r->as_path = "64496 8075";
    r->comm_known = 1;
    if (prefix) {
        r->prefix = *prefix;
        r->prefix_known = 1;
    }
}

void
pe_ms_routes(const struct lyd_node *net, const struct refdata *ref, struct pe_routes *out)
{
    struct lyd_node *set, *t = model_child(net, "tenant"), *x;
    const char *ps;
    struct pfx p;
    char name[96];

    out->n = 0;
    MODEL_FOR(model_child(net, "services"), "prefix-set", set) {
        ps = model_value(model_child(set, "prefix"));
        if (out->n == PE_MAX_ROUTES || !ps || pfx_parse(ps, &p, 0))
            continue;
        snprintf(out->label[out->n], sizeof out->label[0], "%s", model_str(set, "name"));
        pe_ms_route(ref, out->label[out->n], &p, &out->v[out->n]);
        out->v[out->n].label = out->label[out->n];
        out->n++;
    }
    if (out->n)
        return;
    /* Without service prefixes: what Microsoft announces for each of the tenant's regions. */
    MODEL_FOR(t, "azure-region", x) {
        if (out->n == PE_MAX_ROUTES)
            break;
        snprintf(name, sizeof name, "region.%s", model_value(x));
        pe_ms_route(ref, name, NULL, &out->v[out->n]);
        snprintf(out->label[out->n], sizeof out->label[0], "Microsoft routes of %s",
                ref_region_display(ref, model_value(x)));
        out->v[out->n].label = out->label[out->n];
        out->n++;
    }
    if (!out->n) {
        pe_ms_route(ref, NULL, NULL, &out->v[0]);
        snprintf(out->label[0], sizeof out->label[0], "Microsoft routes");
        out->v[0].label = out->label[0];
        out->n = 1;
    }
}
