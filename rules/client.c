/**
 * @file client.c
 * @brief Client routing (checklist "Client routing"): an Internet path for
 * what ExpressRoute does not carry (CLI-001), and a proxy PAC file that
 * sends ExpressRoute endpoints direct (CLI-002).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pac.h"
#include "pacask.h"
#include "servicetags.h"
#include "view.h"

#define CLI_MAX_DETAIL 5

/* CLI-001: an Internet exit exists, and no default route leads into ExpressRoute. */
void
cli001_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct lyd_node *dev;
    size_t i, exits = 0, judged = 0;
    char seen[512];
    struct evidence ev = {.seen = seen, .expected = "an Internet path for endpoints ExpressRoute does not carry"};

    if (ru_net_build(rc, &n))
        return;
    /* Default routes that lead into ExpressRoute break what Microsoft peering does not carry. */
    MODEL_FOR(rc->m->net, "device", dev) {
        struct lyd_node *route;
        struct pfx p;

        if (ru_is_failed(dev))
            continue;
        MODEL_FOR(ru_dev_part(dev, "rib"), "route", route) {
            struct ru_route r;

            if (ru_pfx(model_str(route, "prefix"), &p) || p.len)
                continue;
            ru_route_eval(&n, route, &r);
            judged++;
            ev.path = model_path(route);
            ev.source = SRC_STATE;
            snprintf(seen, sizeof seen, "default route %s on %s: best path via %s", model_str(route, "prefix"),
                    ru_name(dev), r.best ? model_str(r.best, "source") : "none");
            if (r.best && r.best_via == RU_VIA_ER)
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: the default route leads into ExpressRoute, where CDN, "
                        "Front Door, DNS and CRL endpoints are not reachable (routing table)", ru_name(dev));
            else if (r.best && r.best_via == RU_VIA_INET)
                exits++;
        }
    }
    for (i = 0; i < n.n_inet; i++) {
        const struct ru_nb *x = &n.inet[i];
        const char *state = model_str(x->nb, "state");

        if (ru_is_failed(x->dev) || !model_bool(x->nb, "enabled", 1))
            continue;
        judged++;
        ev.path = model_path(x->nb);
        ev.source = state ? SRC_STATE : SRC_CONFIG;
        snprintf(seen, sizeof seen, "Internet neighbor %s on %s%s%s", x->addr, x->dev_name, state ? ", " : "",
                state ? state : "");
        if (state && strcmp(state, "established"))
            continue;
        exits++;
        rule_pass(rc, x->dev_name, NULL, &ev, "%s: Internet routes from %s keep CDN, Front Door, DNS and CRL "
                "endpoints reachable", x->dev_name, x->addr);
    }
    if (!exits && judged) {
        ev.path = NULL;
        ev.source = SRC_STATE;
        snprintf(seen, sizeof seen, "%zu Internet neighbors, none established; no default route via the Internet",
                n.n_inet);
        rule_fail(rc, NULL, NULL, &ev, "no working Internet path: endpoints ExpressRoute does not carry (Azure CDN, "
                "Front Door, public DNS, CRL) are unreachable");
    } else if (!judged) {
        rule_skip(rc, NULL, NULL, "no Internet edge BGP neighbor and no default route collected");
    }
    ru_net_free(&n);
}

struct cli_tally {
    size_t checked, bad, ne;
};

static void
cli002_one(struct rule_ctx *rc, const struct pac *pac, const struct pac_ask *a, struct cli_tally *t)
{
    char seen[1400];
    struct evidence ev = {.seen = seen, .expected = a->expressroute ? "DIRECT (toward the ExpressRoute edge)" :
        "the proxy (Internet path)", .source = SRC_CONFIG};

    if (!a->result) {
        if (t->ne++ < CLI_MAX_DETAIL)
            rule_skip(rc, NULL, NULL, "the PAC file could not be evaluated for %s (%s): %s", a->pattern, a->host,
                    a->why ? a->why : "no result");
        return;
    }
    t->checked++;
    if (pac_is_direct(a->result) == a->expressroute)
        return;
    if (t->bad++ >= CLI_MAX_DETAIL)
        return;
    snprintf(seen, sizeof seen, "%s: %s returns \"%s\" (%s)", a->pattern, a->host, a->result, pac_path(pac));
    rule_fail(rc, NULL, NULL, &ev, "the PAC file sends %s (%s) %s", a->pattern, a->what,
            a->expressroute ? "to the proxy: it is carried by ExpressRoute and should go direct" :
                              "direct: it is Internet-only and should go to the proxy");
}

/*
 * CLI-002: the PAC file sends ExpressRoute endpoints direct and Internet-only ones to the proxy.
 * The PAC was run by a real engine for every endpoint when the reference data was loaded
 * (pacask.c); a result is judged by its first entry, what the client uses while that proxy is up.
 */
void
cli002_check(struct rule_ctx *rc)
{
    const struct pac *pac = ref_pac(rc->ref);
    const struct pac_asks *asks = ref_pac_asks(rc->ref);
    struct cli_tally t = {0};
    char seen[512];
    struct evidence ev = {.seen = seen, .expected = "ExpressRoute endpoints DIRECT, Internet-only ones via the proxy",
        .source = SRC_CONFIG};
    size_t i;

    if (!pac || !asks) {
        rule_skip(rc, NULL, NULL, "no proxy PAC file named in the inventory (services: pac-file); answer the "
                "question with an attestation if clients do not use one");
        return;
    }
    if (asks->error) {
        rule_skip(rc, NULL, NULL, "the PAC engine cannot evaluate the PAC file: %s", asks->error);
        return;
    }
    for (i = 0; i < asks->n; i++)
        cli002_one(rc, pac, &asks->v[i], &t);
    if (t.bad > CLI_MAX_DETAIL) {
        snprintf(seen, sizeof seen, "%zu more endpoints routed the wrong way by %s", t.bad - CLI_MAX_DETAIL,
                pac_path(pac));
        rule_fail(rc, NULL, NULL, &ev, "the PAC file routes %zu more endpoints the wrong way", t.bad - CLI_MAX_DETAIL);
    }
    if (t.ne > CLI_MAX_DETAIL)
        rule_skip(rc, NULL, NULL, "the PAC file could not be evaluated for %zu more endpoints", t.ne - CLI_MAX_DETAIL);
    if (!t.bad && !t.ne) {
        snprintf(seen, sizeof seen, "%zu endpoints checked against %s", t.checked, pac_path(pac));
        rule_pass(rc, NULL, NULL, &ev, "the PAC file sends ExpressRoute endpoints direct and Internet-only ones to "
                "the proxy");
    }
}

const char *const cli001_paths[] = {RU_DEV "/rib/route/prefix", RU_DEV "/rib/route/path/best", RU_NB "/state",
    RU_NB "/enabled", NULL};
const char *const cli002_paths[] = {"/eraudit-network:network/services/prefix-set/name", NULL};
