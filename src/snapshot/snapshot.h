/**
 * @file snapshot.h
 * @brief Snapshots: the raw evidence of one collection (snap_* module).
 *
 * Layout of a snapshot directory:
 *
 *     manifest.json                 eraudit-snapshot:manifest (JSON, RFC 7951)
 *     inventory.yaml                the inventory used (references only, no secrets)
 *     devices/NAME/netconf/running.xml     <get-config> running reply (device secrets redacted)
 *     devices/NAME/netconf/candidate.xml   <get-config> candidate (when served)
 *     devices/NAME/netconf/state.xml       <get>/<get-data> operational reply
 *     devices/NAME/netconf/capabilities.txt  one capability URI a line
 *     devices/NAME/netconf/schemas/MOD@REV.yang  schemas the device served
 *     devices/NAME/snmp/TABLE.walk          `snmpbulkwalk -On` text
 *
 * A writer builds the snapshot in a temporary sibling directory and renames
 * it into place on commit, so an interrupted collection never leaves half a
 * snapshot under the final name; it never replaces anything but an earlier
 * snapshot, and that only when asked to.
 */
#ifndef ER_SNAPSHOT_H
#define ER_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include <libyang/libyang.h>

#include "err.h"
#include "names.h"

/** Collection status of one device. */
struct snap_device {
    char *name;
    char *status;            /**< collected | partial | failed */
    char *reason;            /**< why not collected (no secrets) */
    char *collectors;        /**< "netconf", "snmp", "netconf snmp" */
    uint64_t rows_read, rows_kept; /**< SNMP routes read / kept */
};

/** An opened snapshot. */
struct snapshot {
    char *dir;
    int dirfd;               /**< the directory, opened: every file is read below it (beneath.h) */
    char *created;           /**< RFC 3339 */
    char *tool_version;
    int device_secrets;      /**< collected with --keep-device-secrets: the replies hold secrets */
    struct snap_device *devices;
    size_t n_devices;
    struct name_index device_names;   /**< for snap_device_find() */
};

/**
 * @brief Open a snapshot directory and read its manifest.
 * @return ER_OK; ER_ENOTFOUND (no directory / manifest); ER_EINVAL (bad manifest, with file and line).
 */
er_code snap_open(struct ly_ctx *ctx, const char *dir, struct snapshot **s, struct er_err *err);

/** @brief Free; NULL is fine. */
void snap_free(struct snapshot *s);

/**
 * @brief Open the snapshot directory @p dir (O_DIRECTORY) into @p fd.
 * @return ER_OK; ER_ENOTFOUND ("DIR: snapshot directory not found").
 */
er_code snap_root_open(const char *dir, int *fd, struct er_err *err);

/** @brief Status entry of a device, NULL if the manifest does not list it. */
const struct snap_device *snap_device_find(const struct snapshot *s, const char *name);

/** @brief "DIR/devices/NAME" into @p buf. */
const char *snap_device_dir(const char *snapdir, const char *name, char *buf, size_t size);

struct snap_writer;

/**
 * @brief Start writing a snapshot that will be renamed to @p final_dir on commit.
 *
 * A snapshot goes into a new directory: @p final_dir must not exist, or,
 * with @p replace (`--force`), hold an earlier snapshot (a manifest eraudit
 * reads). Anything else there (a user's directory, a file, a symbolic link)
 * is refused before anything is written or any device contacted; commit
 * looks again before it renames.
 * @return ER_OK; ER_EINVAL (refused, with the path and why); ER_EIO.
 */
er_code snap_writer_begin(struct ly_ctx *ctx, const char *final_dir, int replace, struct snap_writer **w,
        struct er_err *err);

/** @brief Temporary directory being written (collectors write below devices/NAME/). */
const char *snap_writer_dir(const struct snap_writer *w);

/**
 * @brief Write @p len bytes to devices/DEVICE/RELPATH, creating directories;
 * the whole snapshot reaches the disk (one syncfs) before it is renamed
 * into place on commit.
 * Thread-safe.
 */
er_code snap_write_file(struct snap_writer *w, const char *device, const char *relpath, const void *buf, size_t len,
        struct er_err *err);

/** @brief Copy a file (the inventory, a data file) into the snapshot under @p name (directories made). */
er_code snap_copy_in(struct snap_writer *w, const char *src, const char *name, struct er_err *err);

/**
 * @brief Where a snapshot keeps a data file the inventory names (@p kind:
 * "service-tags", "m365-endpoints", "pac-file", "user-rules",
 * "reference-data"): a path inside the inventory's directory keeps its
 * place, so the inventory copy still finds it; any other (absolute, or with
 * "..") becomes data/KIND-BASENAME. NULL for no path.
 */
const char *snap_data_name(const char *kind, const char *path, char *buf, size_t size);

/** @brief Record in the manifest that the replies are stored with their secrets (--keep-device-secrets). */
void snap_writer_keeps_secrets(struct snap_writer *w);

/**
 * @brief Open a data file (@p dir: a directory) that a snapshot's inventory
 * names, inside the snapshot only (@p root, beneath.h). A relative path is
 * read where it points, below @p root; an absolute one or one with ".." only
 * from the copy collect made of it (snap_data_name()), never from outside.
 * @param[out] fd the descriptor; -1 when @p path is NULL (nothing named)
 * @param[out] buf the path opened, relative to the snapshot
 * @return ER_OK; ER_EINVAL ("INVENTORY:LINE: KIND 'PATH' ...": outside the
 * snapshot with no copy, a link out of it, missing, not a regular file).
 */
er_code snap_data_open(int root, const char *invname, int line, const char *kind, const char *path, int dir, int *fd,
        char *buf, size_t size, struct er_err *err);

/** @brief Record the status of a device (copied). Thread-safe. */
er_code snap_writer_device(struct snap_writer *w, const struct snap_device *d, struct er_err *err);

/**
 * @brief Write the manifest, sync the whole snapshot (every file's write
 * errors are seen here) and rename it into place: an earlier snapshot is
 * swapped out in one rename and then removed without following links, and
 * stays whole when anything fails. Frees @p w in every case.
 */
er_code snap_writer_commit(struct snap_writer *w, struct er_err *err);

/** @brief Remove the temporary directory and free @p w; NULL is fine. */
void snap_writer_abort(struct snap_writer *w);

#endif
