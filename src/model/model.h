/**
 * @file model.h
 * @brief The normalized network tree (model_* module): a thin layer over
 * libyang for building and reading yang/eraudit-network data.
 *
 * Every libyang call of the builders goes through here so that a refused
 * value becomes an er_err naming the data path and the value. Collectors
 * and mappers write with model_list()/model_leaf(); rules read with
 * model_child()/model_str()/MODEL_FOR.
 */
#ifndef ER_MODEL_H
#define ER_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include <libyang/libyang.h>

#include "err.h"

struct model_index;

/** A network tree, the context it lives in and what the model layer keeps beside it. */
struct er_model {
    struct ly_ctx *ctx;             /**< shared, not owned */
    const struct lys_module *mod;   /**< eraudit-network */
    struct lyd_node *net;           /**< the /network container */
    struct model_index *idx;        /**< lookup tables, memo keys, value encoding: owned (shared by parts) */
    int devices_settled;            /**< every device went through model_settle() (norm_build) */
};

/**
 * @brief Create a libyang context with eraudit-network and eraudit-findings.
 * @param[in] yang_dir directory of the modules; NULL means er_data_dir(ER_DATA_YANG):
 * $ERAUDIT_YANG_DIR, else share/eraudit/yang next to the binary, else the install prefix's.
 */
er_code model_ctx_new(const char *yang_dir, struct ly_ctx **ctx, struct er_err *err);

/** @brief Directory the YANG modules were loaded from (for yanglint hints). */
const char *model_yang_dir(void);

/** @brief A new empty network (just the /network container). */
er_code model_new(struct ly_ctx *ctx, struct er_model **m, struct er_err *err);

/** @brief Free a model, its tree and its index (not the context); NULL is fine. */
void model_free(struct er_model *m);

/**
 * @brief A part of @p m: a /network of its own, to build a device apart
 * (on another thread) before moving it into @p m->net. It shares @p m's
 * context and index, so what settling the device makes belongs to @p m;
 * @p m must outlive it. Free it with model_part_free(), never model_free().
 */
er_code model_part_new(const struct er_model *m, struct er_model *part, struct er_err *err);

/** @brief Free the tree of a part (what is still in it); NULL or an empty part is fine. */
void model_part_free(struct er_model *part);

/**
 * @brief Get or create the single-key list entry @p list with key @p key
 * under @p parent (e.g. model_list(dev, "interface", "eth0", &ifc, err)).
 */
er_code model_list(struct lyd_node *parent, const char *list, const char *key, struct lyd_node **out,
        struct er_err *err);

/**
 * @brief model_list() telling whether the entry was made now (@p made 1)
 * or was there (0), so a mapper can drop what it made from an element it
 * could not read. @p made may be NULL.
 */
er_code model_list_made(struct lyd_node *parent, const char *list, const char *key, struct lyd_node **out,
        int *made, struct er_err *err);

/**
 * @brief Forget this thread's index of list entries made by model_list().
 * Call it before building a device and after freeing any nodes.
 */
void model_cache_reset(void);

/** @brief Get or create the two-key list entry (prefix-set entry). */
er_code model_list2(struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        struct lyd_node **out, struct er_err *err);

/** @brief model_list2() telling whether the entry was made now, as model_list_made(). */
er_code model_list2_made(struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        struct lyd_node **out, int *made, struct er_err *err);

/** @brief Get or create container @p name under @p parent. */
er_code model_cont(struct lyd_node *parent, const char *name, struct lyd_node **out, struct er_err *err);

/** @brief Set leaf @p name to @p value, replacing an existing value. */
er_code model_leaf(struct lyd_node *parent, const char *name, const char *value, struct er_err *err);

/** @brief model_leaf() with a number. */
er_code model_leaf_u64(struct lyd_node *parent, const char *name, uint64_t value, struct er_err *err);

/** @brief Add @p value to leaf-list @p name unless it is there already. */
er_code model_leaflist(struct lyd_node *parent, const char *name, const char *value, struct er_err *err);

/** @brief Get or create the device entry with its mandatory role. */
er_code model_device(struct er_model *m, const char *name, const char *role, struct lyd_node **dev,
        struct er_err *err);

/**
 * @brief Freeze the tree of @p m for reading: until model_thaw(),
 * model_child() and model_find() under it answer from tables made on first
 * use (kept in @p m's index), and any number of threads may read it (the
 * rules do). Every leaf's canonical text is made now, so reading writes
 * nothing. Nothing may change the tree meanwhile; other models are not
 * affected.
 */
void model_freeze(const struct er_model *m);

/**
 * @brief Read every leaf of @p tree once, so that no later read writes
 * (libyang makes some canonical texts, prefixes, on first read), and make
 * the lookup table of every parent in it now, while its nodes are in the
 * cache. Normalizing threads settle their devices as they finish them;
 * model_freeze() the rest. From then on @p tree must not change, and it
 * must not be freed before model_thaw() or model_free() drops the tables.
 * The tables go to the index of the model @p tree belongs to (a part's
 * tree: the whole model's); a tree of no model is left as it is.
 */
void model_settle(const struct lyd_node *tree);

/**
 * @brief Drop the lookup tables of @p m once no thread reads it: those
 * freezing made and those settling made (also in its parts). Other models'
 * stay. NULL is fine (nothing to do).
 */
void model_thaw(const struct er_model *m);

/** @brief First child of @p parent whose schema name is @p name, or NULL. */
struct lyd_node *model_child(const struct lyd_node *parent, const char *name);

/** @brief Next sibling of @p node with the same schema node, or NULL. */
struct lyd_node *model_next(const struct lyd_node *node);

/** Iterate over the instances of child @p name of @p parent. */
#define MODEL_FOR(parent, name, iter) \
    for ((iter) = model_child((parent), (name)); (iter); (iter) = model_next(iter))

/** @brief Canonical string value of leaf @p leaf under @p parent, or NULL. */
const char *model_str(const struct lyd_node *parent, const char *leaf);

/** @brief Unsigned value of leaf @p leaf; returns 1 and sets @p out if present. */
int model_u64(const struct lyd_node *parent, const char *leaf, uint64_t *out);

/** @brief Boolean leaf @p leaf, or @p dflt when absent. */
int model_bool(const struct lyd_node *parent, const char *leaf, int dflt);

/** @brief Value of a term node itself (leaf or leaf-list instance). */
const char *model_value(const struct lyd_node *term);

/** @brief Find a device entry by name, NULL if none. */
struct lyd_node *model_find_device(const struct er_model *m, const char *name);

/** @brief Find a single-key list entry under @p parent, NULL if none (or when @p key is NULL). */
struct lyd_node *model_find(const struct lyd_node *parent, const char *list, const char *key);

/**
 * @brief Data path of @p node for evidence, in a buffer of this thread kept
 * by the node's model, valid until the next call on this thread or until
 * the model is freed; "(no model)" for a node of no model's tree.
 */
const char *model_path(const struct lyd_node *node);

/** @brief Validate the whole tree against the schema. */
er_code model_validate(struct er_model *m, struct er_err *err);

/** @brief Write the tree as JSON (RFC 7951). */
er_code model_print_json(const struct er_model *m, FILE *out, struct er_err *err);

/**
 * @brief A model around a /network tree parsed elsewhere (a cache's LYB file):
 * the model owns @p net from here on, also when this fails.
 */
er_code model_adopt(struct ly_ctx *ctx, struct lyd_node *net, struct er_model **m, struct er_err *err);

/** @brief Read a tree written by model_print_json() (tests, tools). */
er_code model_load_json(struct ly_ctx *ctx, const char *path, struct er_model **m, struct er_err *err);

/** @brief Turn libyang's last error in @p ctx into @p err, prefixed by @p what. */
er_code model_ly_err(const struct ly_ctx *ctx, struct er_err *err, const char *what);

#endif
