/**
 * @file model_int.h
 * @brief What model.c (building) and model_read.c (reading) share; not for
 * other modules.
 */
#ifndef ER_MODEL_INT_H
#define ER_MODEL_INT_H

#include "model.h"

#include <pthread.h>

/** Room for a key predicate; a longer one is cut and then refused by libyang. */
#define PRED_MAX 1024

/** How many schema nodes may have frozen children (tables indexed by position). */
#define FZ_SHAPES 64

/** The schema children of one schema node, in lys_getnext() order. */
struct fz_shape {
    const struct lysc_node *parent;     /**< published last (release store) */
    size_t n;
    const struct lysc_node **child;
};

struct fz_table;
struct fz_chunk;

/**
 * Everything the model layer remembers about one model beside its tree,
 * created and freed with it (model_new()/model_free()). Its /network root
 * points here (lyd_node.priv of the root), and so do the roots of the
 * networks model_part_new() makes to build devices apart: from any node,
 * model_index_of() finds it.
 */
struct model_index {
    uint64_t magic;                     /**< MODEL_INDEX_MAGIC */
    unsigned long id;                   /**< unique in the process: keys the per-thread schema memos */
    unsigned long epoch;                /**< unique per freeze/thaw: a thread's chunk of another epoch is stale */
    int frozen;                         /**< model_freeze() .. model_thaw(): tables are made on first read */
    int mv_off;                         /**< a value given in binary came back different: text from now on */
    struct fz_table *root_table;        /**< the /network's table (its priv points here, to the index) */
    struct fz_chunk *chunks;            /**< every table of this model, for model_thaw() */
    struct fz_chunk *packs;             /**< every node whose priv packs its children, for model_thaw() */
    struct fz_shape shapes[FZ_SHAPES];
    pthread_mutex_t lock;               /**< adding shapes and chunks; libyang lookups in the frozen tree */
    pthread_key_t path_key;             /**< each thread's model_path() buffer */
    int path_key_ok;
};

#define MODEL_INDEX_MAGIC 0x6572617564697831ULL

/** @brief A new index (model_read.c); NULL when out of memory. */
struct model_index *model_index_new(void);

/** @brief Free @p ix, after model_thaw(); NULL is fine. */
void model_index_free(struct model_index *ix);

/** @brief The index of the model @p node belongs to (through its root), NULL for a tree of no model. */
struct model_index *model_index_of(const struct lyd_node *node);

/** @brief A new number, unique in the process (model ids and epochs). */
unsigned long model_serial(void);

/**
 * @brief Schema node of child @p name (of node type @p type) of @p parent,
 * memoized per thread for the model of @p ix (NULL: not memoized); NULL if none.
 */
const struct lysc_node *model_child_schema_ix(const struct model_index *ix, const struct lyd_node *parent,
        const char *name, uint16_t type);

/** @brief model_child_schema_ix() with the index of @p parent's model. */
const struct lysc_node *model_child_schema(const struct lyd_node *parent, const char *name, uint16_t type);

/**
 * @brief First child of @p parent with schema @p s, NULL if none: a short
 * scan for a leaf (they come early), libyang's child hash otherwise.
 */
struct lyd_node *model_child_find(const struct lyd_node *parent, const struct lysc_node *s);

/** @brief "[key='value']" into @p buf, quoted with " when the value holds a '. */
void model_predicate(char *buf, size_t size, const char *key, const char *value);

/**
 * @brief Remember list entry @p node of (@p parent, @p schema) under @p key
 * in this thread's index; a NULL @p key marks the pair as owned (all its
 * entries are in the index). Nonzero when out of memory.
 */
int model_mc_put(const struct lyd_node *parent, const struct lysc_node *schema, const char *key, struct lyd_node *node);

/** @brief The entry remembered under @p key, or NULL; @p owned says whether a miss is final. */
struct lyd_node *model_mc_get(const struct lyd_node *parent, const struct lysc_node *schema, const char *key,
        int *owned);

/** How a value goes to libyang (model_value.c). */
enum mv_how {
    MV_TEXT,    /**< as text: libyang parses and checks it */
    MV_CANON,   /**< text already canonical (a number): lyd_new_term_canon() */
    MV_BIN      /**< binary (an address or prefix): lyd_new_term_bin() / lyd_new_list_bin() */
};

/** A value in the form it goes to libyang; bin and len only for MV_BIN. */
struct mv {
    uint8_t bin[24];
    size_t len;
};

/**
 * @brief How text @p v of a value of leaf (or leaf-list) @p s can go to
 * libyang in the model of @p ix; fills @p out for MV_BIN. A tree of no
 * model (@p ix NULL) takes text.
 */
enum mv_how mv_encode(const struct model_index *ix, const struct lysc_node *s, const char *v, struct mv *out);

/**
 * @brief 1 when node @p term, made from binary, holds text @p v; else (or
 * when @p term is NULL: libyang refused the binary) 0, and from then on
 * every value of the model of @p ix goes as text (the caller makes the node again).
 */
int mv_confirm(struct model_index *ix, const struct lyd_node *term, const char *v);

/** @brief Nonzero once a binary value of the model of @p ix came back different (or @p ix is NULL). */
int mv_disabled(const struct model_index *ix);

#endif
