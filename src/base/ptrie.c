/**
 * @file ptrie.c
 * @brief Path-compressed binary radix trie of prefixes.
 *
 * Each node holds a prefix; a node is either a stored prefix or a "glue"
 * node where two branches split. Child c of a node of length L holds only
 * prefixes longer than L whose bit L is c.
 *
 * Per family, prefixes of /16 and longer hang from a table of 65536 tries
 * indexed by their first 16 bits; shorter ones live in one small trie. A
 * random full table is memory-latency bound, and the table removes the
 * sixteen top levels a lookup would otherwise walk through.
 *
 * Nothing is ever removed, so nodes come from an arena of growing blocks:
 * one malloc per block instead of one per node.
 *
 * A family keeps every prefix in one trie (flat) until it holds
 * PTRIE_FLAT_MAX of them; only then are the long ones moved out to the
 * buckets. Rules build thousands of small tries on a large network (a
 * device's routing table, what a rule has seen), and a 512 KB table each
 * cost page faults, and with several threads running, a TLB shootdown on
 * every other core each time a page was first written and when the table
 * was unmapped. The table is mapped, not calloc'ed, so the kernel hands out
 * zero pages only where a bucket is used.
 */
#include "ptrie.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ptrie_node {
    struct ptrie_node *child[2];
    void *value;
    uint8_t addr[16];
    uint8_t len;
    uint8_t used;   /* a stored prefix, not a glue node */
};

struct ptrie_block {
    struct ptrie_block *next;
    size_t cap, n;
    struct ptrie_node nodes[];
};

#define PTRIE_STRIDE 16
#define PTRIE_NBUCKET (1u << PTRIE_STRIDE)

/* Prefixes a family holds in one trie before it moves to buckets. */
#define PTRIE_FLAT_MAX 4096

struct ptrie_fam {
    struct ptrie_node *shorts;   /* everything while flat; else prefixes shorter than PTRIE_STRIDE */
    struct ptrie_node **bucket;  /* PTRIE_NBUCKET roots once the family is no longer flat */
    size_t count;
};

struct ptrie {
    struct ptrie_fam fam[2];     /* [0] IPv4, [1] IPv6 */
    struct ptrie_block *blocks;
    size_t count;
};

/* Deep enough for any path: lengths strictly grow along a path. */
#define PTRIE_STACK 260

#define PTRIE_BLOCK_MIN 64
#define PTRIE_BLOCK_MAX 65536

typedef int (*ptrie_cb)(const struct pfx *found, void *value, void *arg);

/* State of an ordered emission of prefixes to a caller's callback. */
struct ptrie_emit {
    ptrie_cb cb;
    void *arg;
    uint8_t family;
    size_t visited;
    int stop;
    /* When merging a short trie with the buckets: next bucket to emit, end. */
    struct ptrie_node *const *bucket;
    uint32_t next, end;
};

static struct ptrie_node **
bucket_new(void)
{
    void *b = mmap(NULL, PTRIE_NBUCKET * sizeof(struct ptrie_node *), PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return b == MAP_FAILED ? NULL : b;
}

static void
bucket_free(struct ptrie_node **b)
{
    if (b)
        munmap(b, PTRIE_NBUCKET * sizeof *b);
}

struct ptrie *
ptrie_new(void)
{
    return calloc(1, sizeof(struct ptrie));
}

void
ptrie_free(struct ptrie *t)
{
    struct ptrie_block *b, *next;

    if (!t)
        return;
    for (b = t->blocks; b; b = next) {
        next = b->next;
        free(b);
    }
    bucket_free(t->fam[0].bucket);
    bucket_free(t->fam[1].bucket);
    free(t);
}

static struct ptrie_node *
ptrie_node_new(struct ptrie *t, const uint8_t *addr, unsigned len)
{
    struct ptrie_block *b = t->blocks;
    struct ptrie_node *n;
    unsigned i;

    if (!b || b->n == b->cap) {
        /* Blocks double up to a cap, so a small trie stays small. */
        size_t cap = b ? b->cap * 2 : PTRIE_BLOCK_MIN;

        if (cap > PTRIE_BLOCK_MAX)
            cap = PTRIE_BLOCK_MAX;
        b = malloc(sizeof *b + cap * sizeof(struct ptrie_node));
        if (!b)
            return NULL;
        b->next = t->blocks;
        b->cap = cap;
        b->n = 0;
        t->blocks = b;
    }
    n = &b->nodes[b->n++];
    memset(n, 0, sizeof *n);
    /* Keep only the first len bits: glue nodes must not carry stray bits. */
    memcpy(n->addr, addr, (len + 7) / 8);
    if (len % 8)
        n->addr[len / 8] &= (uint8_t)(0xff << (8 - len % 8));
    for (i = (len + 7) / 8; i < 16; i++)
        n->addr[i] = 0;
    n->len = (uint8_t)len;
    return n;
}

static int
ptrie_bit(const uint8_t *addr, unsigned i)
{
    return (addr[i / 8] >> (7 - i % 8)) & 1;
}

/* Number of leading bits @p a and @p b share, at most @p max. */
static unsigned
ptrie_common(const uint8_t *a, const uint8_t *b, unsigned max)
{
    unsigned i, n;

    for (i = 0; i * 8 < max; i++) {
        uint8_t x = a[i] ^ b[i];

        if (x) {
            n = i * 8 + (unsigned)__builtin_clz((unsigned)x) - 24;
            return n < max ? n : max;
        }
    }
    return max;
}

/* 1 when node @p n is a prefix of (or equal to) the key of length @p len. */
static int
ptrie_covers(const struct ptrie_node *n, const uint8_t *addr, unsigned len)
{
    return n->len <= len && ptrie_common(n->addr, addr, n->len) == n->len;
}

static int
ptrie_valid(const struct pfx *p)
{
    return (p->family == 4 && p->len <= 32) || (p->family == 6 && p->len <= 128);
}

static uint32_t
ptrie_index(const uint8_t *addr)
{
    return (uint32_t)addr[0] << 8 | addr[1];
}

/* The bucket root for a prefix of at least PTRIE_STRIDE bits, NULL if none. */
static struct ptrie_node *
ptrie_bucket(const struct ptrie_fam *f, const struct pfx *p)
{
    return f->bucket ? f->bucket[ptrie_index(p->addr)] : NULL;
}

static void
ptrie_to_pfx(const struct ptrie_node *n, uint8_t family, struct pfx *p)
{
    p->family = family;
    p->len = n->len;
    memcpy(p->addr, n->addr, sizeof p->addr);
}

/*
 * Move every subtree whose root is PTRIE_STRIDE bits or longer from the
 * trie at @p pp to its bucket. Such roots never share their first
 * PTRIE_STRIDE bits (their common ancestor would be that long too), so each
 * bucket gets at most one. Glue left with fewer than two children goes.
 */
static void
ptrie_split(struct ptrie_node **pp, struct ptrie_node **bucket)
{
    struct ptrie_node *n = *pp;

    if (!n)
        return;
    if (n->len >= PTRIE_STRIDE) {
        bucket[ptrie_index(n->addr)] = n;
        *pp = NULL;
        return;
    }
    ptrie_split(&n->child[0], bucket);
    ptrie_split(&n->child[1], bucket);
    if (!n->used && !(n->child[0] && n->child[1]))
        *pp = n->child[0] ? n->child[0] : n->child[1];
}

/* The slot a new @p p descends from: the flat trie, the short trie or its bucket. */
static struct ptrie_node **
ptrie_root_slot(struct ptrie_fam *f, const struct pfx *p)
{
    if (!f->bucket && f->count >= PTRIE_FLAT_MAX) {
        if (!(f->bucket = bucket_new()))
            return NULL;
        ptrie_split(&f->shorts, f->bucket);
    }
    if (p->len < PTRIE_STRIDE || !f->bucket)
        return &f->shorts;
    return &f->bucket[ptrie_index(p->addr)];
}

int
ptrie_insert(struct ptrie *t, const struct pfx *p, void *value)
{
    struct ptrie_node **pp, *n, *leaf, *glue;
    struct ptrie_fam *f;
    unsigned d;

    if (!t || !p || !ptrie_valid(p))
        return -1;
    f = &t->fam[p->family == 6];
    if (!(pp = ptrie_root_slot(f, p)))
        return -1;
    /* Descend while the node is a prefix of p. */
    while ((n = *pp) && ptrie_covers(n, p->addr, p->len)) {
        if (n->len == p->len) {
            if (!n->used) {
                t->count++;
                f->count++;
            }
            n->used = 1;
            n->value = value;
            return 0;
        }
        pp = &n->child[ptrie_bit(p->addr, n->len)];
    }
    leaf = ptrie_node_new(t, p->addr, p->len);
    if (!leaf)
        return -1;
    leaf->used = 1;
    leaf->value = value;
    if (!n) {
        *pp = leaf;
    } else {
        /* n does not cover p: either p covers n, or they split at bit d. */
        d = ptrie_common(n->addr, p->addr, n->len < p->len ? n->len : p->len);
        if (d == p->len) {
            leaf->child[ptrie_bit(n->addr, d)] = n;
            *pp = leaf;
        } else {
            /* On failure the unused leaf just stays in the arena. */
            glue = ptrie_node_new(t, p->addr, d);
            if (!glue)
                return -1;
            glue->child[ptrie_bit(p->addr, d)] = leaf;
            glue->child[ptrie_bit(n->addr, d)] = n;
            *pp = glue;
        }
    }
    t->count++;
    f->count++;
    return 0;
}

size_t
ptrie_count(const struct ptrie *t)
{
    return t ? t->count : 0;
}

void *
ptrie_get(const struct ptrie *t, const struct pfx *p, int *found)
{
    const struct ptrie_node *n;
    const struct ptrie_fam *f;

    if (found)
        *found = 0;
    if (!t || !p || !ptrie_valid(p))
        return NULL;
    f = &t->fam[p->family == 6];
    n = p->len < PTRIE_STRIDE || !f->bucket ? f->shorts : ptrie_bucket(f, p);
    for (; n && ptrie_covers(n, p->addr, p->len); n = n->child[ptrie_bit(p->addr, n->len)]) {
        if (n->len == p->len) {
            if (!n->used)
                return NULL;
            if (found)
                *found = 1;
            return n->value;
        }
    }
    return NULL;
}

/* Longest stored prefix covering @p p in the trie at @p n, NULL if none. */
static const struct ptrie_node *
ptrie_longest(const struct ptrie_node *n, const struct pfx *p)
{
    const struct ptrie_node *best = NULL;

    for (; n && ptrie_covers(n, p->addr, p->len); n = n->child[ptrie_bit(p->addr, n->len)]) {
        if (n->used)
            best = n;
        if (n->len == p->len)
            break;
    }
    return best;
}

int
ptrie_lookup(const struct ptrie *t, const struct pfx *p, struct pfx *match, void **value)
{
    const struct ptrie_node *best = NULL;
    const struct ptrie_fam *f;

    if (!t || !p || !ptrie_valid(p))
        return 0;
    f = &t->fam[p->family == 6];
    /* Anything in the bucket is longer than anything in the short trie. */
    if (p->len >= PTRIE_STRIDE && f->bucket)
        best = ptrie_longest(ptrie_bucket(f, p), p);
    if (!best)
        best = ptrie_longest(f->shorts, p);
    if (!best)
        return 0;
    if (match)
        ptrie_to_pfx(best, p->family, match);
    if (value)
        *value = best->value;
    return 1;
}

/* Hand one stored node to the callback. */
static void
ptrie_emit_one(struct ptrie_emit *e, const struct ptrie_node *n)
{
    struct pfx p;

    e->visited++;
    ptrie_to_pfx(n, e->family, &p);
    if (e->cb && e->cb(&p, n->value, e->arg))
        e->stop = 1;
}

static void ptrie_walk_from(struct ptrie_emit *e, const struct ptrie_node *top,
        const struct ptrie_node *skip, int merge);

/* Emit the whole buckets before index @p upto (merge order). */
static void
ptrie_flush(struct ptrie_emit *e, uint32_t upto)
{
    if (upto > e->end)
        upto = e->end;
    for (; e->next < upto && !e->stop; e->next++)
        if (e->bucket[e->next])
            ptrie_walk_from(e, e->bucket[e->next], NULL, 0);
}

/*
 * Pre-order walk of the subtree at @p top, that is in (address, length)
 * order, skipping @p skip. With @p merge, the buckets that sort before a
 * node are emitted first, so a short trie and the buckets come out as one
 * ordered sequence.
 */
static void
ptrie_walk_from(struct ptrie_emit *e, const struct ptrie_node *top,
        const struct ptrie_node *skip, int merge)
{
    const struct ptrie_node *stack[PTRIE_STACK], *n;
    size_t sp = 0;

    if (top)
        stack[sp++] = top;
    while (sp && !e->stop) {
        n = stack[--sp];
        if (n->used && n != skip) {
            if (merge && e->bucket)
                ptrie_flush(e, ptrie_index(n->addr));
            if (e->stop)
                break;
            ptrie_emit_one(e, n);
        }
        /* Right child first on the stack so the left one is visited first. */
        if (n->child[1])
            stack[sp++] = n->child[1];
        if (n->child[0])
            stack[sp++] = n->child[0];
    }
}

/* Covering prefixes of @p p in the trie at @p n; returns the node equal to p
 * or the first node inside p, the root of what p contains. */
static const struct ptrie_node *
ptrie_covering(struct ptrie_emit *e, const struct ptrie_node *n, const struct pfx *p)
{
    for (; n && ptrie_covers(n, p->addr, p->len); n = n->child[ptrie_bit(p->addr, n->len)]) {
        if (n->used) {
            ptrie_emit_one(e, n);
            if (e->stop)
                return NULL;
        }
        if (n->len == p->len)
            return n;
    }
    return n && ptrie_common(n->addr, p->addr, p->len) == p->len ? n : NULL;
}

size_t
ptrie_overlaps(const struct ptrie *t, const struct pfx *p, ptrie_cb cb, void *arg)
{
    struct ptrie_emit e = { .cb = cb, .arg = arg };
    const struct ptrie_node *in;
    const struct ptrie_fam *f;

    if (!t || !p || !ptrie_valid(p))
        return 0;
    f = &t->fam[p->family == 6];
    e.family = p->family;
    /* Those that contain p (p itself included), shortest first... */
    in = ptrie_covering(&e, f->shorts, p);
    if (p->len >= PTRIE_STRIDE && f->bucket) {
        if (!e.stop)
            in = ptrie_covering(&e, ptrie_bucket(f, p), p);
        /* ...then those p contains, all in p's bucket. */
        if (in && !e.stop)
            ptrie_walk_from(&e, in, in->len == p->len ? in : NULL, 0);
        return e.visited;
    }
    /* A short p contains part of the short trie and a run of buckets (none while flat). */
    if ((e.bucket = f->bucket)) {
        e.next = ptrie_index(p->addr);
        e.end = e.next + (1u << (PTRIE_STRIDE - p->len));
    }
    if (in && !e.stop)
        ptrie_walk_from(&e, in, in->len == p->len ? in : NULL, 1);
    if (e.bucket)
        ptrie_flush(&e, e.end);
    return e.visited;
}

void
ptrie_walk(const struct ptrie *t, ptrie_cb cb, void *arg)
{
    struct ptrie_emit e = { .cb = cb, .arg = arg };
    int i;

    if (!t)
        return;
    for (i = 0; i < 2 && !e.stop; i++) {
        e.family = i ? 6 : 4;
        e.bucket = t->fam[i].bucket;
        e.next = 0;
        e.end = PTRIE_NBUCKET;
        ptrie_walk_from(&e, t->fam[i].shorts, NULL, 1);
        if (e.bucket)
            ptrie_flush(&e, e.end);
    }
}
