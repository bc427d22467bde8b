/**
 * @file util.c
 * @brief Helpers shared by the built-in rules (ru_* module).
 */
#include "util.h"
#include "../src/model_reads.h"

#include <pthread.h>
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

    model_reads_note_child(dev, name);
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

static int
nb_push(struct ru_nb **v, size_t *n, size_t *cap, const struct ru_nb *x)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct ru_nb *nv = realloc(*v, c * sizeof *nv);

        if (!nv)
            return -1;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = *x;
    return 0;
}

static int
index_nbs(struct ptrie **t, const struct ru_nb *v, size_t n)
{
    size_t i;

    if (!(*t = ptrie_new()))
        return -1;
    for (i = 0; i < n; i++) {
        if (ptrie_insert(*t, &v[i].a, (void *)(uintptr_t)(i + 1)))
            return -1;
    }
    return 0;
}

static int
svc_push(struct ru_net *n, size_t *cap, const struct pfx *p)
{
    if (n->n_svc == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        struct pfx *v = realloc(n->svc, c * sizeof *v);

        if (!v)
            return -1;
        n->svc = v;
        *cap = c;
    }
    n->svc[n->n_svc++] = *p;
    return 0;
}

/* Microsoft prefixes: the services sets, else every route with a path from Microsoft. */
static int
collect_svc(struct ru_net *n)
{
    const struct er_model *m = n->rc->m;
    struct lyd_node *set, *p, *dev, *route, *path;
    struct ptrie *seen = NULL;
    size_t cap = 0;
    struct pfx x;
    int rv = -1, found;

    MODEL_FOR(model_child(m->net, "services"), "prefix-set", set) {
        MODEL_FOR(set, "prefix", p) {
            if (!ru_pfx(model_value(p), &x) && svc_push(n, &cap, &x))
                return -1;
        }
    }
    if (n->n_svc)
        return 0;
    n->svc_from_rib = 1;
    if (!(seen = ptrie_new()))
        return -1;
    MODEL_FOR(m->net, "device", dev) {
        MODEL_FOR(ru_dev_part(dev, "rib"), "route", route) {
            if (ru_pfx(model_str(route, "prefix"), &x))
                continue;
            MODEL_FOR(route, "path", path) {
                if (ru_path_via(n, path) != RU_VIA_ER)
                    continue;
                ptrie_get(seen, &x, &found);
                if (!found && (ptrie_insert(seen, &x, route) || svc_push(n, &cap, &x)))
                    goto cleanup;
                break;
            }
        }
    }
    rv = 0;
cleanup:
    ptrie_free(seen);
    return rv;
}

static int net_build(struct rule_ctx *rc, struct ru_net *n);
struct if_index;
struct if_dev;
static void if_index_free(struct if_index *x);
static const struct if_dev *if_lookup(struct rule_ctx *rc, const struct lyd_node *dev);

/*
 * Every rule asks for the same picture of the network's BGP edges: the first
 * one builds it (with the Microsoft prefixes), the others borrow a copy.
 */
int
ru_net_build(struct rule_ctx *rc, struct ru_net *n)
{
    struct ru_net *c;

    if (rc->shared && rc->shared->net) {
        *n = *(struct ru_net *)rc->shared->net;
        n->rc = rc;
        n->borrowed = 1;
        return 0;
    }
    if (net_build(rc, n))
        return -1;
    /* Once the rules run on several threads, what is shared is only read. */
    if (!rc->shared || rc->shared->sealed)
        return 0;
    if (ru_net_svc(n) || !(c = malloc(sizeof *c))) {
        ru_net_free(n);
        if (!rc->rc)
            rc->rc = ER_ENOMEM;
        return -1;
    }
    *c = *n;
    rc->shared->net = c;
    n->borrowed = 1;
    return 0;
}

/* The interface index of every device, on a thread of its own. */
static void *
prepare_ifidx(void *arg)
{
    struct rule_ctx *rc = arg;
    struct lyd_node *dev;

    MODEL_FOR(rc->m->net, "device", dev)
        if_lookup(rc, dev);
    return NULL;
}

void
rule_shared_prepare(struct rule_ctx *rc)
{
    struct rule_ctx side = *rc;
    struct ru_net n;
    pthread_t tid;
    int threaded;

    if (!rc->shared || rc->shared->sealed)
        return;
    /* The BGP picture and the interface index touch different parts of the
     * shared state: they are made side by side. Whatever cannot be made here
     * (memory) each rule makes for itself later. */
    /* A traced run (model_reads) records this thread's reads: all made here. */
    threaded = !model_reads_cur && !pthread_create(&tid, NULL, prepare_ifidx, &side);
    if (!ru_net_build(rc, &n))
        ru_net_free(&n);
    if (threaded)
        pthread_join(tid, NULL);
    else
        prepare_ifidx(&side);
    rc->rc = ER_OK;
    rc->shared->sealed = 1;
}

void
rule_shared_free(struct rule_shared *sh)
{
    if (!sh)
        return;
    if_index_free(sh->ifidx);
    sh->ifidx = NULL;
    if (!sh->net)
        return;
    ((struct ru_net *)sh->net)->borrowed = 0;
    ru_net_free(sh->net);
    free(sh->net);
    sh->net = NULL;
}

static int
devnbs_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct ru_devnbs *)a)->dev, y = (uintptr_t)((const struct ru_devnbs *)b)->dev;

    return x < y ? -1 : x > y;
}

static int
devnbs_push(struct ru_net *n, size_t *cap, const struct lyd_node *dev, size_t ms0, size_t n_ms, size_t inet0,
        size_t n_inet)
{
    if (n->n_devs == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        struct ru_devnbs *v = realloc(n->devs, c * sizeof *v);

        if (!v)
            return -1;
        n->devs = v;
        *cap = c;
    }
    n->devs[n->n_devs++] = (struct ru_devnbs){.dev = dev, .ms0 = ms0, .n_ms = n_ms, .inet0 = inet0, .n_inet = n_inet};
    return 0;
}

size_t
ru_net_dev(const struct ru_net *n, const struct lyd_node *dev, int er, const struct ru_nb **first)
{
    struct ru_devnbs key = {.dev = dev};
    const struct ru_devnbs *d = n->n_devs ? bsearch(&key, n->devs, n->n_devs, sizeof *n->devs, devnbs_cmp) : NULL;

    *first = NULL;
    if (!d)
        return 0;
    *first = er ? n->ms + d->ms0 : n->inet + d->inet0;
    return er ? d->n_ms : d->n_inet;
}

/* Every interface address of every device, as a host prefix -> the device. */
static int
index_dev_addrs(struct rule_ctx *rc, struct ptrie **t)
{
    struct lyd_node *dev, *ifc, *ad;
    struct pfx a;

    if (!(*t = ptrie_new()))
        return -1;
    MODEL_FOR(rc->m->net, "device", dev) {
        MODEL_FOR(dev, "interface", ifc) {
            MODEL_FOR(ifc, "address", ad) {
                if (!ru_pfx(model_str(ad, "ip"), &a) && ptrie_insert(*t, &a, dev))
                    return -1;
            }
        }
    }
    return 0;
}

/* The (device, neighbor address) ends of every circuit, sorted for bsearch: built once per picture. */
struct circuit_ends {
    struct { const char *dev, *addr; } *v;
    size_t n;
};

static int
end_cmp(const void *pa, const void *pb)
{
    const struct { const char *dev, *addr; } *a = pa, *b = pb;
    int c = strcmp(a->dev, b->dev);

    return c ? c : strcmp(a->addr, b->addr);
}

static int
circuit_ends_build(const struct er_model *m, struct circuit_ends *ce)
{
    struct lyd_node *c;
    size_t cap = 0;
    static const char *const which[] = {"primary", "secondary"};

    memset(ce, 0, sizeof *ce);
    MODEL_FOR(m->net, "circuit", c) {
        for (size_t k = 0; k < 2; k++) {
            const struct lyd_node *end = model_child(c, which[k]);
            const char *d = model_str(end, "device"), *a = model_str(end, "neighbor");

            if (!end || !d || !a)
                continue;
            if (ce->n == cap) {
                void *v = realloc(ce->v, (cap = cap ? 2 * cap : 64) * sizeof *ce->v);

                if (!v)
                    return -1;
                ce->v = v;
            }
            ce->v[ce->n].dev = d;
            ce->v[ce->n++].addr = a;
        }
    }
    if (ce->n)
        qsort(ce->v, ce->n, sizeof *ce->v, end_cmp);
    return 0;
}

static int
circuit_end_is(const struct circuit_ends *ce, const char *dev, const char *addr)
{
    struct { const char *dev, *addr; } key = {dev, addr};

    return ce->n && bsearch(&key, ce->v, ce->n, sizeof *ce->v, end_cmp);
}

/* The subnets of @p dev's interfaces that face the Internet (zone), made once per device. */
static int
inet_subnets(const struct lyd_node *dev, struct pfx **v, size_t *n, size_t *cap)
{
    struct lyd_node *ifc, *ad;
    uint64_t len;

    *n = 0;
    MODEL_FOR(dev, "interface", ifc) {
        if (!ru_iface_faces(dev, ifc, "internet"))
            continue;
        MODEL_FOR(ifc, "address", ad) {
            struct pfx net;

            if (!model_u64(ad, "prefix-length", &len) || pfx_parse_addr(model_str(ad, "ip"), (unsigned)len, &net))
                continue;
            if (*n == *cap) {
                void *x = realloc(*v, (*cap = *cap ? 2 * *cap : 8) * sizeof **v);

                if (!x)
                    return -1;
                *v = x;
            }
            (*v)[(*n)++] = net;
        }
    }
    return 0;
}

/*
 * 1 when eBGP neighbor @p a (address @p addr, peer AS @p pas) of ExpressRoute
 * edge @p dev_name is an Internet provider (a combined edge): one of the
 * device's Internet-facing subnets @p nets holds its address, or its AS is
 * public (not private, reserved, documentation or AS_TRANS): an internal eBGP
 * peer has a private AS. A neighbor the inventory names as a circuit's end
 * never counts.
 */
static int
er_edge_inet_nb(const struct circuit_ends *ce, const struct pfx *nets, size_t n_nets, const char *dev_name,
        const char *addr, const struct pfx *a, uint64_t pas)
{
    size_t i;

    /* A neighbor the inventory names as a circuit's end is a Microsoft session, whatever AS it has. */
    if (circuit_end_is(ce, dev_name, addr))
        return 0;
    if (pas != 0 && pas != 23456 && !(pas >= 64496 && pas <= 131071) && pas < 4200000000ULL)
        return 1;
    for (i = 0; i < n_nets; i++) {
        if (pfx_contains(&nets[i], a))
            return 1;
    }
    return 0;
}

static int
net_build(struct rule_ctx *rc, struct ru_net *n)
{
    struct lyd_node *dev, *bgp, *nb;
    size_t cap_ms = 0, cap_inet = 0, cap_devs = 0, n_nets = 0, cap_nets = 0;
    struct circuit_ends ce;
    struct pfx *nets = NULL;

    memset(n, 0, sizeof *n);
    n->rc = rc;
    /* Combined edges are judged per neighbor: the circuits' ends and each edge's Internet subnets are made once. */
    if (circuit_ends_build(rc->m, &ce))
        goto oom;
    n->ms_as = (uint32_t)ref_limit(rc->ref, "microsoft-as", 12076);
    MODEL_FOR(rc->m->net, "device", dev) {
        uint64_t las = 0, pas;
        size_t ms0 = n->n_ms, inet0 = n->n_inet;
        int has_las;

        if (!(bgp = ru_dev_part(dev, "bgp")))
            continue;
        has_las = model_u64(bgp, "local-as", &las);
        if (ru_is_role(dev, "er-edge") && inet_subnets(dev, &nets, &n_nets, &cap_nets))
            goto oom;
        MODEL_FOR(bgp, "neighbor", nb) {
            struct ru_nb x = {.dev = dev, .nb = nb, .dev_name = ru_name(dev), .addr = model_str(nb, "address")};

            if (ru_pfx(x.addr, &x.a))
                continue;
            if (!model_u64(nb, "peer-as", &pas)) {
                /* A 4-byte peer AS shown as AS_TRANS: not Microsoft's, and eBGP when the local AS has 2 bytes. */
                if (!model_str(nb, "peer-as-unknown") || !has_las || las > 65535)
                    continue;
                pas = UINT32_MAX;
            }
            if (pas == n->ms_as && (!has_las || las != pas)) {
                /* Only Microsoft sessions belong to circuits; the lookup scans the circuits. */
                x.circuit = ru_circuit_of(rc->m, x.dev_name, x.addr);
                if (nb_push(&n->ms, &n->n_ms, &cap_ms, &x))
                    goto oom;
            } else if (pas != n->ms_as && (!has_las || las != pas) && (ru_is_role(dev, "internet-edge") ||
                               (ru_is_role(dev, "er-edge") && er_edge_inet_nb(&ce, nets, n_nets, x.dev_name, x.addr, &x.a, pas)))) {
                if (nb_push(&n->inet, &n->n_inet, &cap_inet, &x))
                    goto oom;
            }
        }
        if ((n->n_ms > ms0 || n->n_inet > inet0) &&
                devnbs_push(n, &cap_devs, dev, ms0, n->n_ms - ms0, inet0, n->n_inet - inet0))
            goto oom;
    }
    if (n->n_devs)
        qsort(n->devs, n->n_devs, sizeof *n->devs, devnbs_cmp);
    if (index_nbs(&n->ms_addr, n->ms, n->n_ms) || index_nbs(&n->inet_addr, n->inet, n->n_inet) ||
            index_dev_addrs(rc, &n->dev_addr))
        goto oom;
    free(ce.v);
    free(nets);
    return 0;
oom:
    free(ce.v);
    free(nets);
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
    return -1;
}

int
ru_net_svc(struct ru_net *n)
{
    if (n->svc_done)
        return 0;
    n->svc_done = 1;
    if (!collect_svc(n))
        return 0;
    if (!n->rc->rc)
        n->rc->rc = ER_ENOMEM;
    return -1;
}

void
ru_net_free(struct ru_net *n)
{
    if (!n)
        return;
    if (n->borrowed) {
        memset(n, 0, sizeof *n);
        return;
    }
    free(n->ms);
    free(n->inet);
    free(n->devs);
    ptrie_free(n->ms_addr);
    ptrie_free(n->inet_addr);
    ptrie_free(n->dev_addr);
    free(n->svc);
    memset(n, 0, sizeof *n);
}

int
ru_is_ms(const struct ru_net *n, const struct lyd_node *nb)
{
    size_t i;

    for (i = 0; i < n->n_ms; i++) {
        if (n->ms[i].nb == nb)
            return 1;
    }
    return 0;
}

enum ru_via
ru_path_via(const struct ru_net *n, const struct lyd_node *path)
{
    const char *src = model_str(path, "source"), *asp = model_str(path, "as-path");
    struct pfx a;
    int found = 0;

    if (src && !ru_pfx(src, &a)) {
        ptrie_get(n->ms_addr, &a, &found);
        if (found)
            return RU_VIA_ER;
        ptrie_get(n->inet_addr, &a, &found);
        if (found)
            return RU_VIA_INET;
    }
    /*
     * Learned over iBGP: it came in over ExpressRoute when Microsoft's AS is
     * the first of the path (only a session with Microsoft puts it first; a
     * path with 12076 further on came through another AS: the Internet),
     * unless its next hop (else the router that announced it) is an
     * Internet edge.
     */
    if (asp) {
        const char *s = asp, *nh = model_str(path, "next-hop");
        const struct lyd_node *by_src = NULL, *by_nh = NULL;
        int any = 0;

        if (src && !ru_pfx(src, &a))
            by_src = ptrie_get(n->dev_addr, &a, &found);
        if (nh && !ru_pfx(nh, &a))
            by_nh = ptrie_get(n->dev_addr, &a, &found);

        while (*s) {
            char *end;
            unsigned long as;

            while (*s == ' ' || *s == '{' || *s == '}' || *s == ',')
                s++;
            if (!*s)
                break;
            as = strtoul(s, &end, 10);
            if (end == s)
                break;
            if (!any++ && as == n->ms_as) {
                /* The next hop is where traffic goes; without one known, the router that announced it.
                 * A route reflector or WAN router in between keeps the path ExpressRoute's. */
                const struct lyd_node *via = by_nh ? by_nh : nh ? NULL : by_src;

                return via && ru_is_role(via, "internet-edge") ? RU_VIA_OTHER : RU_VIA_ER;
            }
            s = end;
        }
        if (any)
            return RU_VIA_INET;
    }
    return RU_VIA_OTHER;
}

int
ru_path_igp(const struct lyd_node *path)
{
    const char *proto = model_str(path, "protocol");

    return proto && strcmp(proto, "bgp") && !model_str(path, "as-path");
}

uint32_t
ru_path_lp(const struct lyd_node *path)
{
    uint64_t lp;

    return model_u64(path, "local-preference", &lp) ? (uint32_t)lp : RU_DEFAULT_LP;
}

void
ru_route_eval(const struct ru_net *n, struct lyd_node *route, struct ru_route *out)
{
    struct lyd_node *path, *top = NULL;
    uint32_t top_lp = 0;

    memset(out, 0, sizeof *out);
    out->route = route;
    MODEL_FOR(route, "path", path) {
        enum ru_via via = ru_path_via(n, path);
        uint32_t lp = ru_path_lp(path);

        if (!out->best && model_bool(path, "best", 0)) {
            out->best = path;
            out->best_via = via;
        }
        /* Without a best flag the highest local-pref wins; on a tie we cannot prove ER wins. */
        if (!top || lp > top_lp || (lp == top_lp && via != RU_VIA_ER)) {
            top = path;
            top_lp = lp;
        }
        if (via == RU_VIA_ER) {
            if (!out->er || lp > out->er_lp)
                out->er = path, out->er_lp = lp;
            if (out->er == path || lp < out->er_lp_min)
                out->er_lp_min = lp;
        } else if (via == RU_VIA_INET && (!out->inet || lp > out->inet_lp)) {
            out->inet = path;
            out->inet_lp = lp;
        }
    }
    if (!out->best && top) {
        out->best = top;
        out->best_via = ru_path_via(n, top);
    }
}

struct contained_arg {
    const struct pfx *outer;
    struct ptrie *seen;
    const struct ru_net *n;
    void (*cb)(const struct ru_route *r, void *arg);
    void *arg;
    long visited;
    int oom, hit;
};

static void
visit(struct contained_arg *ca, const struct pfx *p, struct lyd_node *route)
{
    struct ru_route r;
    int found;

    ptrie_get(ca->seen, p, &found);
    if (found)
        return;
    if (ptrie_insert(ca->seen, p, route)) {
        ca->oom = 1;
        return;
    }
    ru_route_eval(ca->n, route, &r);
    ca->cb(&r, ca->arg);
    ca->visited++;
}

static int
contained_cb(const struct pfx *found, void *value, void *arg)
{
    struct contained_arg *ca = arg;

    if (found->len > ca->outer->len && pfx_contains(ca->outer, found)) {
        ca->hit = 1;
        visit(ca, found, value);
    }
    return ca->oom;
}

long
ru_ms_routes(const struct ru_net *n, const struct lyd_node *dev,
        void (*cb)(const struct ru_route *r, void *arg), void *arg, size_t *uncovered, struct pfx *first_uncovered)
{
    struct contained_arg ca = {.n = n, .cb = cb, .arg = arg};
    struct ptrie *rib = ptrie_new();
    struct lyd_node *route;
    struct pfx p, match;
    void *val;
    size_t i;

    *uncovered = 0;
    ca.seen = ptrie_new();
    if (!rib || !ca.seen)
        goto oom;
    MODEL_FOR(ru_dev_part(dev, "rib"), "route", route) {
        if (!ru_pfx(model_str(route, "prefix"), &p) && ptrie_insert(rib, &p, route))
            goto oom;
    }
    for (i = 0; i < n->n_svc && !ca.oom; i++) {
        int covered = 0;

        ca.outer = &n->svc[i];
        ca.hit = 0;
        if (ptrie_lookup(rib, &n->svc[i], &match, &val)) {
            covered = 1;
            visit(&ca, &match, val);
        }
        ptrie_overlaps(rib, &n->svc[i], contained_cb, &ca);
        if (!covered && !ca.hit && !(*uncovered)++ && first_uncovered)
            *first_uncovered = n->svc[i];
    }
    if (ca.oom)
        goto oom;
    ptrie_free(rib);
    ptrie_free(ca.seen);
    return ca.visited;
oom:
    ptrie_free(rib);
    ptrie_free(ca.seen);
    return -1;
}

unsigned
ru_export_prepend(const struct lyd_node *dev, const struct lyd_node *nb)
{
    struct lyd_node *pn, *pol, *term;
    unsigned best = 0;
    uint64_t v;

    MODEL_FOR(nb, "export-policy", pn) {
        if (!(pol = model_find(dev, "policy", model_value(pn))))
            continue;
        MODEL_FOR(pol, "term", term) {
            if (model_u64(term, "set-prepend-count", &v) && v > best)
                best = (unsigned)v;
        }
    }
    return best;
}

/* One interface address of a device, parsed. */
struct if_sub {
    struct pfx net;
    struct lyd_node *ifc;
};

/* The interface subnets of one device, in tree order. */
struct if_dev {
    const struct lyd_node *dev;
    struct if_sub *v;
    size_t n;
};

/* Per-run index: open addressing on the device pointer. */
struct if_index {
    struct if_dev *slots;
    size_t cap, n;
};

static size_t
if_hash(const struct lyd_node *dev, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)dev * 0x9e3779b97f4a7c15ULL;

    return (size_t)(h >> 32) & (cap - 1);
}

static int
if_subnets(const struct lyd_node *dev, struct if_sub **out, size_t *count)
{
    struct lyd_node *ifc, *ad;
    size_t cap = 0;
    uint64_t len;

    *out = NULL;
    *count = 0;
    MODEL_FOR(dev, "interface", ifc) {
        MODEL_FOR(ifc, "address", ad) {
            struct pfx net;

            if (!model_u64(ad, "prefix-length", &len) || pfx_parse_addr(model_str(ad, "ip"), (unsigned)len, &net))
                continue;
            if (*count == cap) {
                size_t c = cap ? cap * 2 : 16;
                struct if_sub *v = realloc(*out, c * sizeof *v);

                if (!v)
                    return -1;
                *out = v;
                cap = c;
            }
            (*out)[(*count)++] = (struct if_sub){.net = net, .ifc = ifc};
        }
    }
    return 0;
}

/* The device's entry in the run's index, made on first use; NULL without an index or memory. */
static const struct if_dev *
if_lookup(struct rule_ctx *rc, const struct lyd_node *dev)
{
    struct if_index *x;
    struct if_dev *e;
    size_t i;

    if (!rc || !rc->shared)
        return NULL;
    if (rc->shared->sealed) {
        /* Made before the rules started: a lookup, never an insert. */
        if (!(x = rc->shared->ifidx) || !x->cap)
            return NULL;
        for (i = if_hash(dev, x->cap); x->slots[i].dev; i = (i + 1) & (x->cap - 1)) {
            if (x->slots[i].dev == dev)
                return &x->slots[i];
        }
        return NULL;
    }
    if (!(x = rc->shared->ifidx)) {
        if (!(x = calloc(1, sizeof *x)))
            return NULL;
        rc->shared->ifidx = x;
    }
    if (x->n * 2 >= x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256, j;
        struct if_dev *slots = calloc(cap, sizeof *slots);

        if (!slots)
            return NULL;
        for (j = 0; j < x->cap; j++) {
            if (!x->slots[j].dev)
                continue;
            for (i = if_hash(x->slots[j].dev, cap); slots[i].dev; i = (i + 1) & (cap - 1))
                ;
            slots[i] = x->slots[j];
        }
        free(x->slots);
        x->slots = slots;
        x->cap = cap;
    }
    for (i = if_hash(dev, x->cap); x->slots[i].dev; i = (i + 1) & (x->cap - 1)) {
        if (x->slots[i].dev == dev)
            return &x->slots[i];
    }
    e = &x->slots[i];
    if (if_subnets(dev, &e->v, &e->n)) {
        free(e->v);
        e->v = NULL;
        return NULL;
    }
    e->dev = dev;
    x->n++;
    return e;
}

static void
if_index_free(struct if_index *x)
{
    size_t i;

    if (!x)
        return;
    for (i = 0; i < x->cap; i++)
        free(x->slots[i].v);
    free(x->slots);
    free(x);
}

struct lyd_node *
ru_iface_for(struct rule_ctx *rc, const struct lyd_node *dev, const struct pfx *a, struct pfx *subnet)
{
    const struct if_dev *d = if_lookup(rc, dev);
    struct if_sub *v;
    size_t n, i;
    struct lyd_node *hit = NULL;

    if (d) {
        v = d->v;
        n = d->n;
    } else if (if_subnets(dev, &v, &n)) {
        free(v);
        return NULL;
    }
    for (i = 0; i < n && !hit; i++) {
        if (pfx_contains(&v[i].net, a)) {
            if (subnet)
                *subnet = v[i].net;
            hit = v[i].ifc;
        }
    }
    if (!d)
        free(v);
    return hit;
}

int
ru_iface_faces(const struct lyd_node *dev, const struct lyd_node *ifc, const char *faces)
{
    const char *ifname = model_str(ifc, "name"), *zn = model_str(ifc, "zone");
    struct lyd_node *z, *i;

    MODEL_FOR(dev, "zone", z) {
        const char *f = model_str(z, "faces"), *name = model_str(z, "name");

        if (!f || strcmp(f, faces))
            continue;
        if (zn && name && !strcmp(zn, name))
            return 1;
        MODEL_FOR(z, "interface", i) {
            if (ifname && !strcmp(model_value(i), ifname))
                return 1;
        }
    }
    return 0;
}

long
ru_adv_count(const struct lyd_node *nb)
{
    struct lyd_node *a;
    uint64_t v;
    long n = 0;

    MODEL_FOR(nb, "advertised-prefix", a)
        n++;
    if (n)
        return n;
    return model_u64(nb, "prefixes-advertised", &v) ? (long)v : -1;
}

int
ru_has_adv_list(const struct lyd_node *nb)
{
    return model_child(nb, "advertised-prefix") != NULL;
}

int
ru_nat_pools(struct rule_ctx *rc, const char *roles, struct ru_pool **out, size_t *count)
{
    struct lyd_node *dev, *pool, *p;
    size_t cap = 0;

    *out = NULL;
    *count = 0;
    MODEL_FOR(rc->m->net, "device", dev) {
        const char *circ;

        if (!ru_role_in(dev, roles) || ru_is_failed(dev))
            continue;
        circ = ru_is_role(dev, "er-edge") ? ru_circuit_of(rc->m, ru_name(dev), NULL) : NULL;
        MODEL_FOR(ru_dev_part(dev, "nat"), "pool", pool) {
            MODEL_FOR(pool, "prefix", p) {
                struct ru_pool x = {.dev = dev, .pool = pool, .prefix = model_value(p), .circuit = circ};

                if (ru_pfx(x.prefix, &x.p))
                    continue;
                if (*count == cap) {
                    size_t c = cap ? cap * 2 : 16;
                    struct ru_pool *v = realloc(*out, c * sizeof *v);

                    if (!v)
                        goto oom;
                    *out = v;
                    cap = c;
                }
                (*out)[(*count)++] = x;
            }
        }
    }
    return 0;
oom:
    free(*out);
    *out = NULL;
    *count = 0;
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
    return -1;
}

int
ru_adv_trie(struct rule_ctx *rc, const struct ru_nb *v, size_t n, struct ptrie **t, size_t *with_list)
{
    struct lyd_node *ap;
    struct pfx p;
    size_t i;

    *with_list = 0;
    if (!(*t = ptrie_new()))
        goto oom;
    for (i = 0; i < n; i++) {
        if (ru_has_adv_list(v[i].nb))
            (*with_list)++;
        MODEL_FOR(v[i].nb, "advertised-prefix", ap) {
            if (!ru_pfx(model_value(ap), &p) && ptrie_insert(*t, &p, (void *)&v[i]))
                goto oom;
        }
    }
    return 0;
oom:
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
    return -1;
}

static void
side_add(const char **v, size_t *n, const char *s)
{
    size_t i;

    for (i = 0; s && i < *n; i++) {
        if (!strcmp(v[i], s))
            return;
    }
    if (s && *n < RU_SIDE_MAX)
        v[(*n)++] = s;
}

static int
side_has(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; s && i < n; i++) {
        if (!strcmp(v[i], s))
            return 1;
    }
    return 0;
}

void
ru_side_collect(const struct ru_net *n, const struct lyd_node *dev, const char *faces, struct ru_side *s)
{
    struct lyd_node *z, *i, *ifc, *f;
    const struct ru_nb *v;
    size_t k, nv;

    memset(s, 0, sizeof *s);
    MODEL_FOR(dev, "zone", z) {
        const char *fc = model_str(z, "faces");

        if (!fc || strcmp(fc, faces))
            continue;
        side_add(s->zones, &s->n_zones, model_str(z, "name"));
        MODEL_FOR(z, "interface", i)
            side_add(s->ifs, &s->n_ifs, model_value(i));
    }
    MODEL_FOR(dev, "interface", ifc) {
        if (side_has(s->zones, s->n_zones, model_str(ifc, "zone")))
            side_add(s->ifs, &s->n_ifs, model_str(ifc, "name"));
    }
    /* Only the Internet and ExpressRoute sides have neighbors that mark their interfaces. */
    if (!strcmp(faces, "expressroute") || !strcmp(faces, "internet")) {
        nv = ru_net_dev(n, dev, !strcmp(faces, "expressroute"), &v);
        for (k = 0; k < nv; k++) {
            if ((ifc = ru_iface_for(n->rc, dev, &v[k].a, NULL)))
                side_add(s->ifs, &s->n_ifs, model_str(ifc, "name"));
        }
    }
    MODEL_FOR(dev, "filter", f) {
        int hit = side_has(s->zones, s->n_zones, model_str(f, "from-zone"));

        MODEL_FOR(f, "ingress-interface", i)
            hit |= side_has(s->ifs, s->n_ifs, model_value(i));
        if (hit && s->n_filters < RU_SIDE_MAX)
            s->filters[s->n_filters++] = f;
    }
}
