/**
 * @file snapshot_merge.h
 * @brief Joining the partial snapshots of regional pollers into one
 * (snap_merge_* module): `eraudit snapshot merge A B ... -o S`.
 */
#ifndef ER_SNAPSHOT_MERGE_H
#define ER_SNAPSHOT_MERGE_H

#include <stddef.h>
#include <stdio.h>

/**
 * @brief Merge the snapshots @p inputs (@p n of them) into the new snapshot
 * @p out (written atomically; an earlier snapshot there is replaced only
 * with @p force).
 *
 * The inputs must hold the same inventory.yaml (by digest, and each as its
 * manifest says), else nothing is written. Each device of the inventory is
 * taken from the newest input (manifest creation time; on a tie the later
 * argument) whose manifest lists it, with its files; the others that also
 * list it are named on @p errout. A device no input lists is recorded as
 * failed, "not collected by any poller". Every other file of the inputs
 * (inventory, data files) is carried; a file two inputs hold with different
 * contents is taken from the newest, and named on @p errout.
 * @return an exit code: 0; 2 (bad input, refused, cannot write); 3 (devices
 * not collected).
 */
int snap_merge_run(const char *const *inputs, size_t n, const char *out, int force, FILE *errout);

#endif
