/**
 * @file names.h
 * @brief A hash index over the names of an array of records (names_* module):
 * the inventory's devices, a snapshot's devices. Lookups in a network of
 * thousands of devices stay constant, not a scan each.
 */
#ifndef ER_NAMES_H
#define ER_NAMES_H

#include <stddef.h>
#include <stdint.h>

/** Slots hold a record's index + 1; 0 is empty. */
struct name_index {
    uint32_t *slot;
    size_t cap;             /**< a power of two, at least twice the records */
};

/** @brief Room for @p n names. @return 0, -1 when out of memory. */
int names_init(struct name_index *x, size_t n);

/** @brief Free the slots; the index is empty after. */
void names_free(struct name_index *x);

/**
 * @brief The slot of @p name: the one holding it, or the empty one it would
 * take. The records are at @p base, @p stride bytes apart, each with its name
 * (a char pointer) at offset @p off.
 */
uint32_t *names_slot(const struct name_index *x, const char *name, const void *base, size_t stride, size_t off);

#endif
