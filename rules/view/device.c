/**
 * @file device.c
 * @brief Devices and circuits as the rules see them: names, roles, collection status, parts of a device, the circuit a neighbor belongs to.
 */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

const char *
ru_name(const struct lyd_node *dev)
{
    const char *n = model_str(dev, "name");

    return n ? n : "?";
}

int
ru_is_role(const struct lyd_node *dev, const char *role)
{
    const char *r = model_str(dev, "role");

    return r && !strcmp(r, role);
}

int
ru_role_in(const struct lyd_node *dev, const char *roles)
{
    const char *r = model_str(dev, "role"), *s = roles;
    size_t l;

    if (!r)
        return 0;
    l = strlen(r);
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t tl = e ? (size_t)(e - s) : strlen(s);

        if (tl == l && !strncmp(s, r, l))
            return 1;
        s = e ? e + 1 : NULL;
    }
    return 0;
}

int
ru_is_failed(const struct lyd_node *dev)
{
    const char *st = model_str(model_child(dev, "collection"), "status");

    return st && !strcmp(st, "failed");
}

int
ru_is_partial(const struct lyd_node *dev)
{
    const char *st = model_str(model_child(dev, "collection"), "status");

    return st && !strcmp(st, "partial");
}

size_t
ru_skip_failed(struct rule_ctx *rc, const char *roles)
{
    struct lyd_node *dev;
    size_t n = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        if (ru_role_in(dev, roles) && ru_failed(rc, dev))
            n++;
    }
    return n;
}

int
ru_failed(struct rule_ctx *rc, const struct lyd_node *dev)
{
    const char *st = model_str(model_child(dev, "collection"), "status");
    const char *why;

    if (!st || strcmp(st, "failed"))
        return 0;
    why = model_str(model_child(dev, "collection"), "reason");
    rule_skip(rc, ru_name(dev), NULL, "%s: not collected (%s), so not evaluated", ru_name(dev),
            why ? why : "no reason given");
    return 1;
}

int
ru_has_config(const struct lyd_node *dev)
{
    struct lyd_node *sm;
    int any = 0;

    /* A device read only through SNMP MIBs has routing state but no policies. */
    MODEL_FOR(dev, "source-model", sm) {
        const char *v = model_value(sm);
        size_t l = strlen(v);

        any = 1;
        if (l < 4 || strcmp(v + l - 4, "-mib"))
            return 1;
    }
    return !any;
}

struct lyd_node *
ru_dev_part(const struct lyd_node *dev, const char *name)
{
    struct lyd_node *first = dev ? lyd_child(dev) : NULL, *c;

    if (!first)
        return NULL;
    /* libyang keeps siblings in schema order and first->prev is the last one. */
    for (c = first->prev;; c = c->prev) {
        if (c->schema && !strcmp(c->schema->name, name))
            return c;
        if (c == first)
            return NULL;
    }
}

struct lyd_node *
ru_rib(const struct lyd_node *dev)
{
    struct lyd_node *rib = ru_dev_part(dev, "rib");

    return rib && (model_child(rib, "route") || model_child(rib, "routes-read")) ? rib : NULL;
}

int
ru_pfx(const char *s, struct pfx *p)
{
    return s ? pfx_parse(s, p, 0) : -1;
}

static int
end_is(const struct lyd_node *end, const char *dev, const char *addr)
{
    const char *d = model_str(end, "device"), *a = model_str(end, "neighbor");

    return end && d && a && !strcmp(d, dev) && !strcmp(a, addr);
}

static int
end_dev(const struct lyd_node *end, const char *dev)
{
    const char *d = model_str(end, "device");

    return d && !strcmp(d, dev);
}

const char *
ru_circuit_of(const struct er_model *m, const char *dev, const char *addr)
{
    struct lyd_node *c;
    const char *only = NULL;
    int n = 0;

    MODEL_FOR(m->net, "circuit", c) {
        struct lyd_node *p = model_child(c, "primary"), *s = model_child(c, "secondary");

        if (addr && (end_is(p, dev, addr) || end_is(s, dev, addr)))
            return model_str(c, "name");
        if (end_dev(p, dev) || end_dev(s, dev)) {
            only = model_str(c, "name");
            n++;
        }
    }
    return n == 1 ? only : NULL;
}
