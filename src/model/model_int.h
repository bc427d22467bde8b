/**
 * @file model_int.h
 * @brief What model.c (building) and model_read.c (reading) share; not for
 * other modules.
 */
#ifndef ER_MODEL_INT_H
#define ER_MODEL_INT_H

#include "model.h"

/** Room for a key predicate; a longer one is cut and then refused by libyang. */
#define PRED_MAX 1024

/** Bumped by every new context: schema memos made under an older one are stale. */
extern volatile unsigned model_ctx_gen;

/** @brief Schema node of child @p name (of node type @p type) of @p parent, memoized per thread; NULL if none. */
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

/** @brief How text @p v of a value of leaf (or leaf-list) @p s can go to libyang; fills @p out for MV_BIN. */
enum mv_how mv_encode(const struct lysc_node *s, const char *v, struct mv *out);

/**
 * @brief 1 when node @p term, made from binary, holds text @p v; else (or
 * when @p term is NULL: libyang refused the binary) 0, and from then on
 * every value goes as text (the caller makes the node again).
 */
int mv_confirm(const struct lyd_node *term, const char *v);

/** @brief Nonzero once a binary value came back different. */
int mv_disabled(void);

#endif
