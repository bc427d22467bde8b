/**
 * @file names.h
 * @brief A hash index over the names of an array of records (names_* module):
 * the inventory's devices, a snapshot's devices. Lookups in a network of
 * thousands of devices stay constant, not a scan each. Also the one check
 * of a name that becomes a path component (names_bad()).
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

/** Longest name accepted as a path component (a device's directory). */
#define NAMES_MAX_LEN 64

/**
 * @brief Whether @p name is safe as one path component on any system: 1 to
 * #NAMES_MAX_LEN bytes of letters, digits, '.', '_' and '-', not starting
 * with '.' or '-' (so never "..", a hidden file or an option), never a '/'.
 * @return NULL when it is, else what is wrong ("contains '/'"), for a message.
 */
const char *names_bad(const char *name);

#endif
