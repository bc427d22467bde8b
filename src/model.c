/**
 * @file model.c
 * @brief Building and reading the eraudit-network tree over libyang.
 */
#include "model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ER_SOURCE_YANG_DIR
#define ER_SOURCE_YANG_DIR "yang"
#endif
#ifndef ER_INSTALL_YANG_DIR
#define ER_INSTALL_YANG_DIR "/usr/local/share/eraudit/yang"
#endif

static const char *yang_dir_used;

/* Bumped by every new context: schema memos made under an older one are stale. */
static volatile unsigned ctx_gen = 1;

/*
 * A per-thread index of list entries made through model_list(), so building
 * a device does not pay libyang's predicate lookup (parse + canonicalize the
 * key) for every entry. A (parent, list) pair whose entries were all made
 * here is "owned": a miss there means the entry is new. Anything else falls
 * back to libyang's lookup. model_cache_reset() forgets everything; call it
 * whenever nodes may have been freed.
 */
struct mc_ent {
    const struct lyd_node *parent;
    const struct lysc_node *schema;
    char *key;                      /* NULL marks an owned (parent, list) pair */
    struct lyd_node *node;
};

static __thread struct {
    struct mc_ent *v;
    size_t cap, n;
} mcache;

static uint64_t
mc_hash(const void *parent, const void *schema, const char *key)
{
    uint64_t h = 1469598103934665603ULL ^ (uintptr_t)parent ^ ((uint64_t)(uintptr_t)schema << 17);

    while (key && *key)
        h = (h ^ (unsigned char)*key++) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static struct mc_ent *
mc_slot(const void *parent, const void *schema, const char *key)
{
    size_t i = mc_hash(parent, schema, key) & (mcache.cap - 1);

    for (;; i = (i + 1) & (mcache.cap - 1)) {
        struct mc_ent *e = &mcache.v[i];

        if (!e->parent || (e->parent == parent && e->schema == schema &&
                (key ? e->key && !strcmp(e->key, key) : !e->key)))
            return e;
    }
}

void
model_cache_reset(void)
{
    size_t i;

    for (i = 0; i < mcache.cap; i++)
        free(mcache.v[i].key);
    free(mcache.v);
    memset(&mcache, 0, sizeof mcache);
}

/* Remember @node (or an owned marker when @key is NULL); nonzero when out of memory. */
static int
mc_put(const struct lyd_node *parent, const struct lysc_node *schema, const char *key, struct lyd_node *node)
{
    struct mc_ent *e;

    if (mcache.n * 2 >= mcache.cap) {
        struct mc_ent *old = mcache.v;
        size_t oldcap = mcache.cap, i;

        mcache.cap = oldcap ? oldcap * 2 : 1024;
        mcache.v = calloc(mcache.cap, sizeof *mcache.v);
        if (!mcache.v) {
            mcache.v = old;
            mcache.cap = oldcap;
            return -1;
        }
        for (i = 0; i < oldcap; i++) {
            if (old[i].parent)
                *mc_slot(old[i].parent, old[i].schema, old[i].key) = old[i];
        }
        free(old);
    }
    e = mc_slot(parent, schema, key);
    if (e->parent)
        return 0;
    e->key = key ? strdup(key) : NULL;
    if (key && !e->key)
        return -1;
    e->parent = parent;
    e->schema = schema;
    e->node = node;
    mcache.n++;
    return 0;
}

static struct lyd_node *
mc_get(const struct lyd_node *parent, const struct lysc_node *schema, const char *key, int *owned)
{
    struct mc_ent *e;

    *owned = 0;
    if (!mcache.cap)
        return NULL;
    e = mc_slot(parent, schema, key);
    if (e->parent)
        return e->node;
    *owned = mc_slot(parent, schema, NULL)->parent != NULL;
    return NULL;
}

static int
is_dir(const char *path)
{
    struct stat st;

    return path && !stat(path, &st) && S_ISDIR(st.st_mode);
}

const char *
model_yang_dir(void)
{
    return yang_dir_used;
}

er_code
model_ly_err(const struct ly_ctx *ctx, struct er_err *err, const char *what)
{
    const struct ly_err_item *e = ctx ? ly_err_last(ctx) : NULL;

    if (e && e->path)
        return er_set(err, ER_EYANG, "%s: %s (%s)", what, e->msg, e->path);
    return er_set(err, ER_EYANG, "%s: %s", what, e && e->msg ? e->msg : "libyang error");
}

er_code
model_ctx_new(const char *yang_dir, struct ly_ctx **ctx, struct er_err *err)
{
    static const char *mods[] = {"eraudit-network", "eraudit-findings", "eraudit-snapshot"};
    const char *dir = yang_dir;
    size_t i;

    if (!dir)
        dir = getenv("ERAUDIT_YANG_DIR");
    if (!dir)
        dir = is_dir(ER_SOURCE_YANG_DIR) ? ER_SOURCE_YANG_DIR : ER_INSTALL_YANG_DIR;
    if (!is_dir(dir))
        return er_set(err, ER_ENOTFOUND, "YANG directory '%s' not found (set ERAUDIT_YANG_DIR)", dir);
    yang_dir_used = dir;

    ctx_gen++;
    /* Quiet libyang: its errors reach the user through er_err. */
    ly_log_options(LY_LOSTORE_LAST);
    if (ly_ctx_new(dir, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD, ctx))
        return er_set(err, ER_EYANG, "cannot create a YANG context for '%s'", dir);
    for (i = 0; i < sizeof mods / sizeof *mods; i++) {
        if (!ly_ctx_load_module(*ctx, mods[i], NULL, NULL)) {
            model_ly_err(*ctx, err, mods[i]);
            ly_ctx_destroy(*ctx);
            *ctx = NULL;
            return er_wrap(err, "loading YANG module from %s: ", dir);
        }
    }
    return ER_OK;
}

er_code
model_new(struct ly_ctx *ctx, struct er_model **m, struct er_err *err)
{
    struct er_model *n = calloc(1, sizeof *n);

    if (!n)
        return er_set(err, ER_ENOMEM, "out of memory");
    n->ctx = ctx;
    n->mod = ly_ctx_get_module_implemented(ctx, "eraudit-network");
    if (!n->mod || lyd_new_inner(NULL, n->mod, "network", 0, &n->net)) {
        free(n);
        return model_ly_err(ctx, err, "creating /network");
    }
    *m = n;
    return ER_OK;
}

void
model_free(struct er_model *m)
{
    model_cache_reset();
    if (!m)
        return;
    model_thaw(m);
    lyd_free_all(m->net);
    free(m);
}

/*
 * The schema node of child @name of @parent, or NULL. Remembered per thread:
 * building a device asks the same few thousand times. A hit is checked by
 * name, so a name in a reused buffer cannot return another node.
 */
static const struct lysc_node *
child_schema(const struct lyd_node *parent, const char *name, uint16_t type)
{
    static __thread struct {
        const struct lysc_node *parent, *child;
        const char *name;
        uint16_t type;
        unsigned gen;
    } memo[512];
    const struct lysc_node *ps = parent->schema;
    size_t i = (((uintptr_t)ps >> 4) ^ ((uintptr_t)name >> 3) * 31 ^ type) & 511;

    if (memo[i].parent == ps && memo[i].name == name && memo[i].type == type && memo[i].gen == ctx_gen &&
            !strcmp(memo[i].child->name, name))
        return memo[i].child;
    memo[i].child = lys_find_child(ps, ps->module, name, 0, type, 0);
    memo[i].parent = memo[i].child ? ps : NULL;
    memo[i].name = name;
    memo[i].type = type;
    memo[i].gen = ctx_gen;
    return memo[i].child;
}

static er_code
build_err(const struct lyd_node *parent, struct er_err *err, const char *name, const char *value)
{
    char path[512];
    const struct ly_err_item *e = ly_err_last(LYD_CTX(parent));

    lyd_path(parent, LYD_PATH_STD, path, sizeof path);
    return er_set(err, ER_EYANG, "%s/%s: value '%s' refused: %s", path, name, value ? value : "",
            e && e->msg ? e->msg : "not in the schema");
}

/* Room for a key predicate; a longer one is cut and then refused by libyang. */
#define PRED_MAX 1024

/* "[key='value']", quoting with " when the value holds a '. */
static void
predicate(char *buf, size_t size, const char *key, const char *value)
{
    char q = strchr(value, '\'') ? '"' : '\'';

    snprintf(buf, size, "[%s=%c%s%c]", key, q, value, q);
}

er_code
model_list(struct lyd_node *parent, const char *list, const char *key, struct lyd_node **out, struct er_err *err)
{
    const struct lysc_node *s = child_schema(parent, list, LYS_LIST);
    char pred[PRED_MAX];
    int owned;

    if (!s)
        return build_err(parent, err, list, key);
    if ((*out = mc_get(parent, s, key, &owned)))
        return ER_OK;
    if (!owned) {
        /* No entries yet: this pair is ours from now on. Else ask libyang. */
        if (lyd_find_sibling_val(lyd_child(parent), s, NULL, 0, NULL)) {
            mc_put(parent, s, NULL, NULL);
        } else {
            predicate(pred, sizeof pred, lysc_node_child(s)->name, key);
            if (!lyd_find_sibling_val(lyd_child(parent), s, pred, 0, out)) {
                mc_put(parent, s, key, *out);
                return ER_OK;
            }
        }
    }
    if (lyd_new_list(parent, NULL, list, 0, out, key))
        return build_err(parent, err, list, key);
    mc_put(parent, s, key, *out);
    return ER_OK;
}

er_code
model_list2(struct lyd_node *parent, const char *list, const char *key1, const char *key2, struct lyd_node **out,
        struct er_err *err)
{
    const struct lysc_node *s = child_schema(parent, list, LYS_LIST);
    const struct lysc_node *k1, *k2;
    char p1[512], p2[512], pred[1100];

    if (!s)
        return build_err(parent, err, list, key1);
    k1 = lysc_node_child(s);
    k2 = k1->next;
    predicate(p1, sizeof p1, k1->name, key1);
    predicate(p2, sizeof p2, k2->name, key2);
    snprintf(pred, sizeof pred, "%s%s", p1, p2);
    if (!lyd_find_sibling_val(lyd_child(parent), s, pred, 0, out))
        return ER_OK;
    if (lyd_new_list(parent, NULL, list, 0, out, key1, key2))
        return build_err(parent, err, list, pred);
    return ER_OK;
}

er_code
model_cont(struct lyd_node *parent, const char *name, struct lyd_node **out, struct er_err *err)
{
    const struct lysc_node *s = child_schema(parent, name, LYS_CONTAINER);

    if (!s)
        return build_err(parent, err, name, "");
    if (!lyd_find_sibling_val(lyd_child(parent), s, NULL, 0, out))
        return ER_OK;
    if (lyd_new_inner(parent, NULL, name, 0, out))
        return build_err(parent, err, name, "");
    return ER_OK;
}

er_code
model_leaf(struct lyd_node *parent, const char *name, const char *value, struct er_err *err)
{
    const struct lysc_node *s = child_schema(parent, name, LYS_LEAF);
    struct lyd_node *old;
    LY_ERR r;

    if (!s)
        return build_err(parent, err, name, value);
    if (!lyd_find_sibling_val(lyd_child(parent), s, NULL, 0, &old)) {
        /* State repeats most of the config: the same text is the same value. */
        if (!strcmp(lyd_get_value(old), value))
            return ER_OK;
        r = lyd_change_term(old, value);
        if (r != LY_SUCCESS && r != LY_EEXIST && r != LY_ENOT)
            return build_err(parent, err, name, value);
        return ER_OK;
    }
    if (lyd_new_term(parent, NULL, name, value, 0, NULL))
        return build_err(parent, err, name, value);
    return ER_OK;
}

er_code
model_leaf_u64(struct lyd_node *parent, const char *name, uint64_t value, struct er_err *err)
{
    char buf[24];

    snprintf(buf, sizeof buf, "%" PRIu64, value);
    return model_leaf(parent, name, buf, err);
}

er_code
model_leaflist(struct lyd_node *parent, const char *name, const char *value, struct er_err *err)
{
    const struct lysc_node *s = child_schema(parent, name, LYS_LEAFLIST);

    if (!s)
        return build_err(parent, err, name, value);
    /* Lookup canonizes the value first, so a bad value fails here or below. */
    if (!lyd_find_sibling_val(lyd_child(parent), s, value, 0, NULL))
        return ER_OK;
    if (lyd_new_term(parent, NULL, name, value, 0, NULL))
        return build_err(parent, err, name, value);
    return ER_OK;
}

er_code
model_device(struct er_model *m, const char *name, const char *role, struct lyd_node **dev, struct er_err *err)
{
    er_code rc;

    ER_TRY(rc, model_list(m->net, "device", name, dev, err), done);
    if (role)
        rc = model_leaf(*dev, "role", role, err);
done:
    return rc;
}

/*
 * Schema node of child @name under @parent and its position among the
 * parent's schema children, remembered per thread: rules ask the same few
 * questions millions of times, and names are mostly the same string
 * literals, so a hit costs a pointer compare.
 */
static const struct lysc_node *
schema_child(const struct lysc_node *parent, const char *name, unsigned *pos)
{
    static __thread struct {
        const struct lysc_node *parent;
        const char *name;
        const struct lysc_node *child;
        unsigned pos, gen;
    } memo[512];
    size_t i = (((uintptr_t)parent >> 4) ^ ((uintptr_t)name >> 3) * 31) & 511;
    const struct lysc_node *c = NULL;

    if (memo[i].parent == parent && memo[i].name == name && memo[i].gen == ctx_gen &&
            !strcmp(memo[i].child->name, name)) {
        *pos = memo[i].pos;
        return memo[i].child;
    }
    memo[i].child = lys_find_child(parent, parent->module, name, 0, 0, 0);
    memo[i].parent = memo[i].child ? parent : NULL;
    memo[i].name = name;
    memo[i].gen = ctx_gen;
    /* The same walk as fz_shape(), so the position indexes its tables. */
    for (memo[i].pos = 0; memo[i].child && (c = lys_getnext(c, parent, NULL, 0)) != memo[i].child; )
        memo[i].pos++;
    *pos = memo[i].pos;
    return memo[i].child;
}

/*
 * Frozen reads. While the rules run, nothing changes the tree, so the first
 * model_child() under a parent walks its children once and keeps the first
 * instance of each schema child in a table indexed by the child's position;
 * every later lookup under that parent is an array read. Tables hang on
 * lyd_node.priv (libyang leaves it to us), live in an arena, and go at once
 * in model_thaw(), which clears the priv pointers again.
 *
 * The state is per thread: only the thread that froze the tree reads it this
 * way (the rules run on one thread), while normalizers on other threads keep
 * the plain lookups on their trees under construction.
 */
struct fz_table {
    struct lyd_node *node;              /* whose priv points here */
    size_t n;
    struct lyd_node *first[];           /* by schema position; NULL when absent */
};

/* The schema children of one schema node, in lys_getnext() order. */
struct fz_shape {
    const struct lysc_node *parent;
    size_t n;
    const struct lysc_node **child;
};

struct fz_chunk {
    struct fz_chunk *next;
    size_t used, cap;                   /* bytes of data[] */
    struct fz_table data[];
};

#define FZ_SHAPES 64

static __thread struct {
    const struct lyd_node *root;        /* the frozen /network, NULL when none */
    struct fz_chunk *chunks;
    struct fz_shape shapes[FZ_SHAPES];
} fz;

static const struct fz_shape *
fz_shape(const struct lysc_node *parent)
{
    size_t i = ((uintptr_t)parent >> 4) & (FZ_SHAPES - 1), k;
    const struct lysc_node *c = NULL;
    struct fz_shape *sh;

    for (k = 0; k < FZ_SHAPES; k++, i = (i + 1) & (FZ_SHAPES - 1)) {
        if (fz.shapes[i].parent == parent)
            return &fz.shapes[i];
        if (!fz.shapes[i].parent)
            break;
    }
    if (k == FZ_SHAPES)
        return NULL;
    sh = &fz.shapes[i];
    while ((c = lys_getnext(c, parent, NULL, 0)))
        sh->n++;
    if (!(sh->child = malloc((sh->n ? sh->n : 1) * sizeof *sh->child))) {
        sh->n = 0;
        return NULL;
    }
    for (k = 0, c = NULL; (c = lys_getnext(c, parent, NULL, 0)); k++)
        sh->child[k] = c;
    sh->parent = parent;
    return sh;
}

static size_t
fz_size(size_t n)
{
    return sizeof(struct fz_table) + n * sizeof(struct lyd_node *);
}

static struct fz_table *
fz_alloc(size_t n)
{
    size_t size = fz_size(n);
    struct fz_chunk *c = fz.chunks;
    struct fz_table *t;

    if (!c || c->cap - c->used < size) {
        size_t cap = size > 65536 ? size : 65536;

        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->next = fz.chunks;
        c->used = 0;
        c->cap = cap;
        fz.chunks = c;
    }
    t = (struct fz_table *)((char *)c->data + c->used);
    c->used += size;
    memset(t, 0, size);
    t->n = n;
    return t;
}

/* The table of @parent, made now; NULL when @parent is not in the frozen tree or memory ran out. */
static struct fz_table *
fz_table(const struct lyd_node *parent)
{
    const struct lyd_node *r;
    const struct fz_shape *sh;
    struct fz_table *t;
    struct lyd_node *c;
    size_t j = 0, k;

    for (r = parent; lyd_parent(r); r = lyd_parent(r))
        ;
    if (r != fz.root || !(sh = fz_shape(parent->schema)) || !(t = fz_alloc(sh->n)))
        return NULL;
    /* Children come in schema order, so the search mostly starts where it stopped. */
    LY_LIST_FOR(lyd_child(parent), c) {
        for (k = 0; k < sh->n && sh->child[j] != c->schema; k++)
            j = j + 1 < sh->n ? j + 1 : 0;
        if (k < sh->n && !t->first[j])
            t->first[j] = c;
    }
    /* The tree is frozen, not const: the table is a cache beside it. */
    t->node = (struct lyd_node *)parent;
    t->node->priv = t;
    return t;
}

void
model_thaw(const struct er_model *m)
{
    struct fz_chunk *c, *next;
    struct fz_table *t;
    size_t i, off;

    if (!fz.root || (m && m->net != fz.root))
        return;
    for (c = fz.chunks; c; c = next) {
        for (off = 0; off < c->used; off += fz_size(t->n)) {
            t = (struct fz_table *)((char *)c->data + off);
            t->node->priv = NULL;
        }
        next = c->next;
        free(c);
    }
    for (i = 0; i < FZ_SHAPES; i++)
        free(fz.shapes[i].child);
    memset(&fz, 0, sizeof fz);
    model_cache_reset();
}

void
model_freeze(const struct er_model *m)
{
    model_thaw(NULL);
    /* model_list()'s index serves model_find() while frozen; what building
     * left in it may name nodes freed since. */
    model_cache_reset();
    fz.root = m ? m->net : NULL;
}

/* model_child() on a tree that is not frozen: ask libyang, or scan. */
static struct lyd_node *
child_find(const struct lyd_node *parent, const struct lysc_node *s)
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
    struct fz_table *t;
    unsigned pos;

    if (!parent || !parent->schema || !(s = schema_child(parent->schema, name, &pos)))
        return NULL;
    if (fz.root && ((t = parent->priv) || (t = fz_table(parent))))
        return pos < t->n ? t->first[pos] : NULL;
    return child_find(parent, s);
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
    return term ? lyd_get_value(term) : NULL;
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
 * A frozen tree answers model_find() from model_list()'s index, filled with
 * every entry of the list on its first lookup. Only for a single key of type
 * string, whose text is its value: libyang would canonize any other type
 * first. A key libyang refuses (quoted both ways, or too long for the
 * predicate) is left to it too, so the answer stays NULL.
 */
static int
fz_find(const struct lyd_node *parent, const struct lysc_node *s, const char *key, struct lyd_node **out)
{
    const struct lysc_node *k = lysc_node_child(s);
    struct lyd_node *e;
    int owned, oom = 0;

    if (!fz.root || !k || k->nodetype != LYS_LEAF || (k->next && (k->next->flags & LYS_KEY)) ||
            ((const struct lysc_node_leaf *)k)->type->basetype != LY_TYPE_STRING ||
            (strchr(key, '\'') && strchr(key, '"')) || strlen(k->name) + strlen(key) + 5 >= PRED_MAX)
        return 0;
    if ((*out = mc_get(parent, s, key, &owned)) || owned)
        return 1;
    if (!parent->priv && !fz_table(parent))
        return 0;
    for (e = model_child(parent, s->name); e; e = model_next(e)) {
        if (lyd_child(e) && lyd_child(e)->schema == k)
            oom |= mc_put(parent, s, lyd_get_value(lyd_child(e)), e);
    }
    /* Marked complete only when every entry made it in. */
    if (oom || mc_put(parent, s, NULL, NULL))
        return 0;
    *out = mc_get(parent, s, key, &owned);
    return 1;
}

struct lyd_node *
model_find(const struct lyd_node *parent, const char *list, const char *key)
{
    const struct lysc_node *s;
    struct lyd_node *out = NULL;
    char pred[PRED_MAX];

    if (!parent || !(s = child_schema(parent, list, LYS_LIST)))
        return NULL;
    if (fz_find(parent, s, key, &out))
        return out;
    predicate(pred, sizeof pred, lysc_node_child(s)->name, key);
    if (lyd_find_sibling_val(lyd_child(parent), s, pred, 0, &out))
        return NULL;
    return out;
}

struct lyd_node *
model_find_device(const struct er_model *m, const char *name)
{
    return model_find(m->net, "device", name);
}

/* Append @n bytes of @s; 0 when they and the final NUL would not fit. */
static int
path_put(char *buf, size_t size, size_t *used, const char *s, size_t n)
{
    if (*used + n + 1 > size)
        return 0;
    memcpy(buf + *used, s, n);
    *used += n;
    return 1;
}

/* "[name='value']", quoted as lyd_path() quotes: with " when the value holds a '. */
static int
path_pred(char *buf, size_t size, size_t *used, const char *name, const char *value)
{
    const char *q = strchr(value, '\'') ? "\"" : "'";

    return path_put(buf, size, used, "[", 1) && path_put(buf, size, used, name, strlen(name)) &&
            path_put(buf, size, used, "=", 1) && path_put(buf, size, used, q, 1) &&
            path_put(buf, size, used, value, strlen(value)) && path_put(buf, size, used, q, 1) &&
            path_put(buf, size, used, "]", 1);
}

/*
 * lyd_path()'s standard form without its sprintf per piece and its walk up
 * from the node for every level: findings print thousands of paths. What it
 * does not print itself (opaque nodes, positions of keyless lists and state
 * leaf-lists, a path that does not fit) it refuses with 0, for libyang.
 */
static int
path_print(const struct lyd_node *node, char *buf, size_t size)
{
    const struct lyd_node *up[32], *n, *key;
    const struct lys_module *mod;
    size_t depth = 0, used = 0;

    for (n = node; n; n = lyd_parent(n)) {
        if (depth == sizeof up / sizeof *up || !n->schema)
            return 0;
        up[depth++] = n;
    }
    if (!depth)
        return 0;
    while (depth--) {
        const struct lysc_node *s = (n = up[depth])->schema;

        /* The module prefix where the module changes, as at the top. */
        mod = s->module;
        if (lyd_parent(n) && lyd_parent(n)->schema->module == mod)
            mod = NULL;
        if (!path_put(buf, size, &used, "/", 1) ||
                (mod && !(path_put(buf, size, &used, mod->name, strlen(mod->name)) &&
                        path_put(buf, size, &used, ":", 1))) ||
                !path_put(buf, size, &used, s->name, strlen(s->name)))
            return 0;
        if (s->nodetype == LYS_LIST) {
            if (s->flags & LYS_KEYLESS)
                return 0;
            for (key = lyd_child(n); key && key->schema && (key->schema->flags & LYS_KEY); key = key->next) {
                if (!path_pred(buf, size, &used, key->schema->name, lyd_get_value(key)))
                    return 0;
            }
        } else if (s->nodetype == LYS_LEAFLIST) {
            if (!(s->flags & LYS_CONFIG_W) || !path_pred(buf, size, &used, ".", lyd_get_value(n)))
                return 0;
        }
    }
    buf[used] = '\0';
    return 1;
}

const char *
model_path(const struct lyd_node *node)
{
    static __thread char buf[1024];

    if (!path_print(node, buf, sizeof buf) && !lyd_path(node, LYD_PATH_STD, buf, sizeof buf))
        snprintf(buf, sizeof buf, "(path too long)");
    return buf;
}

er_code
model_validate(struct er_model *m, struct er_err *err)
{
    if (lyd_validate_all(&m->net, m->ctx, LYD_VALIDATE_PRESENT, NULL))
        return model_ly_err(m->ctx, err, "the network tree does not match eraudit-network");
    return ER_OK;
}

er_code
model_print_json(const struct er_model *m, FILE *out, struct er_err *err)
{
    if (lyd_print_file(out, m->net, LYD_JSON, LYD_PRINT_WITHSIBLINGS))
        return er_set(err, ER_EIO, "cannot write the model as JSON");
    return ER_OK;
}

er_code
model_load_json(struct ly_ctx *ctx, const char *path, struct er_model **m, struct er_err *err)
{
    struct er_model *n = calloc(1, sizeof *n);

    if (!n)
        return er_set(err, ER_ENOMEM, "out of memory");
    n->ctx = ctx;
    n->mod = ly_ctx_get_module_implemented(ctx, "eraudit-network");
    if (lyd_parse_data_path(ctx, path, LYD_JSON, LYD_PARSE_STRICT, LYD_VALIDATE_PRESENT, &n->net)) {
        free(n);
        model_ly_err(ctx, err, path);
        return ER_EINVAL;
    }
    if (!n->net && lyd_new_inner(NULL, n->mod, "network", 0, &n->net)) {
        free(n);
        return model_ly_err(ctx, err, "creating /network");
    }
    *m = n;
    return ER_OK;
}
