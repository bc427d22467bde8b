/**
 * @file yamlread.h
 * @brief The typed YAML reader the inventory and the user rules share
 * (yr_* module). A file is loaded as one bounded libyaml document (no tabs
 * for indentation, one document, no aliases, nesting and size bounded);
 * each getter checks one node against what the schema expects and, when it
 * is not that, fails with "FILE:LINE:COL: expected X, got Y".
 */
#ifndef ER_YAMLREAD_H
#define ER_YAMLREAD_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "err.h"

/** The most keys a mapping's schema names (yr_map_fields). */
#define YR_MAX_KEYS 16

/** One loaded document and where its errors go. */
struct yread {
    const char *name;            /**< the file, for messages */
    yaml_document_t *doc;
    struct er_err *err;
    int max_depth;
    int have_doc;
    yaml_document_t docbuf;
};

/** @brief Load @p buf (named @p name) as one document; on error nothing needs freeing. */
er_code yr_load(struct yread *y, const char *name, const char *buf, size_t len, int max_depth, size_t max_size,
        struct er_err *err);

/** @brief The document's root node; NULL for an empty file. */
yaml_node_t *yr_root(struct yread *y);

/** @brief Free the document (a second call does nothing). */
void yr_free(struct yread *y);

/** @brief Fail at node @p n (NULL: line 1) with a printf message; returns ER_EINVAL. */
er_code yr_fail(struct yread *y, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** @brief "expected @p what, got <what @p n is>". */
er_code yr_expect(struct yread *y, const yaml_node_t *n, const char *what);

/** @brief 1 for a missing node or a plain null scalar (~, null, empty). */
int yr_is_null(const yaml_node_t *n);

/** @brief What a node is, for the "got ..." half of a message. */
const char *yr_describe(const yaml_node_t *n, char *buf, size_t size);

/** @brief @p names (NULL-terminated) joined with ", ". */
void yr_join(const char *const *names, char *buf, size_t size);

/** @brief The node of index @p idx. */
yaml_node_t *yr_node(struct yread *y, int idx);

/** @brief A scalar node's text. */
const char *yr_sval(const yaml_node_t *n);

/** @brief Match mapping @p map's keys against @p keys; vals[i] gets keys[i]'s value or NULL; unknown or repeated keys fail. */
er_code yr_map_fields(struct yread *y, const yaml_node_t *map, const char *what, const char *const *keys,
        yaml_node_t **vals);

/** @brief Fail unless @p v (key @p key of @p map, in @p where) is present. */
er_code yr_need(struct yread *y, const yaml_node_t *map, const yaml_node_t *v, const char *key, const char *where);

/** @brief Typed getters: a non-empty string, an integer in [lo, hi], a port, one of @p names, a boolean, a list of strings. */
er_code yr_get_str(struct yread *y, const yaml_node_t *n, const char *what, char **out);
er_code yr_get_uint(struct yread *y, const yaml_node_t *n, const char *what, unsigned long lo, unsigned long hi,
        uint32_t *out);
er_code yr_get_port(struct yread *y, const yaml_node_t *n, const char *what, uint16_t *out);
er_code yr_get_enum(struct yread *y, const yaml_node_t *n, const char *what, const char *const *names, int *out);
er_code yr_get_enum_str(struct yread *y, const yaml_node_t *n, const char *what, const char *const *names,
        char **out);
er_code yr_get_bool(struct yread *y, const yaml_node_t *n, const char *what, int *out);
er_code yr_get_strlist(struct yread *y, const yaml_node_t *n, const char *what, const char *item, char ***v,
        size_t *cnt);

/** @brief Allocate an array for the items of sequence @p n (one spare, zeroed); fails unless @p n is a list. */
er_code yr_seq_alloc(struct yread *y, const yaml_node_t *n, const char *what, size_t elem, void **arr);

#endif
