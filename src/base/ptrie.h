/**
 * @file ptrie.h
 * @brief A binary radix trie of prefixes (ptrie_* module): longest-prefix
 * match and overlap queries, one trie per address family inside.
 *
 * Each stored prefix carries a caller pointer. Inserting the same prefix
 * again replaces the pointer.
 */
#ifndef ER_PTRIE_H
#define ER_PTRIE_H

#include "prefix.h"

struct ptrie;

/** @brief A new empty trie, NULL when out of memory. */
struct ptrie *ptrie_new(void);

/** @brief Free the trie (not the values); NULL is fine. */
void ptrie_free(struct ptrie *t);

/** @brief Insert @p p with @p value. @return 0, -1 when out of memory. */
int ptrie_insert(struct ptrie *t, const struct pfx *p, void *value);

/** @brief Number of prefixes stored. */
size_t ptrie_count(const struct ptrie *t);

/** @brief Value of exactly @p p, NULL if absent (found set to 1 when present). */
void *ptrie_get(const struct ptrie *t, const struct pfx *p, int *found);

/**
 * @brief Longest stored prefix containing @p p.
 * @return 1 and fills @p match/@p value when found, else 0.
 */
int ptrie_lookup(const struct ptrie *t, const struct pfx *p, struct pfx *match, void **value);

/**
 * @brief Call @p cb for every stored prefix that overlaps @p p (those that
 * contain it, then those it contains). Stops when @p cb returns non-zero.
 * @return the number of prefixes visited.
 */
size_t ptrie_overlaps(const struct ptrie *t, const struct pfx *p,
        int (*cb)(const struct pfx *found, void *value, void *arg), void *arg);

/** @brief Walk every stored prefix in order. */
void ptrie_walk(const struct ptrie *t, int (*cb)(const struct pfx *found, void *value, void *arg), void *arg);

#endif
