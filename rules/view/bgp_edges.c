/**
 * @file bgp_edges.c
 * @brief The picture of the network's BGP edges (ru_net): every neighbor classified (Microsoft, Internet, iBGP), per-device ranges, the Microsoft service prefixes; built once before the rules run (rule_shared_prepare) and only read by them.
 */
#include "view_int.h"
#include "model_reads.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

struct prep_side {
    struct rule_ctx rc;
    struct model_reads *reads;   /* what it reads, when the run is traced */
};

/* The interface index of every device, on a thread of its own. */
static void *
prepare_ifidx(void *arg)
{
    struct prep_side *p = arg;
    struct lyd_node *dev;

    if (p->reads)
        model_reads_start(p->reads);
    MODEL_FOR(p->rc.m->net, "device", dev)
        if_lookup(&p->rc, dev);
    if (p->reads)
        model_reads_start(NULL);
    return NULL;
}

void
rule_shared_prepare(struct rule_ctx *rc)
{
    struct prep_side side = {.rc = *rc};
    struct model_reads *traced = model_reads_cur;
    struct ru_net n;
    pthread_t tid;
    int threaded;

    if (!rc->shared || rc->shared->sealed)
        return;
    /* The BGP picture and the interface index touch different parts of the
     * shared state: they are made side by side. Whatever cannot be made here
     * (memory) each rule makes for itself later. */
    /* A traced run (model_reads): the side thread records into a set of its own, merged after. */
    threaded = (!traced || (side.reads = model_reads_new())) && !pthread_create(&tid, NULL, prepare_ifidx, &side);
    if (!ru_net_build(rc, &n))
        ru_net_free(&n);
    if (threaded) {
        pthread_join(tid, NULL);
        model_reads_merge(traced, side.reads);
    } else {
        side.reads = NULL;
        prepare_ifidx(&side);
    }
    model_reads_free(side.reads);
    /* The NAT pools' scopes read both. */
    ru_natv_get(rc);
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
    ru_natv_free(sh->nat);
    sh->nat = NULL;
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
er_edge_inet_nb(const struct ru_circ *ce, const struct pfx *nets, size_t n_nets, const char *dev_name,
        const char *addr, const struct pfx *a, uint64_t pas)
{
    size_t i;

    /* A neighbor the inventory names as a circuit's end is a Microsoft session, whatever AS it has. */
    if (ru_circ_has_end(ce, dev_name, addr))
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
    struct pfx *nets = NULL;

    memset(n, 0, sizeof *n);
    n->rc = rc;
    /* Combined edges are judged per neighbor: the circuits' ends and each edge's Internet subnets are made once. */
    if (!(n->circ = ru_circ_build(rc->m)))
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
                x.circuit = ru_net_circuit_of(n, x.dev_name, x.addr);
                if (nb_push(&n->ms, &n->n_ms, &cap_ms, &x))
                    goto oom;
            } else if (pas != n->ms_as && (!has_las || las != pas) && (ru_is_role(dev, "internet-edge") ||
                               (ru_is_role(dev, "er-edge") && er_edge_inet_nb(n->circ, nets, n_nets, x.dev_name, x.addr, &x.a, pas)))) {
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
    free(nets);
    return 0;
oom:
    free(nets);
    ru_net_free(n);
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
    ru_circ_free(n->circ);
    free(n->svc);
    memset(n, 0, sizeof *n);
}

void
ru_each_ms(struct rule_ctx *rc, const char *roles, const char *none, ru_ms_fn fn, void *arg)
{
    struct ru_net n;
    size_t i;

    if (roles)
        ru_skip_failed(rc, roles);
    if (ru_net_build(rc, &n))
        return;
    for (i = 0; i < n.n_ms && !rc->rc; i++)
        fn(rc, &n, &n.ms[i], arg);
    if (!n.n_ms)
        rule_skip(rc, NULL, NULL, "%s", none ? none : "no Microsoft BGP neighbor in the network");
    ru_net_free(&n);
}

int
ru_is_ms(const struct ru_net *n, const struct lyd_node *nb)
{
    const struct ru_nb *v;
    size_t i, nv;

    /* Only the neighbor's own device's entries can hold it (the device is the neighbor list's grandparent). */
    if (!nb || !lyd_parent(nb) || !lyd_parent(lyd_parent(nb)))
        return 0;
    nv = ru_net_dev(n, lyd_parent(lyd_parent(nb)), 1, &v);
    for (i = 0; i < nv; i++) {
        if (v[i].nb == nb)
            return 1;
    }
    return 0;
}
