/**
 * @file filtering.c
 * @brief Filtering of cloud-originated connections (checklist "On-premises
 * integration"): what arrives from Microsoft over ExpressRoute is filtered
 * at least as strictly as what arrives from the Internet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* 1 when interface @p ifname (zone @p zone) is covered by one of the side's filters. */
static int
iface_filtered(const struct ru_side *s, const char *ifname, const char *zone)
{
    struct lyd_node *i;
    size_t k;

    for (k = 0; k < s->n_filters; k++) {
        const char *fz = model_str(s->filters[k], "from-zone");

        if (zone && fz && !strcmp(fz, zone))
            return 1;
        MODEL_FOR(s->filters[k], "ingress-interface", i) {
            if (!strcmp(model_value(i), ifname))
                return 1;
        }
    }
    return 0;
}

static int
addr_any(const char *s)
{
    return !s || !strcasecmp(s, "any") || !strcmp(s, "0.0.0.0/0") || !strcmp(s, "::/0");
}

static int
addr_covers(const char *a, const char *b)
{
    struct pfx pa, pb;

    if (addr_any(a))
        return 1;
    if (addr_any(b))
        return 0;
    if (!ru_pfx(a, &pa) && !ru_pfx(b, &pb))
        return pfx_contains(&pa, &pb);
    return !strcmp(a, b);
}

static int
proto_any(const char *s)
{
    return !s || !strcasecmp(s, "ip") || !strcasecmp(s, "any") || !strcasecmp(s, "ipv6");
}

static int
proto_covers(const char *a, const char *b)
{
    if (proto_any(a))
        return 1;
    return !proto_any(b) && !strcasecmp(a, b);
}

/* Port range of a rule; unparsable text gives 0 (compared as text). */
static int
port_range(const char *s, long *lo, long *hi)
{
    char *end;

    if (!s || !strcasecmp(s, "any")) {
        *lo = 0;
        *hi = 65535;
        return 1;
    }
    *lo = strtol(s, &end, 10);
    if (end == s)
        return 0;
    if (*end == '-') {
        const char *h = end + 1;

        *hi = strtol(h, &end, 10);
        if (end == h)
            return 0;
    } else {
        *hi = *lo;
    }
    return *end == '\0';
}

static int
ports_covers(const char *a, const char *b)
{
    long alo, ahi, blo, bhi;

    if (port_range(a, &alo, &ahi) && port_range(b, &blo, &bhi))
        return alo <= blo && bhi <= ahi;
    return a && b && !strcmp(a, b);
}

static int
is_permit_any(const struct lyd_node *r)
{
    const char *act = model_str(r, "action"), *ports = model_str(r, "ports");

    return act && !strcmp(act, "permit") && addr_any(model_str(r, "source")) &&
            addr_any(model_str(r, "destination")) && proto_any(model_str(r, "protocol")) &&
            (!ports || !strcasecmp(ports, "any"));
}

/* First rule of @p f that matches every packet @p r admits. */
static struct lyd_node *
first_covering(const struct lyd_node *f, const struct lyd_node *r)
{
    struct lyd_node *x;

    MODEL_FOR(f, "rule", x) {
        if (addr_covers(model_str(x, "source"), model_str(r, "source")) &&
                addr_covers(model_str(x, "destination"), model_str(r, "destination")) &&
                proto_covers(model_str(x, "protocol"), model_str(r, "protocol")) &&
                ports_covers(model_str(x, "ports"), model_str(r, "ports")))
            return x;
    }
    return NULL;
}

static const char *
str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* Judge one ExpressRoute filter; returns the number of failures. */
static size_t
judge_filter(struct rule_ctx *rc, const struct lyd_node *dev, const struct lyd_node *f, const struct ru_side *inet)
{
    struct lyd_node *r, *x;
    size_t bad = 0, k;
    char seen[512], exp[256], rpath[1024];
    struct evidence ev = {.path = rpath, .seen = seen, .expected = exp, .source = SRC_CONFIG};

    MODEL_FOR(f, "rule", r) {
        const char *seq = model_str(r, "seq"), *act = model_str(r, "action");

        snprintf(rpath, sizeof rpath, "%s", model_path(r));
        if (is_permit_any(r)) {
            bad++;
            snprintf(seen, sizeof seen, "filter %s rule %s: permit %s from %s to %s", model_str(f, "name"), seq,
                    str_or(model_str(r, "protocol"), "ip"), str_or(model_str(r, "source"), "any"),
                    str_or(model_str(r, "destination"), "any"));
            snprintf(exp, sizeof exp, "only the services Microsoft must reach are permitted, as on the Internet side");
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: filter %s permits anything arriving from ExpressRoute "
                    "(rule %s)", ru_name(dev), model_str(f, "name"), seq);
            continue;
        }
        if (!act || strcmp(act, "permit"))
            continue;
        for (k = 0; k < inet->n_filters; k++) {
            const char *xa;

            /* Only a deny aimed at that destination counts: a final catch-all deny says nothing about
             * services deliberately published toward Microsoft. */
            if (!(x = first_covering(inet->filters[k], r)) || !(xa = model_str(x, "action")) || strcmp(xa, "deny") ||
                    addr_any(model_str(x, "destination")))
                continue;
            bad++;
            snprintf(seen, sizeof seen, "ExpressRoute filter %s rule %s permits %s %s from %s to %s; Internet filter "
                    "%s rule %s denies it", model_str(f, "name"), seq, str_or(model_str(r, "protocol"), "ip"),
                    str_or(model_str(r, "ports"), "any"), str_or(model_str(r, "source"), "any"),
                    str_or(model_str(r, "destination"), "any"), model_str(inet->filters[k], "name"),
                    model_str(x, "seq"));
            snprintf(exp, sizeof exp, "traffic from ExpressRoute filtered at least as strictly as from the Internet");
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: filter %s admits from ExpressRoute what %s refuses from the "
                    "Internet (rule %s)", ru_name(dev), model_str(f, "name"), model_str(inet->filters[k], "name"),
                    seq);
            break;
        }
    }
    return bad;
}

/* SEC-001: ExpressRoute is not a trusted side. */
static void
sec001_check(struct rule_ctx *rc)
{
    struct lyd_node *dev;
    struct ru_net n;
    int any = 0;

    if (ru_net_build(rc, &n))
        return;
    MODEL_FOR(rc->m->net, "device", dev) {
        struct ru_side *er = NULL, *inet = NULL;
        size_t k, bad = 0;
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
        if (!(er = malloc(sizeof *er)) || !(inet = malloc(sizeof *inet))) {
            free(er);
            rc->rc = ER_ENOMEM;
            break;
        }
        ru_side_collect(&n, dev, "expressroute", er);
        ru_side_collect(&n, dev, "internet", inet);
        if (!er->n_ifs && !er->n_zones) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no interface or zone facing ExpressRoute (declare a zone with "
                    "faces: expressroute)", ru_name(dev));
            goto next;
        }
        /* Unfiltered ExpressRoute interfaces while the Internet side is filtered. */
        for (k = 0; k < er->n_ifs; k++) {
            struct lyd_node *ifc = model_find(dev, "interface", er->ifs[k]);

            if (!inet->n_filters || iface_filtered(er, er->ifs[k], model_str(ifc, "zone")))
                continue;
            bad++;
            ev.path = model_path(ifc ? ifc : dev);
            snprintf(seen, sizeof seen, "interface %s faces ExpressRoute with no filter; Internet side filtered by %s",
                    er->ifs[k], model_str(inet->filters[0], "name"));
            snprintf(exp, sizeof exp, "a filter on %s at least as strict as %s", er->ifs[k],
                    model_str(inet->filters[0], "name"));
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: traffic from ExpressRoute on %s is not filtered at all",
                    ru_name(dev), er->ifs[k]);
        }
        for (k = 0; k < er->n_filters; k++)
            bad += judge_filter(rc, dev, er->filters[k], inet);
        if (bad)
            goto next;
        ev.path = model_path(er->n_filters ? er->filters[0] : dev);
        if (er->n_filters)
            snprintf(seen, sizeof seen, "%zu filter%s on the ExpressRoute side (first %s): no permit-any, nothing the "
                    "Internet side denies", er->n_filters, er->n_filters > 1 ? "s" : "",
                    model_str(er->filters[0], "name"));
        else
            snprintf(seen, sizeof seen, "neither the ExpressRoute nor the Internet side is filtered on this device");
        snprintf(exp, sizeof exp, "ExpressRoute side at least as strict as the Internet side");
        rule_pass(rc, ru_name(dev), NULL, &ev, "%s: ExpressRoute-facing filtering is as strict as the Internet side",
                ru_name(dev));
next:
        free(er);
        free(inet);
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no firewall or er-edge device in the inventory");
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
