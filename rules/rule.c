/** @file rule.c @brief How rules report findings. */
#include "rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DEV_PATH "/eraudit-network:network/device/"

/* Whether schema path @p path (a rule's) reads model part @p part ("filter/rule", "*"), below or above it. */
static int
reads_part(const char *path, const char *part)
{
    size_t pl = strlen(part), rl;

    if (strncmp(path, DEV_PATH, sizeof DEV_PATH - 1))
        return 0;
    if (!strcmp(part, "*"))
        return 1;
    path += sizeof DEV_PATH - 1;
    rl = strlen(path);
    if (rl >= pl)
        return !strncmp(path, part, pl) && (path[pl] == '/' || !path[pl]);
    return !strncmp(part, path, rl) && part[rl] == '/';
}

/* The first skipped part of @p dev that the running rule reads (collection/skipped), NULL if none. */
static const struct lyd_node *
hole_of(const struct rule_ctx *rc, const struct lyd_node *dev)
{
    const char *const *p;
    struct lyd_node *sk;

    MODEL_FOR(model_child(dev, "collection"), "skipped", sk) {
        for (p = rc->rule->paths; p && *p; p++) {
            if (reads_part(*p, model_str(sk, "part")))
                return sk;
        }
    }
    return NULL;
}

/*
 * A verdict on @p device (or the devices of @p circuit, or the whole network)
 * that would rest on elements skipped as unreadable: the device and the hole.
 */
static const struct lyd_node *
hole(const struct rule_ctx *rc, const char *device, const char *circuit, const struct lyd_node **dev)
{
    static const char *const ends[] = {"primary", "secondary"};
    const struct lyd_node *c, *sk;
    struct lyd_node *d;
    size_t i;

    if (!rc->m || !rc->m->net || !rc->rule->paths)
        return NULL;
    if (device)
        return (*dev = model_find_device(rc->m, device)) ? hole_of(rc, *dev) : NULL;
    if (circuit && (c = model_find(rc->m->net, "circuit", circuit))) {
        for (i = 0; i < 2; i++) {
            const char *name = model_str(model_child(c, ends[i]), "device");

            if (name && (*dev = model_find_device(rc->m, name)) && (sk = hole_of(rc, *dev)))
                return sk;
        }
        return NULL;
    }
    MODEL_FOR(rc->m->net, "device", d) {
        if ((sk = hole_of(rc, d))) {
            *dev = d;
            return sk;
        }
    }
    return NULL;
}

void
rule_report(struct rule_ctx *rc, enum er_status st, int sev, const char *device, const char *circuit,
        const struct evidence *ev, const char *fmt, ...)
{
    struct finding f = {0};
    const struct lyd_node *sk = NULL, *dev = NULL;
    char msg[1024], held[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Never a verdict built on a hole: what the rule reads lost elements on that device. */
    if ((st == ST_PASS || st == ST_FAIL) && (sk = hole(rc, device, circuit, &dev))) {
        const char *first = model_str(sk, "element");

        const char *n = model_str(sk, "count");

        snprintf(held, sizeof held, "%s: not evaluated, %s unreadable element%s of %s skipped (%s); it would "
                "have said: %s", model_str(dev, "name"), n, strcmp(n, "1") ? "s" : "", model_str(sk, "part"),
                first ? first : "no message", msg);
        memcpy(msg, held, sizeof msg);
        st = ST_NOT_EVALUATED;
        ev = NULL;
    }
    f.rule = rc->rule->id;
    f.sev = sev < 0 ? rc->rule->sev : (enum er_sev)sev;
    f.section = rc->rule->section;
    f.status = st;
    f.device = (char *)device;
    f.circuit = (char *)circuit;
    f.message = msg;
    if (ev) {
        f.path = (char *)ev->path;
        f.seen = (char *)ev->seen;
        f.expected = (char *)ev->expected;
        f.source = ev->source;
    } else {
        f.source = SRC_COLLECTION;
    }
    f.remediation = st == ST_FAIL ? rc->rule->remediation : NULL;
    if (findings_add(rc->out, &f) && !rc->rc)
        rc->rc = ER_ENOMEM;
}
