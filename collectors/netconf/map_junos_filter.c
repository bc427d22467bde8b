/**
 * @file map_junos_filter.c
 * @brief Junos firewall filters (`firewall family inet filter`, and the
 * family-less `firewall filter`) and SRX security (zones, address books,
 * policies) into device/filter and the interfaces' zone.
 *
 * A term or policy matching several sources, destinations, protocols or
 * ports becomes one rule per combination, in order (rules are first-match,
 * so this is exact): rule seq = 1000 x position + combination. A filter
 * term's action: accept gives permit, discard and reject deny, a term with
 * only modifiers (count, log) accepts as Junos does, `next term` adds no
 * rule. An SRX policy's `permit` gives permit, `deny` and `reject` deny;
 * from-zone/to-zone go to the filter (named "from-zone A to-zone B"), each
 * zone's interfaces get the zone. Address-book names (global or the zone's,
 * address-sets expanded), prefix-lists, predefined junos-* applications
 * and configured applications are resolved here. What cannot be resolved
 * exactly (an `except` address, a DNS or range address, an unknown
 * application) costs its term or policy only.
 */
#include "junos.h"

#include <stdio.h>
#include <string.h>

er_code
jn_add(struct jn *j, struct jn_vals *s, const char *v, const struct xr_node *at)
{
    if (s->n == JN_MAX_VALS)
        return ncm_bad(j->c, at, "more than %d values in one match", JN_MAX_VALS);
    snprintf(s->v[s->n++], sizeof s->v[0], "%s", v);
    return ER_OK;
}

er_code
jn_add_svc(struct jn *j, struct jn_svc *s, const char *proto, const char *ports, const struct xr_node *at)
{
    if (s->n == JN_MAX_VALS)
        return ncm_bad(j->c, at, "more than %d services in one match", JN_MAX_VALS);
    snprintf(s->proto[s->n], sizeof s->proto[0], "%s", proto);
    snprintf(s->ports[s->n++], sizeof s->ports[0], "%s", ports);
    return ER_OK;
}

/* One rule per combination of sources, destinations and services. */
er_code
jn_rules(struct jn *j, struct lyd_node *f, unsigned pos, const struct jn_vals *src, const struct jn_vals *dst,
        const struct jn_svc *svc, const char *action, const struct xr_node *at)
{
    struct ncm *c = j->c;
    struct lyd_node *r;
    char seq[16];
    size_t a, b, k, n = 0;
    er_code rc = ER_OK;

    if ((size_t)src->n * dst->n * svc->n > JN_MAX_COMBOS)
        return ncm_bad(c, at, "%zu source, destination and service combinations (at most %d are read)",
                src->n * dst->n * svc->n, JN_MAX_COMBOS);
    for (a = 0; a < src->n; a++) {
        for (b = 0; b < dst->n; b++) {
            for (k = 0; k < svc->n; k++) {
                snprintf(seq, sizeof seq, "%u", pos * 1000 + (unsigned)++n);
                ER_TRY(rc, ncm_list(c, f, "rule", seq, at, &r), done);
                ER_TRY(rc, ncm_leaf(c, r, "source", src->v[a], at), done);
                ER_TRY(rc, ncm_leaf(c, r, "destination", dst->v[b], at), done);
                ER_TRY(rc, ncm_leaf(c, r, "protocol", svc->proto[k], at), done);
                ER_TRY(rc, ncm_leaf(c, r, "ports", svc->ports[k], at), done);
                ER_TRY(rc, ncm_leaf(c, r, "action", action, at), done);
            }
        }
    }
done:
    return rc;
}

void
jn_drop_rules(struct lyd_node *f, unsigned pos)
{
    struct lyd_node *r, *next;
    uint64_t s;

    for (r = model_child(f, "rule"); r; r = next) {
        next = model_next(r);
        if (model_u64(r, "seq", &s) && s / 1000 == pos)
            lyd_free_tree(r);
    }
    /* Freed entries must not be found again through model_list()'s index. */
    model_cache_reset();
}

/* ---- firewall filters ------------------------------------------------ */

/* source-address / destination-address entries, and the -prefix-list ones. */
static er_code
jn_fw_addrs(struct jn *j, const struct xr_node *from, const char *which, struct jn_vals *out)
{
    const struct xr_node *a, *pl, *it;
    char el[64], nb[NCM_TEXT], pb[NCM_TEXT];
    const char *v;
    er_code rc = ER_OK;

    snprintf(el, sizeof el, "%s-address", which);
    XU_FOR(from, el, a) {
        if (!(v = jn_name(a, nb, sizeof nb)))
            return ncm_bad(j->c, a, "%s without an address", el);
        if (xu_child(a, "except"))
            return ncm_bad(j->c, a, "%s %s except is not read: a rule cannot exclude an address", el, v);
        ER_TRY(rc, jn_add(j, out, v, a), done);
    }
    snprintf(el, sizeof el, "%s-prefix-list", which);
    XU_FOR(from, el, a) {
        if (!(v = jn_name(a, nb, sizeof nb)) || !(pl = jn_prefix_list(j, v)))
            return ncm_bad(j->c, a, "%s '%s' is not defined in policy-options", el, v ? v : "");
        if (xu_child(a, "except"))
            return ncm_bad(j->c, a, "%s %s except is not read: a rule cannot exclude an address", el, v);
        XU_FOR(pl, "prefix-list-item", it) {
            const char *p = jn_name(it, pb, sizeof pb);

            if (p)
                ER_TRY(rc, jn_add(j, out, p, it), done);
        }
    }
    if (!out->n)
        rc = jn_add(j, out, "any", from);
done:
    return rc;
}

static er_code
jn_fw_services(struct jn *j, const struct xr_node *from, struct jn_svc *out)
{
    const struct xr_node *p, *d;
    char pb[64], db[64], cb[32], kb[64];
    const char *proto, *port;
    int any_port = 1;
    er_code rc = ER_OK;

    XU_FOR(from, "destination-port", d)
        any_port = 0;
    if (!xu_child(from, "protocol")) {
        if (any_port)
            return jn_add_svc(j, out, "ip", "any", from);
    }
    XU_FOR(from, "protocol", p) {
        if (!(proto = xu_text(p, pb, sizeof pb)) || !*proto)
            continue;
        proto = ncm_protocol(proto, cb, sizeof cb);
        snprintf(kb, sizeof kb, "%s", proto);
        if (any_port) {
            ER_TRY(rc, jn_add_svc(j, out, kb, "any", p), done);
            continue;
        }
        XU_FOR(from, "destination-port", d) {
            if (!(port = jn_port(xu_text(d, db, sizeof db), pb, sizeof pb)))
                return ncm_bad(j->c, d, "destination-port '%s': expected a number, a range or a known name", db);
            ER_TRY(rc, jn_add_svc(j, out, kb, port, d), done);
        }
    }
    /* Ports without a protocol: Junos matches them on TCP and UDP. */
    if (!xu_child(from, "protocol")) {
        XU_FOR(from, "destination-port", d) {
            if (!(port = jn_port(xu_text(d, db, sizeof db), pb, sizeof pb)))
                return ncm_bad(j->c, d, "destination-port '%s': expected a number, a range or a known name", db);
            ER_TRY(rc, jn_add_svc(j, out, "tcp", port, d), done);
            ER_TRY(rc, jn_add_svc(j, out, "udp", port, d), done);
        }
    }
done:
    return rc;
}

static er_code
jn_fw_term(struct jn *j, struct lyd_node *f, unsigned pos, const struct xr_node *t)
{
    const struct xr_node *from = xu_child(t, "from"), *then = xu_child(t, "then"), *nx;
    struct jn_vals src = {0}, dst = {0};
    struct jn_svc svc = {0};
    char nb[32];
    const char *action = "permit", *v;
    er_code rc;

    if (xu_child(then, "discard") || xu_child(then, "reject"))
        action = "deny";
    else if (!xu_child(then, "accept") && (nx = xu_child(then, "next")) && (v = xu_text(nx, nb, sizeof nb)) &&
            !strcmp(v, "term"))
        return ER_OK;   /* counts or logs, then goes on: no verdict of its own */
    ER_TRY(rc, jn_fw_addrs(j, from, "source", &src), done);
    ER_TRY(rc, jn_fw_addrs(j, from, "destination", &dst), done);
    ER_TRY(rc, jn_fw_services(j, from, &svc), done);
    rc = jn_rules(j, f, pos, &src, &dst, &svc, action, t);
done:
    return rc;
}

static er_code
jn_fw_filters(struct jn *j, const struct xr_node *fam)
{
    struct ncm *c = j->c;
    const struct xr_node *x, *t;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    unsigned pos;
    er_code rc = ER_OK;

    XU_FOR(fam, "filter", x) {
        if (!(name = jn_name(x, nb, sizeof nb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, x, "filter without a name")), done);
            continue;
        }
        f = NULL;
        rc = ncm_list(c, c->mc->dev, "filter", name, xu_child(x, "name"), &f);
        ER_TRY(rc, jn_soft(j, f, rc), done);
        if (!f)
            continue;
        pos = 0;
        XU_FOR(x, "term", t) {
            pos++;
            /* A bad term costs its rules: those already added for it are removed with the error. */
            if ((rc = jn_fw_term(j, f, pos, t))) {
                jn_drop_rules(f, pos);
                ER_TRY(rc, jn_soft(j, NULL, rc), done);
            }
        }
    }
done:
    return rc;
}

er_code
jn_firewall(struct jn *j, const struct xr_node *fw)
{
    er_code rc;

    ER_TRY(rc, jn_fw_filters(j, xu_find(fw, "family/inet")), done);
    rc = jn_fw_filters(j, fw);
done:
    return rc;
}
