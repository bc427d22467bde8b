/**
 * @file peer_limit.c
 * @brief PEER-013: an inbound maximum-prefix limit on every Microsoft session
 * (checklist "Peering"; eBGP hygiene after RFC 7454 section 8).
 *
 * Microsoft peering sends at most what the circuit's route filter allows, but
 * a route filter changed in Azure, or a fault on Microsoft's side, can flood
 * the edge; a limit on the session bounds what the router takes in. The
 * finding names the device's own statement (Junos prefix-limit, IOS-XE and
 * IOS-XR maximum-prefix, OpenConfig prefix-limit) from its source model.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

/* Where a source model keeps the limit, for the evidence: the statement the user edits. */
static const struct {
    const char *model, *statement;
} native[] = {
    {"junos", "protocols bgp group ... neighbor %s family inet unicast prefix-limit maximum"},
    {"ios-xe", "router bgp ... address-family ipv4 unicast, neighbor %s maximum-prefix"},
    {"ios-xr", "router bgp ... neighbor %s address-family ipv4 unicast maximum-prefix"},
    {"openconfig", "bgp neighbor %s afi-safi IPV4_UNICAST ipv4-unicast/prefix-limit/config/max-prefixes"},
};

/* The native statement of the limit for neighbor @p addr of @p dev into @p buf. */
static const char *
limit_statement(const struct lyd_node *dev, const char *addr, char *buf, size_t size)
{
    struct lyd_node *sm;
    size_t i;

    MODEL_FOR(dev, "source-model", sm) {
        for (i = 0; i < sizeof native / sizeof native[0]; i++) {
            if (!strcmp(model_value(sm), native[i].model)) {
                snprintf(buf, size, native[i].statement, addr);
                return buf;
            }
        }
    }
    snprintf(buf, size, "a maximum-prefix limit on the session with %s", addr);
    return buf;
}

/* PEER-013 for one Microsoft session. */
static void
peer013_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    struct lyd_node *lim = model_child(x->nb, "max-prefix");
    char seen[384], exp[384], stmt[256];
    struct evidence ev = {.path = model_path(lim ? lim : x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};
    uint64_t max = 0, rcvd = 0;

    (void)n;
    (void)arg;
    if (ru_is_failed(x->dev))
        return;   /* named once by ru_skip_failed() */
    if (!ru_has_config(x->dev)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: no configuration collected for %s", x->dev_name, x->addr);
        return;
    }
    limit_statement(x->dev, x->addr, stmt, sizeof stmt);
    snprintf(exp, sizeof exp, "an inbound prefix limit above what the route filter lets through: %s", stmt);
    if (!model_u64(x->nb, "max-prefix", &max)) {
        snprintf(seen, sizeof seen, "no prefix limit on %s", x->addr);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: the session with %s accepts any number of prefixes (no "
                "maximum-prefix limit)", x->dev_name, x->addr);
    } else if (model_u64(x->nb, "prefixes-received", &rcvd) && rcvd >= max) {
        snprintf(seen, sizeof seen, "limit %" PRIu64 " on %s, %" PRIu64 " prefixes received", max, x->addr, rcvd);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: the limit of %" PRIu64 " prefixes from %s leaves no "
                "headroom: %" PRIu64 " are received already", x->dev_name, max, x->addr, rcvd);
    } else {
        snprintf(seen, sizeof seen, "limit %" PRIu64 " prefixes on %s", max, x->addr);
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: the session with %s accepts at most %" PRIu64 " prefixes",
                x->dev_name, x->addr, max);
    }
}

/* PEER-013: every Microsoft session limits the prefixes it accepts. */
void
peer013_check(struct rule_ctx *rc)
{
    ru_each_ms(rc, "er-edge", NULL, peer013_one, NULL);
}

const char *const peer013_paths[] = {RU_NB "/max-prefix", RU_NB "/prefixes-received", NULL};
