/**
 * @file onprem.c
 * @brief On-premises services that Power Platform reaches over
 * ExpressRoute, and trust in shared service tags (checklist "On-premises
 * integration"): SEC-002 and SEC-003.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view.h"

static int
is_any(const char *s)
{
    return !s || !*s || !strcasecmp(s, "any") || !strcmp(s, "0.0.0.0/0") || !strcmp(s, "::/0");
}

/* SEC-002: what Microsoft may reach over ExpressRoute is a public address inside an advertised prefix, on its ports only. */
void
sec002_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct ptrie *adv = NULL;
    struct lyd_node *dev;
    size_t with_list, found = 0;

    if (ru_net_build(rc, &n) || ru_adv_trie(rc, n.ms, n.n_ms, &adv, &with_list))
        goto cleanup;
    MODEL_FOR(rc->m->net, "device", dev) {
        struct ru_side er;
        size_t k;

        if (ru_is_failed(dev))
            continue;
        ru_side_collect(&n, dev, "expressroute", &er);
        for (k = 0; k < er.n_filters; k++) {
            struct lyd_node *r;

            MODEL_FOR(er.filters[k], "rule", r) {
                const char *act = model_str(r, "action"), *dst = model_str(r, "destination");
                const char *proto = model_str(r, "protocol"), *ports = model_str(r, "ports");
                const char *fname = model_str(er.filters[k], "name");
                char seen[512], why[256] = "", pbuf[PFX_STRLEN];
                struct evidence ev = {.path = model_path(r), .seen = seen,
                    .expected = "a public address inside a prefix advertised over ExpressRoute, only its ports open",
                    .source = SRC_CONFIG};
                struct pfx p, covering;
                void *val;
                size_t off = 0;
                int inside;

                if (!act || strcmp(act, "permit") || is_any(dst) || ru_pfx(dst, &p))
                    continue;
                found++;
                inside = with_list && ptrie_lookup(adv, &p, &covering, &val);
                if (pfx_is_private(&p) || pfx_is_bogon(&p))
                    off += (size_t)snprintf(why + off, sizeof why - off, "%s is not a public address (Power Platform "
                            "calls public addresses only)", dst);
                else if (with_list && !inside)
                    off += (size_t)snprintf(why + off, sizeof why - off, "%s is in no prefix advertised over "
                            "ExpressRoute, so Microsoft reaches it over the Internet", dst);
                if ((is_any(ports) || is_any(proto) || !strcasecmp(proto, "ip")) && off < sizeof why)
                    off += (size_t)snprintf(why + off, sizeof why - off, "%severy port of it is open", off ? "; " : "");
                snprintf(seen, sizeof seen, "%s permits %s %s/%s from the ExpressRoute side%s%s", fname ? fname : "?",
                        dst, proto ? proto : "ip", ports ? ports : "any", inside ? "; inside advertised " : "",
                        inside ? pfx_format(&covering, pbuf) : "");
                if (off)
                    rule_fail(rc, ru_name(dev), NULL, &ev, "%s: service %s reached over ExpressRoute: %s", ru_name(dev),
                            dst, why);
                else if (!with_list)
                    rule_skip(rc, ru_name(dev), NULL, "%s: %s is open from the ExpressRoute side, but the prefixes "
                            "advertised to Microsoft were not collected", ru_name(dev), dst);
                else
                    rule_pass(rc, ru_name(dev), NULL, &ev, "%s: service %s is public, advertised over ExpressRoute "
                            "and open on %s/%s only", ru_name(dev), dst, proto, ports);
            }
        }
    }
    if (!found)
        rule_skip(rc, NULL, NULL, "no filter on the ExpressRoute side opens a specific on-premises service");
cleanup:
    ptrie_free(adv);
    ru_net_free(&n);
}

/* The shared Power Platform tag a filter source names ("AzureConnectors.WestEurope"), or NULL. */
static const char *
shared_tag(const struct rule_ctx *rc, const char *src)
{
    static const char *const extra[] = {"AzureCloud", "AzureFrontDoor", "ApiManagement"};
    const char *const *names;
    size_t n = ref_service_tag_names(rc->ref, &names), i, l;

    for (i = 0; i < n + sizeof extra / sizeof *extra; i++) {
        const char *t = i < n ? names[i] : extra[i - n];

        l = strlen(t);
        if (!strncasecmp(src, t, l) && (!src[l] || src[l] == '.'))
            return t;
    }
    return NULL;
}

/* The services prefix set holding @p p, NULL if none. */
static const char *
svc_set_of(const struct rule_ctx *rc, const struct pfx *p)
{
    struct lyd_node *set, *x;
    struct pfx q;

    MODEL_FOR(model_child(rc->m->net, "services"), "prefix-set", set) {
        MODEL_FOR(set, "prefix", x) {
            if (!ru_pfx(model_value(x), &q) && pfx_contains(&q, p) && p->len >= q.len)
                return model_str(set, "name");
        }
    }
    return NULL;
}

/* SEC-003: no filter trusts a whole shared service tag as if it were one tenant's. */
void
sec003_check(struct rule_ctx *rc)
{
    struct lyd_node *dev, *f, *r;
    int any = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        size_t bad = 0, rules = 0;
        char seen[512];
        struct evidence ev = {.seen = seen, .expected = "no permit trusting a shared service tag as internal",
            .source = SRC_CONFIG};

        if (ru_is_failed(dev) || !model_child(dev, "filter"))
            continue;
        any = 1;
        MODEL_FOR(dev, "filter", f) {
            MODEL_FOR(f, "rule", r) {
                const char *src = model_str(r, "source"), *act = model_str(r, "action"), *tag, *set = NULL;
                struct pfx p;

                rules++;
                if (!act || strcmp(act, "permit") || is_any(src))
                    continue;
                tag = shared_tag(rc, src);
                if (!tag && !ru_pfx(src, &p))
                    set = svc_set_of(rc, &p);
                if (!tag && !set)
                    continue;
                bad++;
                ev.path = model_path(r);
                snprintf(seen, sizeof seen, "%s rule %s permits from %s%s%s to %s", model_str(f, "name"),
                        model_str(r, "seq"), src, set ? ", addresses of " : "", set ? set : "",
                        is_any(model_str(r, "destination")) ? "any" : model_str(r, "destination"));
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: %s trusts %s, a service shared by every tenant: any "
                        "customer's flows and connectors can use it", ru_name(dev), model_str(f, "name"), tag ? tag : set);
            }
        }
        if (!bad) {
            ev.path = model_path(dev);
            snprintf(seen, sizeof seen, "%zu filter rules, none trusting a shared service tag", rules);
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: no filter trusts a shared service tag", ru_name(dev));
        }
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no filters collected");
}

const char *const sec002_paths[] = {RU_DEV "/filter/rule/destination", RU_DEV "/filter/rule/ports",
    RU_DEV "/filter/rule/protocol", RU_DEV "/zone/faces", RU_NB "/advertised-prefix", NULL};
const char *const sec003_paths[] = {RU_DEV "/filter/rule/source", RU_DEV "/filter/rule/action",
    "/eraudit-network:network/services/prefix-set/prefix", NULL};
