/**
 * @file select.h
 * @brief Which of the inventory's devices one poller collects (select_* module).
 *
 * A poller in a segmented network reaches only part of the inventory: it is
 * given a selection (sites, roles, name patterns, a shard) and collects the
 * devices that match all the kinds given (any value of a kind). A shard is
 * chosen by a hash of the device's name alone (FNV-1a, 64 bits), so a
 * device stays in its shard across runs and when other devices are added
 * or removed: a Kubernetes Indexed Job or a Slurm array task passes its
 * index and always polls the same devices.
 */
#ifndef ER_SELECT_H
#define ER_SELECT_H

#include <stdio.h>

#include "err.h"
#include "inventory.h"

/** At most this many values of one kind (--site, --role, --device). */
#define SELECT_MAX 32

/** A selection; all zero selects every device. */
struct select {
    const char *sites[SELECT_MAX];
    size_t n_sites;
    const char *roles[SELECT_MAX];
    size_t n_roles;
    const char *patterns[SELECT_MAX];   /**< fnmatch(3) patterns of device names */
    size_t n_patterns;
    unsigned shard_i, shard_n;          /**< shard I of N (0 <= I < N); N 0: no shard */
};

/** @brief Whether @p sel selects only part of an inventory (any value or a shard given). */
int select_partial(const struct select *sel);

/** @brief The selection as options ("--site east --shard 1/4") into @p buf. */
const char *select_describe(const struct select *sel, char *buf, size_t size);

/**
 * @brief Parse "I/N" (0 <= I < N <= 65536) into @p sel.
 * @return ER_OK; ER_EINVAL with what was expected.
 */
er_code select_parse_shard(struct select *sel, const char *arg, struct er_err *err);

/**
 * @brief Add @p value to the values of @p kind ("site", "role", "device").
 * @return ER_OK; ER_EINVAL (too many, an unknown role).
 */
er_code select_add(struct select *sel, const char *kind, const char *value, struct er_err *err);

/** @brief The shard (0 .. @p n - 1) device @p name belongs to. */
unsigned select_shard_of(const char *name, unsigned n);

/**
 * @brief The devices of @p inv that @p sel selects, as a view of @p inv:
 * @p sub is a shallow copy of @p inv whose device array holds the selected
 * ones (in inventory order); free it with select_view_free() before @p inv.
 * A site or role no device of @p inv has is an error (a typo would poll
 * nothing); a selection that matches no device is not.
 * @return ER_OK; ER_EINVAL ("INVENTORY: no device has site 'X'"); ER_ENOMEM.
 */
er_code select_view(const struct inventory *inv, const struct select *sel, struct inventory *sub,
        struct er_err *err);

/** @brief Free what select_view() made (the device array only). */
void select_view_free(struct inventory *sub);

/**
 * @brief `eraudit collect --list`: print the names of the devices @p sel
 * selects from the inventory @p path, one a line, contacting nothing.
 * @return an exit code (0, or 2 for a bad inventory or selection).
 */
int select_list(const char *path, const struct select *sel, FILE *out, FILE *errout);

#endif
