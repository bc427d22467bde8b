/**
 * @file model_read.c
 * @brief Reading the eraudit-network tree: child lookups (plain, or from
 * tables while the rules run on a frozen tree), list entries by key, paths.
 *
 * Over 700 lines (791): the frozen tables, the packed lookups of small
 * nodes, the key indexes and the model index that owns them share one
 * private layout (fz_table) and one publication protocol (compare-and-swap
 * on priv); splitting them would expose that layout in a header. Paths are
 * printed in model_path.c. To split next: the key indexes into
 * model_find.c behind a small internal header.
 */
#include "model.h"
#include "model_reads.h"
#include "model_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Schema node of child @name under @parent and its position among the
 * parent's schema children, remembered per thread and model (@id): rules
 * ask the same few questions millions of times, and names are mostly the
 * same string literals, so a hit costs a pointer compare.
 */
static const struct lysc_node *
schema_child(unsigned long id, const struct lysc_node *parent, const char *name, unsigned *pos)
{
    static __thread struct {
        const struct lysc_node *parent;
        const char *name;
        const struct lysc_node *child;
        unsigned pos;
        unsigned long id;
    } memo[512];
    size_t i = (((uintptr_t)parent >> 4) ^ ((uintptr_t)name >> 3) * 31) & 511;
    const struct lysc_node *c = NULL, *want;

    if (id && memo[i].parent == parent && memo[i].name == name && memo[i].id == id &&
            !strcmp(memo[i].child->name, name)) {
        *pos = memo[i].pos;
        return memo[i].child;
    }
    want = lys_find_child(parent, parent->module, name, 0, 0, 0);
    /* The same walk as fz_shape(), so the position indexes its tables. */
    for (*pos = 0; want && (c = lys_getnext(c, parent, NULL, 0)) != want; )
        (*pos)++;
    if (id) {
        memo[i].child = want;
        memo[i].parent = want ? parent : NULL;
        memo[i].name = name;
        memo[i].id = id;
        memo[i].pos = *pos;
    }
    return want;
}

/*
 * Frozen reads. While the rules run, nothing changes the tree, so the first
 * model_child() under a parent walks its children once and keeps the first
 * instance of each schema child in a table indexed by the child's position;
 * every later lookup under that parent is an array read. Tables hang on
 * lyd_node.priv (libyang leaves it to us; the /network root's priv points
 * to the model's index, which holds the root's table), live in chunks of
 * the model's index, and go at once in model_thaw(), which clears the priv
 * pointers again. A table, once made (frozen, or settled), answers until
 * model_thaw(): the tree does not change meanwhile.
 *
 * engine_run freezes the tree, the rule threads read it, and it is thawed
 * once they are done. Every lookup under the frozen tree is a read, bar the
 * first under a parent, which makes its table and publishes it without a
 * lock; libyang's own sibling lookups swap their hash table's callback
 * while they run, so the few still made in a frozen tree are taken one at
 * a time (the index's lock). A tree that is not frozen is read by one
 * thread at a time.
 */
struct fz_keys;

struct fz_table {
    struct lyd_node *node;              /* whose priv points here (the root: its index's root_table) */
    struct model_index *ix;             /* the model it belongs to */
    struct fz_keys *keys;               /* key indexes of lists under node, made on first model_find() */
    size_t n;
    struct lyd_node *first[];           /* by schema position; NULL when absent */
};

struct fz_chunk {
    struct fz_chunk *next;
    size_t used, cap;                   /* bytes of data[] */
    struct fz_table data[];
};

unsigned long
model_serial(void)
{
    /* Only a source of distinct numbers, never a cache: ids and epochs of indexes. */
    static unsigned long next;

    return __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);
}

static void
path_buf_free(void *p)
{
    free(p);
}

struct model_index *
model_index_new(void)
{
    struct model_index *ix = calloc(1, sizeof *ix);

    if (!ix)
        return NULL;
    ix->magic = MODEL_INDEX_MAGIC;
    ix->id = model_serial();
    ix->epoch = model_serial();
    pthread_mutex_init(&ix->lock, NULL);
    ix->path_key_ok = !pthread_key_create(&ix->path_key, path_buf_free);
    return ix;
}

void
model_index_free(struct model_index *ix)
{
    if (!ix)
        return;
    /* This thread's path buffer; a rule thread's went with the thread. */
    if (ix->path_key_ok) {
        free(pthread_getspecific(ix->path_key));
        pthread_key_delete(ix->path_key);
    }
    pthread_mutex_destroy(&ix->lock);
    ix->magic = 0;
    free(ix);
}

struct model_index *
model_index_of(const struct lyd_node *node)
{
    const struct lyd_node *r = node, *p;
    const struct model_index *ix;

    if (!r)
        return NULL;
    while ((p = lyd_parent(r)))
        r = p;
    /* Only a top-level container made by model_new()/model_part_new() points to an index. */
    if (!r->schema || r->schema->parent || r->schema->nodetype != LYS_CONTAINER || !(ix = r->priv))
        return NULL;
    return ix->magic == MODEL_INDEX_MAGIC ? (struct model_index *)ix : NULL;
}

static const struct fz_shape *fz_shape_add(struct model_index *ix, const struct lysc_node *parent, size_t i);

static const struct fz_shape *
fz_shape(struct model_index *ix, const struct lysc_node *parent)
{
    size_t i = ((uintptr_t)parent >> 4) & (FZ_SHAPES - 1), k;
    const struct fz_shape *sh;

    /* Published with a release store of parent once filled: readers need no lock. */
    for (k = 0; k < FZ_SHAPES; k++, i = (i + 1) & (FZ_SHAPES - 1)) {
        const struct lysc_node *p = __atomic_load_n(&ix->shapes[i].parent, __ATOMIC_ACQUIRE);

        if (p == parent)
            return &ix->shapes[i];
        if (!p)
            break;
    }
    if (k == FZ_SHAPES)
        return NULL;
    pthread_mutex_lock(&ix->lock);
    sh = fz_shape_add(ix, parent, i);
    pthread_mutex_unlock(&ix->lock);
    return sh;
}

/* Add the shape of @parent, probing from @i; under the index's lock. */
static const struct fz_shape *
fz_shape_add(struct model_index *ix, const struct lysc_node *parent, size_t i)
{
    const struct lysc_node *c = NULL;
    struct fz_shape *sh;
    size_t k;

    for (k = 0; k < FZ_SHAPES && ix->shapes[i].parent; k++, i = (i + 1) & (FZ_SHAPES - 1)) {
        if (ix->shapes[i].parent == parent)
            return &ix->shapes[i];   /* another thread was first */
    }
    if (k == FZ_SHAPES)
        return NULL;
    sh = &ix->shapes[i];
    sh->n = 0;
    while ((c = lys_getnext(c, parent, NULL, 0)))
        sh->n++;
    if (!(sh->child = malloc((sh->n ? sh->n : 1) * sizeof *sh->child))) {
        sh->n = 0;
        return NULL;
    }
    for (k = 0, c = NULL; (c = lys_getnext(c, parent, NULL, 0)); k++)
        sh->child[k] = c;
    __atomic_store_n(&sh->parent, parent, __ATOMIC_RELEASE);
    return sh;
}

static size_t
fz_size(size_t n)
{
    return sizeof(struct fz_table) + n * sizeof(struct lyd_node *);
}

/*
 * Each thread carves tables from a chunk of its own; every chunk is on the
 * index's list for model_thaw(). Which chunk is this thread's is per thread
 * by nature: it names the index epoch it belongs to (epochs are unique in
 * the process), so a chunk of a thawed or freed index is never used. The
 * nodes whose priv packs their children (fz_pack) are listed the same way,
 * in chunks of their own.
 */
struct fz_mine {
    struct fz_chunk *chunk;
    unsigned long epoch;
};
static __thread struct fz_mine fz_tables, fz_packs;

/* @size bytes from this thread's chunk of list @head (the index's tables or packed nodes); NULL out of memory. */
static void *
fz_carve(struct model_index *ix, struct fz_chunk **head, struct fz_mine *mine, size_t size)
{
    unsigned long epoch = __atomic_load_n(&ix->epoch, __ATOMIC_ACQUIRE);
    struct fz_chunk *c = mine->epoch == epoch ? mine->chunk : NULL;
    void *p;

    if (!c || c->cap - c->used < size) {
        /* 64 KB with its header: a size the allocator has a class for, no tail wasted. */
        size_t cap = size > 65536 - sizeof *c ? size : 65536 - sizeof *c;

        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->used = 0;
        c->cap = cap;
        pthread_mutex_lock(&ix->lock);
        c->next = *head;
        *head = c;
        pthread_mutex_unlock(&ix->lock);
        mine->chunk = c;
        mine->epoch = epoch;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

static struct fz_table *
fz_alloc(struct model_index *ix, size_t n)
{
    size_t size = fz_size(n);
    struct fz_table *t = fz_carve(ix, &ix->chunks, &fz_tables, size);

    if (!t)
        return NULL;
    memset(t, 0, size);
    t->n = n;
    t->ix = ix;
    return t;
}

/*
 * Position of schema node @s among the schema children of @sh, searched
 * from *@j on (children come in schema order, so the search mostly starts
 * where it stopped); sh->n when it is none of them (*@j then unchanged).
 */
static size_t
fz_position(const struct fz_shape *sh, const struct lysc_node *s, size_t *j)
{
    size_t k, at = *j;

    for (k = 0; k < sh->n && sh->child[at] != s; k++)
        at = at + 1 < sh->n ? at + 1 : 0;
    if (k == sh->n)
        return sh->n;
    return *j = at;
}

/* The table of @parent (of the model of @ix), made now; NULL when memory ran out. */
static struct fz_table *
fz_index(struct model_index *ix, const struct lyd_node *parent)
{
    const struct fz_shape *sh;
    struct fz_table *t;
    struct lyd_node *c;
    void *none = NULL, **slot;
    size_t j = 0, at;

    if (!(sh = fz_shape(ix, parent->schema)) || !(t = fz_alloc(ix, sh->n)))
        return NULL;
    LY_LIST_FOR(lyd_child(parent), c) {
        if ((at = fz_position(sh, c->schema, &j)) < sh->n && !t->first[at])
            t->first[at] = c;
    }
    /* The tree is frozen, not const: the table is a cache beside it. Two
     * threads may make the same table; the first published wins, the other
     * stays unused in its chunk. */
    t->node = (struct lyd_node *)parent;
    slot = lyd_parent(parent) ? &t->node->priv : (void **)&ix->root_table;
    if (!__atomic_compare_exchange_n(slot, &none, t, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return none;
    return t;
}

/*
 * A parent of few children gets no table: its priv packs, for each of its
 * first FZ_PACK_POS schema children, the place among its children of the
 * first instance (4 bits, FZ_ABSENT when there is none), and how many
 * children it has (bits 1-4). Bit 0 tells a packed word from a table's
 * address. An interface's eight leaves would otherwise cost a table each
 * (a tenth of the tree's memory at 10,000 devices), and its absent leaves a
 * scan of its children (most lookups of a rule). A child is reached from
 * the nearer end of the sibling list.
 */
#define FZ_PACK_POS 14
#define FZ_PACK_MAX 15
#define FZ_ABSENT 15u

static int
fz_is_packed(const void *priv)
{
    return (uintptr_t)priv & 1;
}

/* Child at schema position @pos of @parent, whose priv is the packed word @w. */
static struct lyd_node *
fz_unpack(const struct lyd_node *parent, uintptr_t w, unsigned pos)
{
    unsigned n = (w >> 1) & 15, at, k;
    struct lyd_node *c;

    if (pos >= FZ_PACK_POS || (at = (w >> (8 + 4 * pos)) & 15) == FZ_ABSENT)
        return NULL;
    c = lyd_child(parent);
    if (at <= n / 2) {
        for (k = 0; k < at; k++)
            c = c->next;
    } else {
        /* The first sibling's prev is the last. */
        for (c = c->prev, k = n - 1; k > at; k--)
            c = c->prev;
    }
    return c;
}

/*
 * Pack @parent's children into its priv and list it for model_thaw(): 1 when
 * its priv is set now (by this thread or another), 0 when it has too many
 * children to pack (it takes a table), -1 out of memory.
 */
static int
fz_pack(struct model_index *ix, const struct lyd_node *parent)
{
    const struct fz_shape *sh;
    struct lyd_node *c, **rec;
    uintptr_t w = ~(uintptr_t)0 << 8;
    void *none = NULL;
    size_t j = 0, at, n = 0;

    if (!(sh = fz_shape(ix, parent->schema)))
        return -1;
    LY_LIST_FOR(lyd_child(parent), c) {
        if (n == FZ_PACK_MAX)
            return 0;
        if ((at = fz_position(sh, c->schema, &j)) < sh->n) {
            if (at >= FZ_PACK_POS)
                return 0;
            if (((w >> (8 + 4 * at)) & 15) == FZ_ABSENT)
                w = (w & ~((uintptr_t)15 << (8 + 4 * at))) | (uintptr_t)n << (8 + 4 * at);
        }
        n++;
    }
    w |= 1 | (uintptr_t)n << 1;
    if (!(rec = fz_carve(ix, &ix->packs, &fz_packs, sizeof *rec)))
        return -1;
    *rec = (struct lyd_node *)parent;
    /* As with tables: another thread may have been first; both clear the same priv at thaw. */
    __atomic_compare_exchange_n(&rec[0]->priv, &none, (void *)w, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    return 1;
}

/* The table @parent has already (settled, or made by a reader), or NULL (also when its priv is packed). */
static struct fz_table *
fz_have(const struct lyd_node *parent)
{
    struct model_index *ix;
    void *p;

    if (lyd_parent(parent))
        return fz_is_packed(p = __atomic_load_n(&parent->priv, __ATOMIC_ACQUIRE)) ? NULL : p;
    return (ix = model_index_of(parent)) ? __atomic_load_n(&ix->root_table, __ATOMIC_ACQUIRE) : NULL;
}

/* Make what answers lookups under @parent: its packed word (when it has a parent and few children) or its table. */
static void *
fz_make(struct model_index *ix, const struct lyd_node *parent)
{
    int r = lyd_parent(parent) ? fz_pack(ix, parent) : 0;

    if (r > 0)
        return __atomic_load_n(&parent->priv, __ATOMIC_ACQUIRE);
    return r < 0 ? NULL : fz_index(ix, parent);
}

static int
fz_frozen(const struct model_index *ix)
{
    return ix && __atomic_load_n(&ix->frozen, __ATOMIC_ACQUIRE);
}

/*
 * The entries of one list under one parent of a frozen tree by key text,
 * made on the first model_find() there and shared by every reading thread
 * (published on the parent's table like the table itself). Keys are the
 * entries' own canonical texts, which live as long as the tree.
 */
struct fz_keys {
    struct fz_keys *next;               /* another list under the same parent */
    const struct lysc_node *schema;
    size_t cap;                         /* slots, a power of two, at least twice the entries */
    struct fz_key {
        const char *key;
        struct lyd_node *node;
    } slot[];
};

static void
fz_keys_free(struct fz_keys *k)
{
    struct fz_keys *next;

    for (; k; k = next) {
        next = k->next;
        free(k);
    }
}

static size_t
fz_key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;

    while (*key)
        h = (h ^ (unsigned char)*key++) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* The slot of @key in @k: its entry, or the empty slot where it would go. */
static struct fz_key *
fz_key_slot(struct fz_keys *k, const char *key)
{
    size_t i = fz_key_hash(key) & (k->cap - 1);

    while (k->slot[i].key && strcmp(k->slot[i].key, key))
        i = (i + 1) & (k->cap - 1);
    return &k->slot[i];
}

/* The key index of list @s (first key leaf @kl) under @parent, whose table is @t; NULL when memory ran out. */
static struct fz_keys *
fz_keys_get(struct fz_table *t, const struct lyd_node *parent, const struct lysc_node *s,
        const struct lysc_node *kl)
{
    struct fz_keys *k, *head;
    struct lyd_node *e;
    size_t n = 0, cap = 4;

    for (k = __atomic_load_n(&t->keys, __ATOMIC_ACQUIRE); k; k = k->next) {
        if (k->schema == s)
            return k;
    }
    for (e = model_child(parent, s->name); e; e = model_next(e))
        n++;
    while (cap < 2 * n)
        cap *= 2;
    if (!(k = calloc(1, sizeof *k + cap * sizeof k->slot[0])))
        return NULL;
    k->schema = s;
    k->cap = cap;
    /* The first entry with a key wins, as a lookup in order would find it. */
    for (e = model_child(parent, s->name); e; e = model_next(e)) {
        struct fz_key *slot;

        if (lyd_child(e) && lyd_child(e)->schema == kl && !(slot = fz_key_slot(k, lyd_get_value(lyd_child(e))))->key) {
            slot->key = lyd_get_value(lyd_child(e));
            slot->node = e;
        }
    }
    /* Pushed with a compare-and-swap; another thread may have pushed the same list meanwhile. */
    head = __atomic_load_n(&t->keys, __ATOMIC_ACQUIRE);
    do {
        struct fz_keys *o;

        for (o = head; o; o = o->next) {
            if (o->schema == s) {
                free(k);
                return o;
            }
        }
        k->next = head;
    } while (!__atomic_compare_exchange_n(&t->keys, &head, k, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return k;
}

void
model_thaw(const struct er_model *m)
{
    struct model_index *ix = m ? m->idx : NULL;
    struct fz_chunk *c, *next;
    struct fz_table *t;
    size_t i, off;

    if (!ix)
        return;
    for (c = ix->chunks; c; c = next) {
        for (off = 0; off < c->used; off += fz_size(t->n)) {
            t = (struct fz_table *)((char *)c->data + off);
            fz_keys_free(t->keys);
            /* The root's priv is the index; its table is the index's. */
            if (t->node && lyd_parent(t->node))
                t->node->priv = NULL;
        }
        next = c->next;
        free(c);
    }
    for (c = ix->packs; c; c = next) {
        struct lyd_node **v = (struct lyd_node **)c->data;

        for (off = 0; off < c->used / sizeof *v; off++)
            v[off]->priv = NULL;
        next = c->next;
        free(c);
    }
    ix->packs = NULL;
    for (i = 0; i < FZ_SHAPES; i++)
        free(ix->shapes[i].child);
    memset(ix->shapes, 0, sizeof ix->shapes);
    ix->chunks = NULL;
    ix->root_table = NULL;
    ix->frozen = 0;
    /* A thread's chunk of before is gone: the next table it makes takes a new one. */
    ix->epoch = model_serial();
    model_cache_reset();
}

void
model_settle(const struct lyd_node *tree)
{
    struct model_index *ix = model_index_of(tree);
    const struct lyd_node *n;

    /* While the nodes are still in the cache: the rules would make most of these tables anyway. */
    LYD_TREE_DFS_BEGIN(tree, n) {
        if (n->schema && (n->schema->nodetype & LYD_NODE_TERM))
            (void)lyd_get_value(n);
        else if (ix && n->schema && lyd_child(n) && !(lyd_parent(n) ? n->priv : ix->root_table))
            (void)fz_make(ix, n);
        LYD_TREE_DFS_END(tree, n);
    }
}

void
model_freeze(const struct er_model *m)
{
    if (!m || !m->idx)
        return;
    if (m->idx->frozen)
        model_thaw(m);
    /* model_list()'s index serves model_find() while frozen; what building
     * left in it may name nodes freed since. */
    model_cache_reset();
    /* A canonical text made on first read would be a write the rule threads race on. */
    if (m->net && !m->devices_settled) {
        model_settle(m->net);
    } else if (m->net) {
        const struct lyd_node *c;

        LY_LIST_FOR(lyd_child(m->net), c) {
            if (!c->schema || strcmp(c->schema->name, "device"))
                model_settle(c);
        }
    }
    __atomic_store_n(&m->idx->frozen, 1, __ATOMIC_RELEASE);
}

/* model_child() on a tree that is not frozen: ask libyang, or scan. */
struct lyd_node *
model_child_find(const struct lyd_node *parent, const struct lysc_node *s)
{
    struct lyd_node *c;
    unsigned n = 0;

    /* Containers and lists may sit behind long lists (bgp after 200
     * interfaces): libyang's child hash finds them at once. Leaves come early. */
    if (s->nodetype & (LYS_CONTAINER | LYS_LIST))
        return lyd_find_sibling_val(lyd_child(parent), s, NULL, 0, &c) ? NULL : c;
    /* An absent leaf of a device would scan its 200 interfaces: after a few
     * siblings, the hash answers instead. */
    LY_LIST_FOR(lyd_child(parent), c) {
        if (c->schema == s)
            return c;
        if (++n == 8 && s->nodetype == LYS_LEAF)
            return lyd_find_sibling_val(c, s, NULL, 0, &c) ? NULL : c;
    }
    return NULL;
}

struct lyd_node *
model_child(const struct lyd_node *parent, const char *name)
{
    const struct lysc_node *s;
    struct model_index *ix;
    struct lyd_node *c;
    struct fz_table *t;
    unsigned pos;
    void *p;

    if (!parent || !parent->schema)
        return NULL;
    /* A parent with a table names its model at once; others walk up to the root. */
    if (lyd_parent(parent)) {
        p = __atomic_load_n(&parent->priv, __ATOMIC_ACQUIRE);
        t = fz_is_packed(p) ? NULL : p;
        ix = t ? t->ix : model_index_of(parent);
    } else {
        ix = model_index_of(parent);
        p = ix ? __atomic_load_n(&ix->root_table, __ATOMIC_ACQUIRE) : NULL;
    }
    if (!(s = schema_child(ix ? ix->id : 0, parent->schema, name, &pos)))
        return NULL;
    model_reads_note(s);
    if (!p && fz_frozen(ix))
        p = fz_make(ix, parent);
    if (fz_is_packed(p))
        return fz_unpack(parent, (uintptr_t)p, pos);
    if ((t = p))
        return pos < t->n ? t->first[pos] : NULL;
    if (!fz_frozen(ix))
        return model_child_find(parent, s);
    /* Frozen but no table (out of memory): libyang's hash lookups are one at a time. */
    pthread_mutex_lock(&ix->lock);
    c = model_child_find(parent, s);
    pthread_mutex_unlock(&ix->lock);
    return c;
}

struct lyd_node *
model_next(const struct lyd_node *node)
{
    /* Instances of one list or leaf-list are kept next to each other. */
    struct lyd_node *n = node->next;

    return (n && n->schema == node->schema) ? n : NULL;
}

const char *
model_value(const struct lyd_node *term)
{
    if (!term)
        return NULL;
    model_reads_note(term->schema);
    return lyd_get_value(term);
}

const char *
model_str(const struct lyd_node *parent, const char *leaf)
{
    return model_value(model_child(parent, leaf));
}

int
model_u64(const struct lyd_node *parent, const char *leaf, uint64_t *out)
{
    const char *v = model_str(parent, leaf);

    if (!v)
        return 0;
    *out = strtoull(v, NULL, 10);
    return 1;
}

int
model_bool(const struct lyd_node *parent, const char *leaf, int dflt)
{
    const char *v = model_str(parent, leaf);

    return v ? !strcmp(v, "true") : dflt;
}

/*
 * A frozen tree answers model_find() from the list's key index on the
 * parent's table (fz_keys), made with every entry of the list on its first
 * lookup and shared by the reading threads. Only for a single key: a key of another
 * type than string is looked up by its canonical text, as libyang would
 * compare it. A key libyang refuses (quoted both ways, too long for the
 * predicate, not a valid value) finds nothing, as with libyang.
 */
static int
fz_find(struct model_index *ix, const struct lyd_node *parent, const struct lysc_node *s, const char *key,
        struct lyd_node **out)
{
    const struct lysc_node *k = lysc_node_child(s);
    const char *canon = NULL;
    struct fz_table *t;
    struct fz_keys *ks;
    void *p;
    int rc = 1;

    if (!fz_frozen(ix) || !k || k->nodetype != LYS_LEAF || (k->next && (k->next->flags & LYS_KEY)))
        return 0;
    *out = NULL;
    if ((strchr(key, '\'') && strchr(key, '"')) || strlen(k->name) + strlen(key) + 5 >= PRED_MAX)
        return 1;
    if (((const struct lysc_node_leaf *)k)->type->basetype != LY_TYPE_STRING) {
        LY_ERR r = lyd_value_validate(NULL, k, key, strlen(key), NULL, NULL, &canon);

        if (r != LY_SUCCESS) {
            lydict_remove(LYD_CTX(parent), canon);
            /* A value that needs the tree to resolve (a leafref) is libyang's to find. */
            return r != LY_EINCOMPLETE;
        }
        key = canon;
    }
    /* What answers under parent: its packed word or its table, made now if none yet. */
    if (!(p = lyd_parent(parent) ? __atomic_load_n(&parent->priv, __ATOMIC_ACQUIRE) : fz_have(parent)))
        p = fz_make(ix, parent);
    if (fz_is_packed(p)) {
        /* A parent of few children has no table: its entries are compared in order. */
        struct lyd_node *e;

        for (e = model_child(parent, s->name); e && e->schema == s; e = e->next) {
            if (lyd_child(e) && lyd_child(e)->schema == k && !strcmp(lyd_get_value(lyd_child(e)), key)) {
                *out = e;
                break;
            }
        }
        goto done;
    }
    if (!(t = p) || !(ks = fz_keys_get(t, parent, s, k))) {
        rc = 0;
        goto done;
    }
    *out = fz_key_slot(ks, key)->node;
done:
    if (canon)
        lydict_remove(LYD_CTX(parent), canon);
    return rc;
}

struct lyd_node *
model_find(const struct lyd_node *parent, const char *list, const char *key)
{
    const struct lysc_node *s;
    struct model_index *ix;
    struct lyd_node *out = NULL;
    char pred[PRED_MAX];
    int frozen;

    /* A NULL key (an optional reference left unset) names nothing. */
    if (!parent || !key)
        return NULL;
    ix = model_index_of(parent);
    if (!(s = model_child_schema_ix(ix, parent, list, LYS_LIST)))
        return NULL;
    model_reads_note(s);
    if (fz_find(ix, parent, s, key, &out))
        return out;
    model_predicate(pred, sizeof pred, lysc_node_child(s)->name, key);
    if ((frozen = fz_frozen(ix)))
        pthread_mutex_lock(&ix->lock);
    if (lyd_find_sibling_val(lyd_child(parent), s, pred, 0, &out))
        out = NULL;
    if (frozen)
        pthread_mutex_unlock(&ix->lock);
    return out;
}

struct lyd_node *
model_find_device(const struct er_model *m, const char *name)
{
    return model_find(m->net, "device", name);
}
