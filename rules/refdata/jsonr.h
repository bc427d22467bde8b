/**
 * @file jsonr.h
 * @brief A small, fast JSON reader (jr_* module) for the Microsoft data
 * files (service tags, Microsoft 365 endpoints).
 *
 * The whole document is parsed into one flat array of nodes in document
 * order; a container's children follow it and `end` is the index just past
 * its subtree, so walking needs no pointers and no allocation per node.
 * Strings are decoded in place in the file's buffer (escapes only shrink),
 * so a node's string stays valid as long as the document. Errors name the
 * file, line and column.
 */
#ifndef ER_JSONR_H
#define ER_JSONR_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "err.h"

/** Node types. */
enum jr_type { JR_NULL, JR_FALSE, JR_TRUE, JR_NUM, JR_STR, JR_ARR, JR_OBJ };

/** One value; object members carry their key. */
struct jr_node {
    enum jr_type type;
    uint32_t end;        /**< index just past this node's subtree */
    uint32_t line;       /**< line the value starts on (1-based) */
    const char *key;     /**< member name inside an object, else NULL */
    const char *s;       /**< string value or number text (NUL-terminated) */
};

/** A parsed document. */
struct jr_doc {
    struct jr_node *v;
    size_t n, cap;
    char *buf;           /**< owned text the strings point into */
    const char *name;    /**< file name, for messages (not owned) */
};

/**
 * @brief Read and parse a whole file.
 * @return ER_OK, ER_EIO (unreadable), ER_EINVAL ("FILE:LINE:COL: expected ..."), ER_ENOMEM.
 */
er_code jr_parse_file(const char *path, struct jr_doc *d, struct er_err *err);

/**
 * @brief jr_parse_file() of a stream opened by the caller (a file inside a
 * snapshot); @p path names it in messages. The caller closes @p fp.
 */
er_code jr_parse_fp(FILE *fp, const char *path, struct jr_doc *d, struct er_err *err);

/**
 * @brief Parse @p len bytes of @p text; the document takes ownership of
 * @p text (malloc'ed, one spare byte after @p len) even on failure.
 */
er_code jr_parse(const char *name, char *text, size_t len, struct jr_doc *d, struct er_err *err);

/** @brief Free a document's contents; NULL is fine. */
void jr_free(struct jr_doc *d);

/** @brief Member @p key of object node @p obj (an index), or -1. */
long jr_get(const struct jr_doc *d, size_t obj, const char *key);

/** @brief First child of container @p i, or -1 when empty or not a container. */
long jr_first(const struct jr_doc *d, size_t i);

/** @brief Next sibling of child @p i inside container @p parent, or -1. */
long jr_next(const struct jr_doc *d, size_t parent, size_t i);

/** @brief String of member @p key of @p obj when it is a string, else NULL. */
const char *jr_str(const struct jr_doc *d, size_t obj, const char *key);

/** Iterate over the children of container @p parent. */
#define JR_FOR(d, parent, it) \
    for ((it) = jr_first((d), (parent)); (it) >= 0; (it) = jr_next((d), (parent), (size_t)(it)))

#endif
