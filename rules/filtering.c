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
#include "filter_path.h"
#include "view.h"

/** Findings kept per run of SEC-001. */
#define MAX_RES 256
/** Witness packets compared at most (per class, sources x destinations, summed). */
#define MAX_WITNESS 8000000

/** What a path's judgement reports, attributed to one device. */
struct res {
    const struct lyd_node *dev;     /* the device the finding is reported on */
    const struct lyd_node *at;      /* evidence node */
    char key[160], msg[320], seen[768], exp[256];
};

struct sec {
    struct rule_ctx *rc;
    struct fp_side er, inet;
    struct fe_space sp;
    char *inet_adm;                 /* per class: some filtered Internet path admits it */
    const struct fe_filter *inet_first; /* the first Internet filter, for messages */
    const struct fp_path *inet_path;   /* the first filtered Internet path */
    struct res res[MAX_RES];
    size_t nres;
};

/* Witness packets compared at most: the sum over classes of every filter's class space. */
static int
too_large(const struct sec *S, size_t *total)
{
    const struct fe_filter *fs[2 * MAX_HOPS * HOP_FILTERS];
    const struct fp_side *sd[2] = {&S->er, &S->inet};
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
live_permit_any(const struct sec *S, const struct fp_path *p, const struct fe_filter **in, const struct fp_hop **hop)
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

/* Report the classes of @p adm (from @p c on) that rule adm[c].r lets through and no Internet path admits. */
static void
leak(struct sec *S, const struct fp_path *p, const char *ps, struct adm *adm, size_t c)
{
    const struct fe_filter *df = adm[c].f, *xf = S->inet_first;
    const struct fe_rule *dr = adm[c].r, *xr = NULL;
    const struct fe_pkt pk0 = adm[c].pk;
    const struct fp_hop *h = fp_hop_of(p, df);
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
        fp_admits(S->inet_path, &pk0, &xf, &xr);
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
judge_path(struct sec *S, const struct fp_path *p, char *why, size_t size)
{
    char ps[256], key[160];
    const struct fe_filter *pf;
    const struct fe_rule *pr;
    const struct fp_hop *last = p->h[p->n - 1], *ph;
    const struct fe_filter *fs[2 * HOP_FILTERS];
    size_t c, i, j, nf;
    int bad = 0;
    struct res *x;
    struct adm *adm;

    fp_str(p, ps, sizeof ps);
    if (!fp_filtered(p)) {
        if (!S->inet_first)
            return 0;
        if (fp_unread(p)) {
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
        if ((adm[c].yes = fp_admits_class(p, &S->sp.cls[c], &adm[c].pk, &adm[c].f, &adm[c].r)) < 0) {
            free(adm);
            return -1;
        }
    }
    /* Classes the path admits and no filtered Internet path does, grouped by the rule letting them through,
     * in the order of the path's filters and rules. */
    for (c = 0; c < S->sp.nc && !bad; c++)
        bad = adm[c].yes && !S->inet_adm[c];
    if (bad && fp_unread(p)) {
        snprintf(why, size, "path %s admits what the Internet side denies, but a device on it has no configuration "
                "collected", ps);
        free(adm);
        return 2;
    }
    nf = fp_filters(p, fs);
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

/*
 * Which classes get through some filtered Internet path. A class counts as
 * admitted when each hop of the path admits it, to whatever destination: the
 * inventory does not say which Internet edge sits in front of which firewall
 * zone, so the reference is read as leniently as the hops allow (a FAIL
 * needs a class that some Internet hop refuses outright).
 */
static int
inet_reference(struct sec *S, const struct fp_path *ip, size_t nip)
{
    size_t c, i, k;

    if (!(S->inet_adm = calloc(S->sp.nc ? S->sp.nc : 1, 1)))
        return -1;
    for (i = 0; i < nip; i++) {
        if (!fp_filtered(&ip[i]))
            continue;
        if (!S->inet_first) {
            S->inet_first = ip[i].h[0]->nf ? &ip[i].h[0]->f[0] : &ip[i].h[1]->f[0];
            S->inet_path = &ip[i];
        }
        for (c = 0; c < S->sp.nc; c++) {
            int all = 1;

            for (k = 0; k < ip[i].n && all > 0; k++)
                all = fp_hop_admits_class(ip[i].h[k], &S->sp.cls[c]);
            if (all < 0)
                return -1;
            S->inet_adm[c] |= (char)all;
        }
    }
    return 0;
}

/* Report per device, in model order, as the checks before paths did. */
static void
report(struct sec *S, const struct ru_net *n, const struct fp_path *ep, size_t nep, const int *verdict,
        char (*why)[256])
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
            if (!fp_on(&ep[k], dev))
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
                    "Internet side denies", er.n_filters, er.n_filters > 1 ? "s" : "",
                    model_str(er.filters[0], "name"));
        else
            snprintf(seen, sizeof seen, "neither the ExpressRoute nor the Internet side is filtered on this device");
        snprintf(exp, sizeof exp, "ExpressRoute side at least as strict as the Internet side");
        rule_pass(rc, ru_name(dev), NULL, &ev, "%s: ExpressRoute-facing filtering is as strict as the Internet side",
                ru_name(dev));
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no firewall or er-edge device in the inventory");
}

/* SEC-001: ExpressRoute is not a trusted side. */
void
sec001_check(struct rule_ctx *rc)
{
    struct lyd_node *dev;
    struct ru_net n;
    struct sec *S;
    struct fp_path *ep = NULL, *ip = NULL;
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
            e = fp_add_hops(rc, &S->sp, &n, dev, "expressroute", &S->er);
        if (!e && ru_role_in(dev, "firewall,er-edge,internet-edge"))
            e = fp_add_hops(rc, &S->sp, &n, dev, "internet", &S->inet);
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
    nep = fp_paths(&S->er, ep, MAX_HOPS * MAX_HOPS);
    nip = fp_paths(&S->inet, ip, MAX_HOPS * MAX_HOPS);
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
    if (S->sp.nc)
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
        fp_side_free(&S->er);
        fp_side_free(&S->inet);
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

const char *const sec001_paths[] = {RU_DEV "/zone/faces", RU_DEV "/zone/interface", RU_DEV "/interface/zone",
    RU_DEV "/filter/ingress-interface", RU_DEV "/filter/from-zone", RU_DEV "/filter/rule/source",
    RU_DEV "/filter/rule/destination", RU_DEV "/filter/rule/protocol", RU_DEV "/filter/rule/ports",
    RU_DEV "/filter/rule/action", NULL};
