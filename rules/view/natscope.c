/**
 * @file natscope.c
 * @brief Where a NAT pool applies (see natscope.h): one place that reads
 * a pool's egress interfaces, their zones and links, and the NAT rules'
 * match conditions, for every rule that judges NAT pools.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natscope.h"
#include "view_int.h"

/* The zone of interface @p ifc: its own leaf, else a zone that lists it. */
static const char *
iface_zone(const struct lyd_node *dev, const struct lyd_node *ifc)
{
    const char *zn = model_str(ifc, "zone"), *name = model_str(ifc, "name");
    struct lyd_node *z, *i;

    if (zn)
        return zn;
    MODEL_FOR(dev, "zone", z) {
        MODEL_FOR(z, "interface", i) {
            if (name && !strcmp(model_value(i), name))
                return model_str(z, "name");
        }
    }
    return NULL;
}

/* What classifying one device's egress interfaces needs, made once per device (see view_int.h). */
struct nat_dev {
    const struct ru_net *n;
    const struct lyd_node *dev;
    struct nat_if {
        const char *name;
        struct lyd_node *ifc;
    } *ifs;                          /* the device's interfaces by name; NULL: looked up in the tree */
    size_t n_ifs;
    const struct ru_nb *nb[2];       /* the device's Internet [0] and Microsoft [1] neighbors in n */
    size_t n_nb[2];
    struct lyd_node **nb_if[2];      /* the interface holding each one's address; NULL: found per use */
};

static int
nat_if_cmp(const void *a, const void *b)
{
    return strcmp(((const struct nat_if *)a)->name, ((const struct nat_if *)b)->name);
}

struct nat_dev *
nat_dev_new(const struct ru_net *n, const struct lyd_node *dev)
{
    struct nat_dev *d = calloc(1, sizeof *d);
    struct lyd_node *ifc;
    size_t cap = 0, k;
    int er;

    if (!d)
        return NULL;
    d->n = n;
    d->dev = dev;
    for (er = 0; er < 2; er++)
        d->n_nb[er] = ru_net_dev(n, dev, er, &d->nb[er]);
    /* By name: a NAT rule names its egress interface, and a device may have thousands. */
    MODEL_FOR(dev, "interface", ifc) {
        const char *name = model_str(ifc, "name");

        if (!name)
            continue;
        if (d->n_ifs == cap) {
            void *v = realloc(d->ifs, (cap = cap ? 2 * cap : 64) * sizeof *d->ifs);

            if (!v)
                goto oom;
            d->ifs = v;
        }
        d->ifs[d->n_ifs++] = (struct nat_if){.name = name, .ifc = ifc};
    }
    if (d->n_ifs)
        qsort(d->ifs, d->n_ifs, sizeof *d->ifs, nat_if_cmp);
    /* Each neighbor's interface once, not once per use. */
    for (er = 0; er < 2; er++) {
        if (!d->n_nb[er])
            continue;
        if (!(d->nb_if[er] = malloc(d->n_nb[er] * sizeof *d->nb_if[er])))
            goto oom;
        for (k = 0; k < d->n_nb[er]; k++)
            d->nb_if[er][k] = ru_iface_for(n->rc, dev, &d->nb[er][k].a, NULL);
    }
    return d;
oom:
    /* Still usable: what is missing is looked up the slow way. */
    free(d->ifs);
    d->ifs = NULL;
    d->n_ifs = 0;
    for (er = 0; er < 2; er++) {
        free(d->nb_if[er]);
        d->nb_if[er] = NULL;
    }
    return d;
}

void
nat_dev_free(struct nat_dev *d)
{
    if (!d)
        return;
    free(d->ifs);
    free(d->nb_if[0]);
    free(d->nb_if[1]);
    free(d);
}

static struct lyd_node *
dev_iface(const struct nat_dev *d, const char *name)
{
    struct nat_if key = {.name = name}, *hit;

    if (!d->ifs)
        return model_find(d->dev, "interface", name);
    hit = bsearch(&key, d->ifs, d->n_ifs, sizeof *d->ifs, nat_if_cmp);
    return hit ? hit->ifc : NULL;
}

/* The first neighbor of the device (Microsoft when @p er) whose address is in interface @p ifc's subnet. */
static const struct ru_nb *
iface_nb(const struct nat_dev *d, const struct lyd_node *ifc, int er)
{
    size_t k;

    for (k = 0; k < d->n_nb[er]; k++) {
        if ((d->nb_if[er] ? d->nb_if[er][k] : ru_iface_for(d->n->rc, d->dev, &d->nb[er][k].a, NULL)) == ifc)
            return &d->nb[er][k];
    }
    return NULL;
}

/* Fill the face, zone, peer and circuit of a use on interface u->ifname. */
static void
classify(const struct nat_dev *d, struct ru_nat_use *u)
{
    const struct lyd_node *dev = d->dev;
    struct lyd_node *ifc = dev_iface(d, u->ifname);
    const struct ru_nb *ms, *inet;
    int er, in;

    if (!ifc) {
        u->face = RU_FACE_UNKNOWN;
        return;
    }
    u->zone = iface_zone(dev, ifc);
    ms = iface_nb(d, ifc, 1);
    inet = iface_nb(d, ifc, 0);
    er = ms || ru_iface_faces(dev, ifc, "expressroute");
    in = inet || ru_iface_faces(dev, ifc, "internet");
    if (er && !in) {
        u->face = RU_FACE_ER;
        u->peer = ms ? ms->addr : NULL;
        /* A link known by its zone only belongs to the device's only circuit, if it has one. */
        u->circuit = ms ? ms->circuit : ru_net_circuit_of(d->n, ru_name(dev), NULL);
    } else if (in && !er) {
        u->face = RU_FACE_INET;
        u->peer = inet ? inet->addr : NULL;
    } else {
        u->face = RU_FACE_OTHER;
    }
}

static void
add_use(const struct nat_dev *d, struct ru_nat_scope *s, const char *ifname, const struct lyd_node *rule)
{
    struct ru_nat_use *u;
    struct lyd_node *m;
    size_t i;

    /* The pool's own interface adds nothing when a rule already names it. */
    for (i = 0; !rule && i < s->n_use; i++) {
        if (!strcmp(s->use[i].ifname, ifname))
            return;
    }
    if (s->n_use == RU_SCOPE_USES) {
        s->more++;
        return;
    }
    u = &s->use[s->n_use++];
    memset(u, 0, sizeof *u);
    u->ifname = ifname;
    if (rule) {
        u->rule = model_str(rule, "id");
        MODEL_FOR(rule, "match-source", m) {
            if (!u->n_match++)
                u->match = model_value(m);
        }
    }
    classify(d, u);
}

/* Add the uses of @p pool to @p s (not cleared). */
static void
scope_add(const struct nat_dev *d, const struct lyd_node *pool, struct ru_nat_scope *s)
{
    const char *name = model_str(pool, "name"), *own = model_str(pool, "interface"), *any = s->any_rule;
    size_t before = s->n_use + s->more;
    struct lyd_node *r;

    MODEL_FOR(ru_dev_part(d->dev, "nat"), "rule", r) {
        const char *type = model_str(r, "type"), *rp = model_str(r, "pool"), *eg = model_str(r, "egress-interface");

        /* Destination NAT rewrites what arrives; it gives nothing its source address on egress. */
        if ((type && strcmp(type, "source") && strcmp(type, "static")) || !rp || !name || strcmp(rp, name))
            continue;
        if (!eg || !*eg) {
            if (!s->any_rule)
                s->any_rule = model_str(r, "id");
            continue;
        }
        add_use(d, s, eg, r);
    }
    if (own && *own)
        add_use(d, s, own, NULL);
    else if (s->n_use + s->more == before && s->any_rule == any)
        s->unscoped = 1;             /* nothing says where this pool applies */
}

/* Sum up the uses into the scope's kind and circuit. */
static void
scope_finish(struct ru_nat_scope *s)
{
    unsigned faces = 0;
    size_t i;

    if (s->any_rule) {
        s->kind = RU_SCOPE_ANY;
        return;
    }
    if (!s->n_use || s->unscoped) {
        s->kind = RU_SCOPE_NONE;
        return;
    }
    for (i = 0; i < s->n_use; i++)
        faces |= 1u << s->use[i].face;
    /* Uses beyond those kept are of unknown face: they cannot narrow the scope. */
    if (s->more || (faces != 1u << RU_FACE_ER && faces != 1u << RU_FACE_INET)) {
        s->kind = RU_SCOPE_MIXED;
        return;
    }
    s->kind = faces == 1u << RU_FACE_ER ? RU_SCOPE_ER : RU_SCOPE_INET;
    if (s->kind == RU_SCOPE_ER) {
        s->circuit = s->use[0].circuit;
        for (i = 1; i < s->n_use && s->circuit; i++) {
            if (!s->use[i].circuit || strcmp(s->use[i].circuit, s->circuit))
                s->circuit = NULL;
        }
    }
}

void
nat_dev_scope(const struct nat_dev *d, const struct lyd_node *pool, struct ru_nat_scope *s)
{
    memset(s, 0, sizeof *s);
    scope_add(d, pool, s);
    scope_finish(s);
}

void
nat_dev_scope_members(const struct nat_dev *d, const struct ru_pool *v, const size_t *members, size_t n_members,
        struct ru_nat_scope *s)
{
    size_t k;

    memset(s, 0, sizeof *s);
    for (k = 0; k < n_members; k++)
        scope_add(d, v[members[k]].pool, s);
    scope_finish(s);
}

void
ru_nat_scope(const struct ru_net *n, const struct lyd_node *dev, const struct lyd_node *pool, struct ru_nat_scope *s)
{
    struct nat_dev *d = nat_dev_new(n, dev);
    struct nat_dev slow = {.n = n, .dev = dev};

    /* Without memory for the device's tables, the slow way: every lookup in the tree. */
    if (!d) {
        slow.n_nb[0] = ru_net_dev(n, dev, 0, &slow.nb[0]);
        slow.n_nb[1] = ru_net_dev(n, dev, 1, &slow.nb[1]);
    }
    nat_dev_scope(d ? d : &slow, pool, s);
    nat_dev_free(d);
}

void
ru_pool_scope(const struct ru_net *n, const struct ru_pool *p, struct ru_nat_scope *s)
{
    if (p->sv)
        *s = p->sv->own;
    else
        ru_nat_scope(n, p->dev, p->pool, s);
}

int
ru_nat_scope_group(const struct ru_net *n, const struct ru_pool *v, size_t count, size_t i, struct ru_nat_scope *s,
        size_t *pools)
{
    struct nat_dev *d, slow = {.n = n, .dev = v[i].dev};
    size_t k;

    /* The run's NAT view has it already. */
    if (v[i].sv) {
        *s = v[i].sv->grp;
        *pools = v[i].sv->same;
        return v[i].sv->first;
    }
    memset(s, 0, sizeof *s);
    *pools = 0;
    for (k = i; k-- > 0 && v[k].dev == v[i].dev;) {
        if (pfx_equal(&v[k].p, &v[i].p))
            return 0;
    }
    if (!(d = nat_dev_new(n, v[i].dev))) {
        slow.n_nb[0] = ru_net_dev(n, v[i].dev, 0, &slow.nb[0]);
        slow.n_nb[1] = ru_net_dev(n, v[i].dev, 1, &slow.nb[1]);
    }
    for (k = i; k < count && v[k].dev == v[i].dev; k++) {
        if (k == i || pfx_equal(&v[k].p, &v[i].p)) {
            scope_add(d ? d : &slow, v[k].pool, s);
            (*pools)++;
        }
    }
    nat_dev_free(d);
    scope_finish(s);
    return 1;
}

const char *
ru_nat_scope_ifs(const struct ru_nat_scope *s, char *buf, size_t size)
{
    size_t i, off = 0;

    if (!size)
        return buf;
    buf[0] = '\0';
    for (i = 0; i < s->n_use && off < size; i++) {
        int k = snprintf(buf + off, size - off, "%s%s", i ? ", " : "", s->use[i].ifname);

        off = k < 0 ? size : off + (size_t)k;
    }
    return buf;
}

/* Append the strings up to the NULL to buf (always terminated); returns the new length, capped at size - 1. */
static size_t
append(char *buf, size_t size, size_t off, ...)
{
    const char *p;
    va_list ap;

    va_start(ap, off);
    while ((p = va_arg(ap, const char *))) {
        for (; *p && off + 1 < size; p++)
            buf[off++] = *p;
    }
    va_end(ap);
    buf[off] = '\0';
    return off;
}

/* "et0 (Microsoft neighbor 203.0.113.2, circuit c1; zone er) by NAT rule 7 for 10.1.0.0/16 and 1 more" */
static size_t
use_text(const struct ru_nat_use *u, char *buf, size_t size, size_t off)
{
    char more[32] = "";

    off = append(buf, size, off, u->ifname, " (", (char *)NULL);
    switch (u->face) {
    case RU_FACE_ER:
        off = u->peer ? append(buf, size, off, "Microsoft neighbor ", u->peer, (char *)NULL)
                      : append(buf, size, off, "expressroute zone", (char *)NULL);
        if (u->circuit)
            off = append(buf, size, off, ", circuit ", u->circuit, (char *)NULL);
        break;
    case RU_FACE_INET:
        off = u->peer ? append(buf, size, off, "Internet neighbor ", u->peer, (char *)NULL)
                      : append(buf, size, off, "internet zone", (char *)NULL);
        break;
    case RU_FACE_OTHER:
        off = append(buf, size, off, "toward neither Microsoft nor the Internet alone", (char *)NULL);
        break;
    default:
        off = append(buf, size, off, "not an interface of the device", (char *)NULL);
        break;
    }
    if (u->zone)
        off = append(buf, size, off, "; zone ", u->zone, (char *)NULL);
    off = append(buf, size, off, ")", (char *)NULL);
    if (!u->rule)
        return append(buf, size, off, " as the pool's interface", (char *)NULL);
    off = append(buf, size, off, " by NAT rule ", u->rule, (char *)NULL);
    if (u->match) {
        if (u->n_match > 1)
            snprintf(more, sizeof more, " and %zu more", u->n_match - 1);
        off = append(buf, size, off, " for ", u->match, more, (char *)NULL);
    }
    return off;
}

const char *
ru_nat_scope_text(const struct ru_nat_scope *s, char *buf, size_t size)
{
    size_t off = 0, i;
    char more[48] = "";

    if (!size)
        return buf;
    buf[0] = '\0';
    switch (s->kind) {
    case RU_SCOPE_NONE:
        snprintf(buf, size, "no egress interface for %s in the model: judged as if it translated all traffic",
                s->n_use ? "one of the pools with the prefix" : "the pool");
        return buf;
    case RU_SCOPE_ANY:
        snprintf(buf, size, "NAT rule %s uses the pool on every egress (no egress interface): judged as if it "
                "translated all traffic", s->any_rule);
        return buf;
    case RU_SCOPE_ER:
        off = append(buf, size, off, "translated only on egress toward Microsoft: ", (char *)NULL);
        break;
    case RU_SCOPE_INET:
        off = append(buf, size, off, "translated only on egress toward the Internet: ", (char *)NULL);
        break;
    default:
        off = append(buf, size, off, "translated on egress ", (char *)NULL);
        break;
    }
    for (i = 0; i < s->n_use; i++) {
        if (i)
            off = append(buf, size, off, ", ", (char *)NULL);
        off = use_text(&s->use[i], buf, size, off);
    }
    if (s->more)
        snprintf(more, sizeof more, " and %zu more", s->more);
    append(buf, size, off, more, (char *)NULL);
    return buf;
}
