/**
 * @file model_path.c
 * @brief Paths of nodes in the eraudit-network tree (model_path()), printed
 * without libyang's sprintf per piece: findings print thousands of them.
 */
#include "model.h"
#include "model_reads.h"
#include "model_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Room for a path in model_path()'s buffers. */
#define PATH_MAX_LEN 1024

const char *
model_path(const struct lyd_node *node)
{
    struct model_index *ix = model_index_of(node);
    const struct lyd_node *n;
    char *buf;
    size_t size = PATH_MAX_LEN;

    /* Each thread's buffer is the model's: made on first use, freed with the thread or the model. */
    if (!ix || !ix->path_key_ok)
        return "(no model)";
    if (!(buf = pthread_getspecific(ix->path_key))) {
        if (!(buf = malloc(size)) || pthread_setspecific(ix->path_key, buf)) {
            free(buf);
            return "(out of memory)";
        }
    }

    for (n = model_reads_cur ? node : NULL; n; n = lyd_parent(n))
        model_reads_note(n->schema);
    if (!path_print(node, buf, size) && !lyd_path(node, LYD_PATH_STD, buf, size))
        snprintf(buf, size, "(path too long)");
    return buf;
}

