/**
 * @file filtering.c
 * @brief Filtering of cloud-originated connections (checklist "On-premises
 * integration"): what arrives from Microsoft over ExpressRoute is filtered
 * at least as strictly as what arrives from the Internet.
 *
 * SEC-001 is judged per path, with the filter evaluator (filter_eval.h):
 * traffic from ExpressRoute enters an edge on an interface facing a
 * Microsoft neighbor (or an ExpressRoute zone) and then passes the
 * firewalls' ExpressRoute zones; traffic from the Internet enters an edge
 * facing an ISP and passes the firewalls' Internet zones. Each hop's
 * ingress filters must all admit a packet for the path to admit it. Every
 * path from ExpressRoute is compared with the filtered paths from the
 * Internet, one traffic class (protocol, port) at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter_eval.h"
#include "util.h"

#define HOP_FILTERS 4
#define MAX_HOPS 64
#define MAX_RES 256
/** Witness packets compared at most (per class, sources x destinations, summed). */
#define MAX_WITNESS 8000000

/** One hop: the ingress filters of one interface of one device. */
struct hop {
    const struct lyd_node *dev, *ifc;
    const char *ifname;
    int fw;                         /* a firewall zone (second hop) */
    int unread;                     /* the device's filters are not known */
    struct fe_filter f[HOP_FILTERS];
    size_t nf;
};

/** The hops of one side: edges first, then firewalls. */
struct side {
    struct hop h[MAX_HOPS];
    size_t n;
};

/** A path: one or two hops. */
struct path {
    const struct hop *h[2];
    size_t n;
};

/** What a path's judgement reports, attributed to one device. */
struct res {
    const struct lyd_node *dev;     /* the device the finding is reported on */
    const struct lyd_node *at;      /* evidence node */
    char key[160], msg[320], seen[768], exp[256];
};

struct sec {
    struct rule_ctx *rc;
    struct side er, inet;
    struct fe_space sp;
    char *inet_adm;                 /* per class: some filtered Internet path admits it */
    const struct fe_filter *inet_first; /* the first Internet filter, for messages */
    const struct path *inet_path;   /* the first filtered Internet path */
    struct res res[MAX_RES];
    size_t nres;
};

static const char *
str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static int
if_in_zone(const struct lyd_node *dev, const char *zone, const char *ifname)
{
    struct lyd_node *z = zone ? model_find(dev, "zone", zone) : NULL, *i, *ifc;

    if (!z)
        return 0;
    MODEL_FOR(z, "interface", i) {
        if (!strcmp(model_value(i), ifname))
            return 1;
    }
    ifc = model_find(dev, "interface", ifname);
    return ifc && model_str(ifc, "zone") && !strcmp(model_str(ifc, "zone"), zone);
}

/* 1 when filter @p f is bound on ingress to @p ifname (directly or through its zone). */
static int
bound(const struct lyd_node *dev, const struct lyd_node *f, const char *ifname)
{
    struct lyd_node *i;

    MODEL_FOR(f, "ingress-interface", i) {
        if (!strcmp(model_value(i), ifname))
            return 1;
    }
    return if_in_zone(dev, model_str(f, "from-zone"), ifname);
}

/* Add the hops of @p dev facing @p faces; -1 on an unreadable filter (reported), -2 out of memory. */
static int
add_hops(struct sec *S, const struct ru_net *n, const struct lyd_node *dev, const char *faces, struct side *sd)
{
    struct ru_side *rs;
    size_t k, j;
    char why[256];
    int unread = ru_has_config(dev) == 0 || !strcmp(str_or(model_str(model_child(dev, "collection"), "status"), ""),
            "failed");

    if (!(rs = malloc(sizeof *rs)))
        return -2;
    ru_side_collect(n, dev, faces, rs);
    for (k = 0; k < rs->n_ifs && sd->n < MAX_HOPS; k++) {
        struct hop *h = &sd->h[sd->n++];

        memset(h, 0, sizeof *h);
        h->dev = dev;
        h->ifname = rs->ifs[k];
        h->ifc = model_find(dev, "interface", rs->ifs[k]);
        h->fw = ru_role_in(dev, "firewall");
        h->unread = unread;
        for (j = 0; j < rs->n_filters && h->nf < HOP_FILTERS; j++) {
            int e;

            if (!bound(dev, rs->filters[j], h->ifname))
                continue;
            if ((e = fe_load(rs->filters[j], &h->f[h->nf], why, sizeof why))) {
                free(rs);
                if (e == -2)
                    return -2;
                rule_skip(S->rc, ru_name(dev), NULL, "%s: %s", ru_name(dev), why);
                return -1;
            }
            if (fe_space_add(&S->sp, &h->f[h->nf++])) {
                free(rs);
                return -2;
            }
        }
    }
    free(rs);
    return 0;
}

/* The paths of a side: every edge hop with every firewall hop, or single hops when one kind is missing. */
static size_t
paths(const struct side *sd, struct path *out, size_t max)
{
    size_t i, j, n = 0, nfw = 0;

    for (i = 0; i < sd->n; i++)
        nfw += sd->h[i].fw;
    for (i = 0; i < sd->n; i++) {
        if (sd->h[i].fw && nfw < sd->n)
            continue;
        if (!sd->h[i].fw && nfw) {
            for (j = 0; j < sd->n && n < max; j++) {
                if (sd->h[j].fw)
                    out[n++] = (struct path){{&sd->h[i], &sd->h[j]}, 2};
            }
        } else if (n < max) {
            out[n++] = (struct path){{&sd->h[i], NULL}, 1};
        }
    }
    return n;
}

static int
path_filtered(const struct path *p)
{
    return p->h[0]->nf || (p->n > 1 && p->h[1]->nf);
}

static int
path_unread(const struct path *p)
{
    return p->h[0]->unread || (p->n > 1 && p->h[1]->unread);
}

/*
 * 1 when path @p p admits @p pk; the last permitting filter and rule in @p *lf / @p *lr,
 * or, when denied, the denying filter and rule (NULL: its implicit deny).
 */
static int
path_admits(const struct path *p, const struct fe_pkt *pk, const struct fe_filter **lf, const struct fe_rule **lr)
{
    size_t i, k;
    const struct fe_rule *r;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < p->h[i]->nf; k++) {
            int ok = fe_admits(&p->h[i]->f[k], pk, &r);

            *lf = &p->h[i]->f[k];
            *lr = r;
            if (!ok)
                return 0;
        }
    }
    return 1;
}

/* The filters of path @p p, in order, into @p fs (room for 2 * HOP_FILTERS). */
static size_t
path_filters(const struct path *p, const struct fe_filter **fs)
{
    size_t i, k, n = 0;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < p->h[i]->nf; k++)
            fs[n++] = &p->h[i]->f[k];
    }
    return n;
}

/*
 * 1 when @p p admits some witness of class @p c; the witness in @p *pk.
 * Only the rules matching the class split the addresses (fe_space_class).
 * -1 when out of memory.
 */
static int
path_admits_class(const struct sec *S, const struct path *p, size_t c, struct fe_pkt *pk,
        const struct fe_filter **lf, const struct fe_rule **lr)
{
    const struct fe_filter *fs[2 * HOP_FILTERS];
    struct fe_space one;
    size_t a, b, nf = path_filters(p, fs);
    int yes = 0;

    *pk = S->sp.cls[c];
    if (fe_space_class(fs, nf, pk, &one))
        return -1;
    for (a = 0; a < one.ns && !yes; a++) {
        pk->src = one.srcs[a];
        for (b = 0; b < one.nd && !yes; b++) {
            pk->dst = one.dsts[b];
            yes = path_admits(p, pk, lf, lr);
        }
    }
    fe_space_free(&one);
    return yes;
}

/* Witness packets compared at most: the sum over classes of every filter's class space. */
static int
too_large(const struct sec *S, size_t *total)
{
    const struct fe_filter *fs[2 * MAX_HOPS * HOP_FILTERS];
    const struct side *sd[2] = {&S->er, &S->inet};
    struct fe_space one;
    size_t nf = 0, i, k, c;

    for (i = 0; i < 2; i++) {
        for (k = 0; k < sd[i]->n; k++) {
            size_t j;

            for (j = 0; j < sd[i]->h[k].nf; j++)
                fs[nf++] = &sd[i]->h[k].f[j];
        }
    }
    *total = 0;
    for (c = 0; c < S->sp.nc; c++) {
        if (fe_space_class(fs, nf, &S->sp.cls[c], &one))
            return -1;
        *total += one.ns * one.nd;
        fe_space_free(&one);
    }
    return *total > MAX_WITNESS;
}

static const char *
path_str(const struct path *p, char *buf, size_t size)
{
    if (p->n > 1)
        snprintf(buf, size, "%s %s, then %s %s", ru_name(p->h[0]->dev), p->h[0]->ifname, ru_name(p->h[1]->dev),
                p->h[1]->ifname);
    else
        snprintf(buf, size, "%s %s", ru_name(p->h[0]->dev), p->h[0]->ifname);
    return buf;
}

static struct res *
res_new(struct sec *S, const struct lyd_node *dev, const struct lyd_node *at, const char *key)
{
    size_t i;

    for (i = 0; i < S->nres; i++) {
        if (S->res[i].dev == dev && !strcmp(S->res[i].key, key))
            return NULL;
    }
    if (S->nres == MAX_RES)
        return NULL;
    memset(&S->res[S->nres], 0, sizeof *S->res);
    S->res[S->nres].dev = dev;
    S->res[S->nres].at = at;
    snprintf(S->res[S->nres].key, sizeof S->res[S->nres].key, "%s", key);
    return &S->res[S->nres++];
}

/* Upper end of the port range that class @p c stands for (classes are sorted). */
static long
class_hi(const struct fe_space *sp, size_t c)
{
    if (!fe_proto_ports(sp->cls[c].proto) || sp->cls[c].port < 0)
        return -1;
    if (c + 1 < sp->nc && sp->cls[c + 1].proto == sp->cls[c].proto)
        return sp->cls[c + 1].port - 1;
    return 65535;
}

static int
by_class(const void *a, const void *b)
{
    const struct fe_pkt *x = a, *y = b;

    if (x->proto != y->proto)
        return x->proto < y->proto ? -1 : 1;
    return x->port < y->port ? -1 : x->port > y->port;
}

/*
 * A live permit-any rule (any source, destination, protocol and port) in the
 * filters of @p p, or NULL: the rulebook fails it whatever the other hop
 * does; one shadowed by earlier rules is dead and does not count.
 */
static const struct fe_rule *
live_permit_any(const struct sec *S, const struct path *p, const struct fe_filter **in, const struct hop **hop)
{
    size_t i, k, j;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < p->h[i]->nf; k++) {
            const struct fe_filter *f = &p->h[i]->f[k];

            for (j = 0; j < f->n; j++) {
                const struct fe_rule *r = &f->rules[j];

                if (r->permit && r->src.kind == FE_A_ANY && r->dst.kind == FE_A_ANY && r->proto == FE_PROTO_ANY &&
                        !r->nports && fe_live(f, r, &S->sp) == 1) {
                    *in = f;
                    *hop = p->h[i];
                    return r;
                }
            }
        }
    }
    return NULL;
}

/* What a path admits, per class: the witness and the last permitting filter and rule. */
struct adm {
    int yes;
    struct fe_pkt pk;
    const struct fe_filter *f;
    const struct fe_rule *r;
};

/* The hop of @p p holding filter @p f (the last hop when none does). */
static const struct hop *
hop_of(const struct path *p, const struct fe_filter *f)
{
    size_t k, j;

    for (k = 0; k < p->n; k++) {
        for (j = 0; j < p->h[k]->nf; j++) {
            if (&p->h[k]->f[j] == f)
                return p->h[k];
        }
    }
    return p->h[p->n - 1];
}

/* Report the classes of @p adm (from @p c on) that rule adm[c].r lets through and no Internet path admits. */
static void
leak(struct sec *S, const struct path *p, const char *ps, struct adm *adm, size_t c)
{
    const struct fe_filter *df = adm[c].f, *xf = S->inet_first;
    const struct fe_rule *dr = adm[c].r, *xr = NULL;
    const struct fe_pkt pk0 = adm[c].pk;
    const struct hop *h = hop_of(p, df);
    char cls[64], list[400], key[160], xs[160];
    size_t k, n = 0;
    struct res *x;

    list[0] = '\0';
    for (k = c; k < S->sp.nc; k++) {
        if (!adm[k].yes || S->inet_adm[k] || adm[k].r != dr)
            continue;
        adm[k].yes = 0;
        fe_class_str(S->sp.cls[k].proto, S->sp.cls[k].port, class_hi(&S->sp, k), cls, sizeof cls);
        if (n++ < 8)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", n > 1 ? ", " : "", cls);
    }
    if (n > 8)
        snprintf(list + strlen(list), sizeof list - strlen(list), " and %zu more", n - 8);
    snprintf(key, sizeof key, "leak %s %u", df ? df->name : "", dr ? dr->seq : 0);
    if (!df || !dr || !(x = res_new(S, h->dev, dr->node, key)))
        return;
    snprintf(x->msg, sizeof x->msg, "%s: filter %s admits from ExpressRoute what the Internet side refuses (rule %u)",
            ru_name(h->dev), df->name, dr->seq);
    /* The Internet rule refusing the same witness packet. */
    if (S->inet_path)
        path_admits(S->inet_path, &pk0, &xf, &xr);
    if (xr)
        snprintf(xs, sizeof xs, "%s rule %u", xf->name, xr->seq);
    else
        snprintf(xs, sizeof xs, "%s, by its implicit deny", xf->name);
    snprintf(x->seen, sizeof x->seen, "ExpressRoute filter %s rule %u admits %s on path %s; no Internet path admits %s "
            "(%s denies %s)", df->name, dr->seq, list, ps, n > 1 ? "them" : "it", xs, n > 1 ? "them" : "it");
    snprintf(x->exp, sizeof x->exp, "traffic from ExpressRoute filtered at least as strictly as from the Internet");
}

/* Judge one path from ExpressRoute; returns 0 fine, 1 failed, 2 not evaluated (reason in @p why), -1 no memory. */
static int
judge_path(struct sec *S, const struct path *p, char *why, size_t size)
{
    char ps[256], key[160];
    const struct fe_filter *pf;
    const struct fe_rule *pr;
    const struct hop *last = p->h[p->n - 1], *ph;
    const struct fe_filter *fs[2 * HOP_FILTERS];
    size_t c, i, j, nf;
    int bad = 0;
    struct res *x;
    struct adm *adm;

    path_str(p, ps, sizeof ps);
    if (!path_filtered(p)) {
        if (!S->inet_first)
            return 0;
        if (path_unread(p)) {
            snprintf(why, size, "path %s: no filter known, and a device on it has no configuration collected", ps);
            return 2;
        }
        snprintf(key, sizeof key, "unfiltered %s", last->ifname);
        if ((x = res_new(S, last->dev, last->ifc ? last->ifc : last->dev, key))) {
            snprintf(x->msg, sizeof x->msg, "%s: traffic from ExpressRoute on %s is not filtered at all",
                    ru_name(last->dev), last->ifname);
            snprintf(x->seen, sizeof x->seen, "path %s: no filter on any hop; Internet side filtered by %s", ps,
                    S->inet_first->name);
            snprintf(x->exp, sizeof x->exp, "a filter on the path at least as strict as %s", S->inet_first->name);
        }
        return 1;
    }
    if ((pr = live_permit_any(S, p, &pf, &ph))) {
        snprintf(key, sizeof key, "any %s %u", pf->name, pr->seq);
        if ((x = res_new(S, ph->dev, pr->node, key))) {
            snprintf(x->msg, sizeof x->msg, "%s: filter %s permits anything arriving from ExpressRoute (rule %u)",
                    ru_name(ph->dev), pf->name, pr->seq);
            snprintf(x->seen, sizeof x->seen, "filter %s rule %u: permit ip from any to any (path %s)", pf->name,
                    pr->seq, ps);
            snprintf(x->exp, sizeof x->exp, "only the services Microsoft must reach are permitted, as on the "
                    "Internet side");
        }
        return 1;
    }
    /* An unfiltered Internet side admits everything: nothing to compare with. */
    if (!S->inet_first)
        return 0;
    if (!(adm = calloc(S->sp.nc ? S->sp.nc : 1, sizeof *adm)))
        return -1;
    for (c = 0; c < S->sp.nc; c++) {
        if ((adm[c].yes = path_admits_class(S, p, c, &adm[c].pk, &adm[c].f, &adm[c].r)) < 0) {
            free(adm);
            return -1;
        }
    }
    /* Classes the path admits and no filtered Internet path does, grouped by the rule letting them through,
     * in the order of the path's filters and rules. */
    for (c = 0; c < S->sp.nc && !bad; c++)
        bad = adm[c].yes && !S->inet_adm[c];
    if (bad && path_unread(p)) {
        snprintf(why, size, "path %s admits what the Internet side denies, but a device on it has no configuration "
                "collected", ps);
        free(adm);
        return 2;
    }
    nf = path_filters(p, fs);
    for (i = 0; bad && i < nf; i++) {
        for (j = 0; j < fs[i]->n; j++) {
            for (c = 0; c < S->sp.nc; c++) {
                if (adm[c].yes && !S->inet_adm[c] && adm[c].r == &fs[i]->rules[j]) {
                    leak(S, p, ps, adm, c);
                    break;
                }
            }
        }
    }
    free(adm);
    return bad;
}

/* 1 when every filter of hop @p h admits one same witness of class @p c. */
static int
hop_admits_class(const struct sec *S, const struct hop *h, size_t c)
{
    struct path one = {{h, NULL}, 1};
    const struct fe_filter *lf;
    const struct fe_rule *lr;
    struct fe_pkt pk;

    return path_admits_class(S, &one, c, &pk, &lf, &lr);
}

/*
 * Which classes get through some filtered Internet path. A class counts as
 * admitted when each hop of the path admits it, to whatever destination: the
 * inventory does not say which Internet edge sits in front of which firewall
 * zone, so the reference is read as leniently as the hops allow (a FAIL
 * needs a class that some Internet hop refuses outright).
 */
static int
inet_reference(struct sec *S, const struct path *ip, size_t nip)
{
    size_t c, i, k;

    if (!(S->inet_adm = calloc(S->sp.nc ? S->sp.nc : 1, 1)))
        return -1;
    for (i = 0; i < nip; i++) {
        if (!path_filtered(&ip[i]))
            continue;
        if (!S->inet_first) {
            S->inet_first = ip[i].h[0]->nf ? &ip[i].h[0]->f[0] : &ip[i].h[1]->f[0];
            S->inet_path = &ip[i];
        }
        for (c = 0; c < S->sp.nc; c++) {
            int all = 1;

            for (k = 0; k < ip[i].n && all > 0; k++)
                all = hop_admits_class(S, ip[i].h[k], c);
            if (all < 0)
                return -1;
            S->inet_adm[c] |= (char)all;
        }
    }
    return 0;
}

static int
on_path(const struct path *p, const struct lyd_node *dev)
{
    return p->h[0]->dev == dev || (p->n > 1 && p->h[1]->dev == dev);
}

/* Report per device, in model order, as the checks before paths did. */
static void
report(struct sec *S, const struct ru_net *n, const struct path *ep, size_t nep, const int *verdict, char (*why)[256])
{
    struct lyd_node *dev;
    struct rule_ctx *rc = S->rc;
    int any = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        struct ru_side er;
        size_t k, fails = 0, skips = 0;
        char seen[512], exp[256];
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};

        if (!ru_role_in(dev, "firewall,er-edge"))
            continue;
        any = 1;
        if (ru_failed(rc, dev))
            continue;
        if (!ru_has_config(dev)) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no configuration collected (filters need NETCONF)", ru_name(dev));
            continue;
        }
        ru_side_collect(n, dev, "expressroute", &er);
        if (!er.n_ifs && !er.n_zones) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no interface or zone facing ExpressRoute (declare a zone with "
                    "faces: expressroute)", ru_name(dev));
            continue;
        }
        for (k = 0; k < S->nres; k++) {
            if (S->res[k].dev != dev)
                continue;
            fails++;
            ev.path = model_path(S->res[k].at);
            snprintf(seen, sizeof seen, "%s", S->res[k].seen);
            snprintf(exp, sizeof exp, "%s", S->res[k].exp);
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s", S->res[k].msg);
        }
        for (k = 0; k < nep; k++) {
            if (!on_path(&ep[k], dev))
                continue;
            if (verdict[k] == 2 && !skips++)
                rule_skip(rc, ru_name(dev), NULL, "%s: %s", ru_name(dev), why[k]);
            fails += verdict[k] == 1;
        }
        if (fails || skips)
            continue;
        ev.path = model_path(er.n_filters ? er.filters[0] : dev);
        if (er.n_filters)
            snprintf(seen, sizeof seen, "%zu filter%s on the ExpressRoute side (first %s): no permit-any, nothing the "
                    "Internet side denies", er.n_filters, er.n_filters > 1 ? "s" : "", model_str(er.filters[0], "name"));
        else
            snprintf(seen, sizeof seen, "neither the ExpressRoute nor the Internet side is filtered on this device");
        snprintf(exp, sizeof exp, "ExpressRoute side at least as strict as the Internet side");
        rule_pass(rc, ru_name(dev), NULL, &ev, "%s: ExpressRoute-facing filtering is as strict as the Internet side",
                ru_name(dev));
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no firewall or er-edge device in the inventory");
}

static void
free_side(struct side *sd)
{
    size_t i, k;

    for (i = 0; i < sd->n; i++) {
        for (k = 0; k < sd->h[i].nf; k++)
            fe_free(&sd->h[i].f[k]);
    }
}

/* SEC-001: ExpressRoute is not a trusted side. */
static void
sec001_check(struct rule_ctx *rc)
{
    struct lyd_node *dev;
    struct ru_net n;
    struct sec *S;
    struct path *ep = NULL, *ip = NULL;
    size_t nep = 0, nip = 0, k, nfilt = 0, total;
    int *verdict = NULL, e = 0;
    char (*why)[256] = NULL;

    if (ru_net_build(rc, &n))
        return;
    if (!(S = calloc(1, sizeof *S))) {
        rc->rc = ER_ENOMEM;
        goto out;
    }
    S->rc = rc;
    MODEL_FOR(rc->m->net, "device", dev) {
        if (!e && ru_role_in(dev, "firewall,er-edge"))
            e = add_hops(S, &n, dev, "expressroute", &S->er);
        if (!e && ru_role_in(dev, "firewall,er-edge,internet-edge"))
            e = add_hops(S, &n, dev, "internet", &S->inet);
    }
    if (e == -2 || !(ep = calloc(MAX_HOPS * MAX_HOPS, sizeof *ep)) || !(ip = calloc(MAX_HOPS * MAX_HOPS, sizeof *ip))) {
        rc->rc = ER_ENOMEM;
        goto out;
    }
    if (e == -1)
        goto out;   /* an unreadable rule was reported */
    for (k = 0; k < S->er.n; k++)
        nfilt += S->er.h[k].nf;
    for (k = 0; k < S->inet.n; k++)
        nfilt += S->inet.h[k].nf;
    nep = paths(&S->er, ep, MAX_HOPS * MAX_HOPS);
    nip = paths(&S->inet, ip, MAX_HOPS * MAX_HOPS);
    if (!nfilt && nep) {
        rule_skip(rc, NULL, NULL, "no filter collected on any path from ExpressRoute or from the Internet, so the "
                "two cannot be compared");
        goto out;
    }
    if ((e = too_large(S, &total)) < 0) {
        rc->rc = ER_ENOMEM;
        goto out;
    }
    if (e) {
        rule_skip(rc, NULL, NULL, "the filters on the ExpressRoute and Internet paths are too large to compare "
                "(%zu witness packets, at most %d)", total, MAX_WITNESS);
        goto out;
    }
    qsort(S->sp.cls, S->sp.nc, sizeof *S->sp.cls, by_class);
    if (inet_reference(S, ip, nip) || !(verdict = calloc(nep + 1, sizeof *verdict)) ||
            !(why = calloc(nep + 1, sizeof *why))) {
        rc->rc = ER_ENOMEM;
        goto out;
    }
    for (k = 0; k < nep; k++) {
        if ((verdict[k] = judge_path(S, &ep[k], why[k], sizeof why[k])) < 0) {
            rc->rc = ER_ENOMEM;
            goto out;
        }
    }
    report(S, &n, ep, nep, verdict, why);
out:
    if (S) {
        free_side(&S->er);
        free_side(&S->inet);
        fe_space_free(&S->sp);
        free(S->inet_adm);
    }
    free(S);
    free(ep);
    free(ip);
    free(verdict);
    free(why);
    ru_net_free(&n);
}

static const char *const sec001_paths[] = {RU_DEV "/zone/faces", RU_DEV "/zone/interface", RU_DEV "/interface/zone",
    RU_DEV "/filter/ingress-interface", RU_DEV "/filter/from-zone", RU_DEV "/filter/rule/source",
    RU_DEV "/filter/rule/destination", RU_DEV "/filter/rule/protocol", RU_DEV "/filter/rule/ports",
    RU_DEV "/filter/rule/action", NULL};

const struct rule rule_sec001 = {
    .id = "SEC-001", .title = "Traffic arriving over ExpressRoute is filtered as strictly as Internet traffic",
    .section = SECT_ONPREM, .sev = SEV_CRITICAL, .needs = NEEDS_CONFIG,
    .remediation = "Treat the ExpressRoute side as untrusted: filter it on ingress, remove permit-any rules, and "
                   "admit only the services Microsoft must reach, no more than the Internet-facing policy admits.",
    .paths = sec001_paths, .check = sec001_check};
