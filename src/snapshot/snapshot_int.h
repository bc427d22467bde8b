/**
 * @file snapshot_int.h
 * @brief What the two halves of the snapshot module share (src/snapshot only):
 * the writer, whose directory and files snapshot.c owns and whose device
 * entries and manifest snapshot_manifest.c owns, and the helpers both use.
 */
#ifndef ER_SNAPSHOT_INT_H
#define ER_SNAPSHOT_INT_H

#include <pthread.h>
#include <stddef.h>

#include "snapshot.h"

struct snap_writer {
    struct ly_ctx *ctx;
    char *final_dir;
    char *tmp_dir;
    int tmp_fd;              /* opened at begin: syncfs() reports every write error since */
    int replace;             /* an earlier snapshot under final_dir may be replaced */
    char created[32];
    int device_secrets;          /* the manifest says the replies keep their secrets */
    char *digest, *selection;    /* snap_writer_inventory() */
    char **asked;
    size_t n_asked;
    unsigned merged_from;        /* snap_writer_merged() */
    pthread_mutex_t lock;
    struct snap_device *devices;
    size_t n_devices, cap;
};

/** @brief strdup() that passes NULL through. */
char *snap_strdup(const char *s);

/** @brief Free what a device entry holds (not the entry). */
void snap_device_clear(struct snap_device *d);

/** @brief A name from a snapshot for a message: printable ASCII only, cut short, quoted, into @p buf. */
const char *snap_quote(const char *v, char *buf, size_t size);

/** @brief Merge the entries of a device recorded by several collectors into one (caller holds the lock or is alone). */
void snap_writer_merge(struct snap_writer *w);

/**
 * @brief The manifest of what @p w recorded, as JSON into @p json (the
 * caller frees it). @return ER_OK, or the error in @p err.
 */
er_code snap_manifest_print(struct snap_writer *w, char **json, struct er_err *err);

/** @brief Free the manifest's part of @p w: its device entries and the inventory's digest, selection and names. */
void snap_writer_manifest_free(struct snap_writer *w);

#endif
