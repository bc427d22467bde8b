/**
 * @file model.c
 * @brief Building the eraudit-network tree over libyang (reading it: model_read.c).
 */
#include "model.h"
#include "datadir.h"
#include "model_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static const char *yang_dir_used;

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
int
model_mc_put(const struct lyd_node *parent, const struct lysc_node *schema, const char *key, struct lyd_node *node)
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

struct lyd_node *
model_mc_get(const struct lyd_node *parent, const struct lysc_node *schema, const char *key, int *owned)
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
        dir = er_data_dir(ER_DATA_YANG);
    if (!is_dir(dir))
        return er_set(err, ER_ENOTFOUND, "YANG directory '%s' not found (set ERAUDIT_YANG_DIR)", dir);
    yang_dir_used = dir;

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

/* A model around @p net (NULL: a new empty /network), with its index; @p net is freed on failure. */
static er_code
model_wrap(struct ly_ctx *ctx, struct lyd_node *net, struct er_model **m, struct er_err *err)
{
    struct er_model *n = calloc(1, sizeof *n);

    if (!n || !(n->idx = model_index_new())) {
        free(n);
        lyd_free_all(net);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    n->ctx = ctx;
    n->mod = ly_ctx_get_module_implemented(ctx, "eraudit-network");
    n->net = net;
    if (!n->net && (!n->mod || lyd_new_inner(NULL, n->mod, "network", 0, &n->net))) {
        model_index_free(n->idx);
        free(n);
        return model_ly_err(ctx, err, "creating /network");
    }
    n->net->priv = n->idx;
    *m = n;
    return ER_OK;
}

er_code
model_adopt(struct ly_ctx *ctx, struct lyd_node *net, struct er_model **m, struct er_err *err)
{
    if (!net)
        return er_set(err, ER_EINVAL, "no tree to adopt");
    return model_wrap(ctx, net, m, err);
}

er_code
model_new(struct ly_ctx *ctx, struct er_model **m, struct er_err *err)
{
    return model_wrap(ctx, NULL, m, err);
}

er_code
model_part_new(const struct er_model *m, struct er_model *part, struct er_err *err)
{
    *part = *m;
    part->devices_settled = 0;
    if (lyd_new_inner(NULL, m->mod, "network", 0, &part->net)) {
        part->net = NULL;
        return model_ly_err(m->ctx, err, "creating a device network");
    }
    part->net->priv = m->idx;
    return ER_OK;
}

void
model_part_free(struct er_model *part)
{
    if (part && part->net) {
        lyd_free_all(part->net);
        part->net = NULL;
    }
}

void
model_free(struct er_model *m)
{
    model_cache_reset();
    if (!m)
        return;
    model_thaw(m);
    lyd_free_all(m->net);
    model_index_free(m->idx);
    free(m);
}

/*
 * The schema node of child @name of @parent, or NULL. Remembered per thread
 * and model (its id: a schema node of a context freed since is never taken):
 * building a device asks the same few thousand times. A hit is checked by
 * name, so a name in a reused buffer cannot return another node.
 */
const struct lysc_node *
model_child_schema_ix(const struct model_index *ix, const struct lyd_node *parent, const char *name, uint16_t type)
{
    static __thread struct {
        const struct lysc_node *parent, *child;
        const char *name;
        uint16_t type;
        unsigned long id;
    } memo[512];
    const struct lysc_node *ps = parent->schema;
    size_t i = (((uintptr_t)ps >> 4) ^ ((uintptr_t)name >> 3) * 31 ^ type) & 511;

    if (!ix)
        return lys_find_child(ps, ps->module, name, 0, type, 0);
    if (memo[i].parent == ps && memo[i].name == name && memo[i].type == type && memo[i].id == ix->id &&
            !strcmp(memo[i].child->name, name))
        return memo[i].child;
    memo[i].child = lys_find_child(ps, ps->module, name, 0, type, 0);
    memo[i].parent = memo[i].child ? ps : NULL;
    memo[i].name = name;
    memo[i].type = type;
    memo[i].id = ix->id;
    return memo[i].child;
}

const struct lysc_node *
model_child_schema(const struct lyd_node *parent, const char *name, uint16_t type)
{
    return model_child_schema_ix(model_index_of(parent), parent, name, type);
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

/* "[key='value']", quoting with " when the value holds a '. */
void
model_predicate(char *buf, size_t size, const char *key, const char *value)
{
    char q = strchr(value, '\'') ? '"' : '\'';

    snprintf(buf, size, "[%s=%c%s%c]", key, q, value, q);
}

/* New leaf or leaf-list entry @p s = @p value under @p parent, binary or canonical when model_value.c allows. */
static LY_ERR
new_term(struct model_index *ix, struct lyd_node *parent, const struct lysc_node *s, const char *value)
{
    struct lyd_node *n = NULL;
    struct mv v;

    switch (mv_encode(ix, s, value, &v)) {
    case MV_BIN:
        /* Refused or read back otherwise: libyang's layout is not ours, so text from now on. */
        if (lyd_new_term_bin(parent, NULL, s->name, v.bin, v.len, 0, &n))
            n = NULL;
        if (mv_confirm(ix, n, value))
            return LY_SUCCESS;
        lyd_free_tree(n);
        break;
    case MV_CANON:
        return lyd_new_term_canon(parent, NULL, s->name, value, 0, NULL);
    case MV_TEXT:
        break;
    }
    return lyd_new_term(parent, NULL, s->name, value, 0, NULL);
}

/* New entry of one-key list @p s with key @p key under @p parent, as new_term() does values. */
static LY_ERR
new_list(struct model_index *ix, struct lyd_node *parent, const struct lysc_node *s, const char *key,
        struct lyd_node **out)
{
    struct mv v;

    switch (mv_encode(ix, lysc_node_child(s), key, &v)) {
    case MV_BIN:
        if (lyd_new_list_bin(parent, NULL, s->name, 0, out, v.bin, v.len))
            *out = NULL;
        if (mv_confirm(ix, lyd_child(*out), key))
            return LY_SUCCESS;
        lyd_free_tree(*out);
        break;
    case MV_CANON:
        return lyd_new_list_canon(parent, NULL, s->name, 0, out, key);
    case MV_TEXT:
        break;
    }
    return lyd_new_list(parent, NULL, s->name, 0, out, key);
}

er_code
model_list(struct lyd_node *parent, const char *list, const char *key, struct lyd_node **out, struct er_err *err)
{
    return model_list_made(parent, list, key, out, NULL, err);
}

er_code
model_list_made(struct lyd_node *parent, const char *list, const char *key, struct lyd_node **out, int *made,
        struct er_err *err)
{
    struct model_index *ix = model_index_of(parent);
    const struct lysc_node *s = model_child_schema_ix(ix, parent, list, LYS_LIST);
    char pred[PRED_MAX];
    int owned;

    if (made)
        *made = 0;
    if (!s)
        return build_err(parent, err, list, key);
    if ((*out = model_mc_get(parent, s, key, &owned)))
        return ER_OK;
    if (!owned) {
        /* No entries yet: this pair is ours from now on. Else ask libyang. */
        if (lyd_find_sibling_val(lyd_child(parent), s, NULL, 0, NULL)) {
            model_mc_put(parent, s, NULL, NULL);
        } else {
            model_predicate(pred, sizeof pred, lysc_node_child(s)->name, key);
            if (!lyd_find_sibling_val(lyd_child(parent), s, pred, 0, out)) {
                model_mc_put(parent, s, key, *out);
                return ER_OK;
            }
        }
    }
    if (new_list(ix, parent, s, key, out))
        return build_err(parent, err, list, key);
    if (made)
        *made = 1;
    model_mc_put(parent, s, key, *out);
    return ER_OK;
}

er_code
model_list2(struct lyd_node *parent, const char *list, const char *key1, const char *key2, struct lyd_node **out,
        struct er_err *err)
{
    return model_list2_made(parent, list, key1, key2, out, NULL, err);
}

er_code
model_list2_made(struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        struct lyd_node **out, int *made, struct er_err *err)
{
    const struct lysc_node *s = model_child_schema(parent, list, LYS_LIST);
    const struct lysc_node *k1, *k2;
    char p1[512], p2[512], pred[1100];

    if (!s)
        return build_err(parent, err, list, key1);
    k1 = lysc_node_child(s);
    k2 = k1->next;
    model_predicate(p1, sizeof p1, k1->name, key1);
    model_predicate(p2, sizeof p2, k2->name, key2);
    snprintf(pred, sizeof pred, "%s%s", p1, p2);
    if (made)
        *made = 0;
    if (!lyd_find_sibling_val(lyd_child(parent), s, pred, 0, out))
        return ER_OK;
    if (lyd_new_list(parent, NULL, list, 0, out, key1, key2))
        return build_err(parent, err, list, pred);
    if (made)
        *made = 1;
    return ER_OK;
}

er_code
model_cont(struct lyd_node *parent, const char *name, struct lyd_node **out, struct er_err *err)
{
    const struct lysc_node *s = model_child_schema(parent, name, LYS_CONTAINER);

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
    struct model_index *ix = model_index_of(parent);
    const struct lysc_node *s = model_child_schema_ix(ix, parent, name, LYS_LEAF);
    struct lyd_node *old;
    LY_ERR r;

    if (!s)
        return build_err(parent, err, name, value);
    if ((old = model_child_find(parent, s))) {
        /* State repeats most of the config: the same text is the same value. */
        if (!strcmp(lyd_get_value(old), value))
            return ER_OK;
        r = lyd_change_term(old, value);
        if (r != LY_SUCCESS && r != LY_EEXIST && r != LY_ENOT)
            return build_err(parent, err, name, value);
        return ER_OK;
    }
    if (new_term(ix, parent, s, value))
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
    struct model_index *ix = model_index_of(parent);
    const struct lysc_node *s = model_child_schema_ix(ix, parent, name, LYS_LEAFLIST);

    if (!s)
        return build_err(parent, err, name, value);
    /* Lookup canonizes the value first, so a bad value fails here or below. */
    if (!lyd_find_sibling_val(lyd_child(parent), s, value, 0, NULL))
        return ER_OK;
    if (new_term(ix, parent, s, value))
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
    struct lyd_node *net = NULL;

    if (lyd_parse_data_path(ctx, path, LYD_JSON, LYD_PARSE_STRICT, LYD_VALIDATE_PRESENT, &net)) {
        model_ly_err(ctx, err, path);
        return ER_EINVAL;
    }
    return model_wrap(ctx, net, m, err);
}
