/**
 * @file circuits.c
 * @brief The circuits' ends indexed by device (and neighbor address), so the
 * circuit of a Microsoft session is found in log time: ru_circuit_of() scans
 * every circuit, which made the BGP picture quadratic in the network's size.
 */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

/* One end of a circuit: its device, its neighbor (NULL if not declared), the circuit and its place in the list. */
struct circ_end {
    const char *dev, *addr, *name;
    size_t ord;
};

struct ru_circ {
    struct circ_end *v;              /* every end with a device, sorted by device, circuit order */
    struct circ_end *a;              /* every end with a device and a neighbor, sorted by device, neighbor, order */
    size_t n, n_a;
};

static int
by_dev(const void *pa, const void *pb)
{
    const struct circ_end *a = pa, *b = pb;
    int c = strcmp(a->dev, b->dev);

    return c ? c : (a->ord > b->ord) - (a->ord < b->ord);
}

static int
by_dev_addr(const void *pa, const void *pb)
{
    const struct circ_end *a = pa, *b = pb;
    int c = strcmp(a->dev, b->dev);

    if (!c)
        c = strcmp(a->addr, b->addr);
    return c ? c : (a->ord > b->ord) - (a->ord < b->ord);
}

void
ru_circ_free(struct ru_circ *x)
{
    if (!x)
        return;
    free(x->v);
    free(x->a);
    free(x);
}

struct ru_circ *
ru_circ_build(const struct er_model *m)
{
    static const char *const which[] = {"primary", "secondary"};
    struct ru_circ *x = calloc(1, sizeof *x);
    struct lyd_node *c;
    size_t cap = 0, ord = 0;

    if (!x)
        return NULL;
    MODEL_FOR(m->net, "circuit", c) {
        for (size_t k = 0; k < 2; k++) {
            const struct lyd_node *end = model_child(c, which[k]);
            const char *d = end ? model_str(end, "device") : NULL;

            if (!d)
                continue;
            if (x->n == cap) {
                void *v = realloc(x->v, (cap = cap ? 2 * cap : 64) * sizeof *x->v);

                if (!v) {
                    ru_circ_free(x);
                    return NULL;
                }
                x->v = v;
            }
            x->v[x->n++] = (struct circ_end){.dev = d, .addr = model_str(end, "neighbor"),
                .name = model_str(c, "name"), .ord = ord};
        }
        ord++;
    }
    if (x->n && !(x->a = malloc(x->n * sizeof *x->a))) {
        ru_circ_free(x);
        return NULL;
    }
    for (size_t i = 0; i < x->n; i++) {
        if (x->v[i].addr)
            x->a[x->n_a++] = x->v[i];
    }
    if (x->n)
        qsort(x->v, x->n, sizeof *x->v, by_dev);
    if (x->n_a)
        qsort(x->a, x->n_a, sizeof *x->a, by_dev_addr);
    return x;
}

/* Index of the first entry of @p v not below @p key. */
static size_t
lower(const struct circ_end *v, size_t n, const struct circ_end *key, int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cmp(&v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First entry of x->a with end (dev, addr), x->n_a if none. */
static size_t
find_end(const struct ru_circ *x, const char *dev, const char *addr)
{
    struct circ_end key = {.dev = dev, .addr = addr, .ord = 0};
    size_t i = lower(x->a, x->n_a, &key, by_dev_addr);

    return i < x->n_a && !strcmp(x->a[i].dev, dev) && !strcmp(x->a[i].addr, addr) ? i : x->n_a;
}

int
ru_circ_has_end(const struct ru_circ *x, const char *dev, const char *addr)
{
    return dev && addr && find_end(x, dev, addr) < x->n_a;
}

/* Same answer as ru_circuit_of(): the first circuit with end (dev, addr), else the device's only circuit. */
const char *
ru_circ_of(const struct ru_circ *x, const char *dev, const char *addr)
{
    struct circ_end key = {.dev = dev, .ord = 0};
    const char *only = NULL;
    size_t i, last = 0;
    int n = 0;

    if (addr && (i = find_end(x, dev, addr)) < x->n_a)
        return x->a[i].name;
    for (i = lower(x->v, x->n, &key, by_dev); i < x->n && !strcmp(x->v[i].dev, dev); i++) {
        /* Both ends of one circuit on the device count once. */
        if (n && x->v[i].ord == last)
            continue;
        last = x->v[i].ord;
        only = x->v[i].name;
        n++;
    }
    return n == 1 ? only : NULL;
}

const char *
ru_net_circuit_of(const struct ru_net *n, const char *dev, const char *addr)
{
    return n->circ ? ru_circ_of(n->circ, dev, addr) : ru_circuit_of(n->rc->m, dev, addr);
}
