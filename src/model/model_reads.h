/**
 * @file model_reads.h
 * @brief Sets of schema nodes (model_reads_* module): what a rule read of
 * the tree, and where two device entries differ.
 *
 * A rule is a function of what it reads. While a thread records into a set
 * (model_reads_start()), every read through the model accessors notes the
 * schema node it touched: model_child() and model_find() the child asked
 * for (present or not, so the instances a loop visits), model_value() the
 * leaf, model_path() every level of the path. model_reads_diff() notes the
 * schema nodes where two entries differ (a value, an instance added, removed
 * or moved). When no node a rule read differs, it reads the same values in
 * the same order on both trees, so it reports the same findings.
 */
#ifndef ER_MODEL_READS_H
#define ER_MODEL_READS_H

#include <libyang/libyang.h>

#include "err.h"

/** A set of schema nodes. */
struct model_reads;

/** The set this thread records into (model_reads_start()), NULL when none. */
extern __thread struct model_reads *model_reads_cur;

/** @brief A new empty set; NULL out of memory. */
struct model_reads *model_reads_new(void);

/** @brief Free a set; NULL is fine. */
void model_reads_free(struct model_reads *r);

/** @brief Add @p s (NULL adds nothing); a set that cannot grow marks itself as holding everything. */
void model_reads_add(struct model_reads *r, const struct lysc_node *s);

/** @brief Note a read of @p s in this thread's set, if it records. */
static inline void
model_reads_note(const struct lysc_node *s)
{
    if (model_reads_cur)
        model_reads_add(model_reads_cur, s);
}

/** @brief Note a read of child @p name of @p parent (present or not) in this thread's set. */
void model_reads_note_child(const struct lyd_node *parent, const char *name);

/** @brief From now on this thread records its reads into @p r (NULL: it stops). */
void model_reads_start(struct model_reads *r);

/** @brief Mark @p r as holding every node (a rule whose reads cannot be traced). */
void model_reads_everything(struct model_reads *r);

/** @brief Add every node of @p from to @p to. */
void model_reads_merge(struct model_reads *to, const struct model_reads *from);

/** @brief 1 when the sets share a node (a set marked as everything shares with any non-empty one). */
int model_reads_meet(const struct model_reads *a, const struct model_reads *b);

/** @brief 1 when @p r is marked as holding every node. */
int model_reads_is_everything(const struct model_reads *r);

/** @brief Call @p cb for every node of @p r (in no particular order). */
void model_reads_each(const struct model_reads *r, void (*cb)(const struct lysc_node *s, void *arg), void *arg);

/** @brief 1 when @p r holds @p s (a set marked as everything holds every node). */
int model_reads_has(const struct model_reads *r, const struct lysc_node *s);

/** @brief 1 when every node of @p a is in @p b (a set marked as everything is only within another such). */
int model_reads_within(const struct model_reads *a, const struct model_reads *b);

/**
 * @brief Make @p r closed for pruning: add every ancestor of its nodes and
 * the keys of every list in it, so that a tree cut down to @p r is a valid
 * tree whose entries keep their keys.
 */
void model_reads_close(struct model_reads *r);

/**
 * @brief Free every node of @p tree whose schema node is not in @p keep
 * (closed with model_reads_close()); nothing when @p keep holds everything.
 * What no rule read is cut: a rule that reads only @p keep reads the same
 * values in the same order before and after.
 */
void model_reads_prune(struct lyd_node *tree, const struct model_reads *keep);

/** @brief Number of nodes in @p r. */
size_t model_reads_count(const struct model_reads *r);

/**
 * @brief Add to @p changed every schema node where the subtrees @p a and
 * @p b differ: a leaf's value, a leaf-list's values or their order, a list's
 * entries or their order (by key), a child present in one only (with every
 * node below it).
 */
void model_reads_diff(const struct lyd_node *a, const struct lyd_node *b, struct model_reads *changed);

#endif
