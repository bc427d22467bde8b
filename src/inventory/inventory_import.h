/**
 * @file inventory_import.h
 * @brief Draft an eraudit inventory from the lists teams already keep
 * (imp_* module): a NetBox devices export, an Ansible YAML inventory, an
 * Oxidized router.db.
 *
 * Each reader turns its source into a list of candidate devices (name, host,
 * role, site, collectors) with the source's own words kept for comments
 * (role, platform, groups). One bad row costs that row only: it is named
 * with its line or index on the warning stream and in the written file.
 * Credentials are never read from the source (Oxidized's username/password
 * columns, Ansible's ansible_password, ...) and never invented: the written
 * inventory names one auth profile whose settings the reviewer fills in.
 */
#ifndef ER_INVENTORY_IMPORT_H
#define ER_INVENTORY_IMPORT_H

#include <stdio.h>

#include "err.h"
#include "inventory.h"

/** The sources imp_run() reads. */
enum imp_format { IMP_NETBOX, IMP_ANSIBLE, IMP_OXIDIZED };

/** Longest source text kept per field (role, platform, groups, notes). */
#define IMP_TEXT_MAX 160

/** One device drafted from a source row. */
struct imp_device {
    char name[IMP_TEXT_MAX];          /**< longer than a device name may be, so a long one is refused, not cut */
    char host[256];
    char site[IMP_TEXT_MAX];          /**< "" when the source has none */
    char where[48];                   /**< "line 12", "results[3]" */
    char role_src[IMP_TEXT_MAX];      /**< the source's role or groups, "" if none */
    const char *role_kind;            /**< what role_src is ("NetBox role", "Ansible groups"), static */
    char platform[IMP_TEXT_MAX];      /**< the source's platform/model/network_os, "" if none */
    char note[IMP_TEXT_MAX];          /**< one more line of comment, "" if none */
    uint16_t port;                    /**< NETCONF port, 0: the default */
    int netconf_hint;                 /**< the source says NETCONF is used (ansible_connection) */
};

/** What a reader produced: devices, and the rows it skipped (counted; named on @p warn). */
struct imp_list {
    struct imp_device *v;
    size_t n, cap;
    size_t skipped;
    FILE *warn;                       /**< where skipped rows are named (stderr), after the source's name */
    const char *source;               /**< the file read, for those messages */
    char **skips;                     /**< the same messages, for the written file */
    size_t n_skips;
};

/** Options of the Oxidized reader (Oxidized's source.csv settings). */
struct imp_opts {
    char delimiter;                   /**< field separator, default ':' */
    const char *map;                  /**< "name=0,model=1[,group=N][,ip=N]", NULL: Oxidized's default */
    const char *auth;                 /**< auth profile name to write, default "default" */
};

/**
 * @brief Add a device to @p l, refusing a bad or duplicate name (the row is
 * then skipped and named; that is not an error of the whole import).
 * @return ER_OK (added or skipped), ER_ENOMEM.
 */
er_code imp_add(struct imp_list *l, const struct imp_device *d, struct er_err *err);

/** @brief Skip a row: name it on the warning stream and keep it for the file. */
er_code imp_skip(struct imp_list *l, struct er_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** @brief Free a list's contents; NULL is fine. */
void imp_list_free(struct imp_list *l);

/**
 * @brief Copy @p src into @p dst (size @p size), cut at the size.
 */
void imp_copy(char *dst, size_t size, const char *src);

/** @brief Read a NetBox /api/dcim/devices/ export (one page or a list of devices). */
er_code imp_read_netbox(const char *path, struct imp_list *l, struct er_err *err);

/** @brief Read an Ansible YAML inventory (groups, hosts, children, vars). */
er_code imp_read_ansible(const char *path, struct imp_list *l, struct er_err *err);

/** @brief Read an Oxidized router.db with the field map and delimiter of @p o. */
er_code imp_read_oxidized(const char *path, const struct imp_opts *o, struct imp_list *l, struct er_err *err);

/**
 * @brief Write the drafted inventory, commented, to @p out.
 * @param source the file it came from; @p fmt its format.
 */
void imp_write(FILE *out, enum imp_format fmt, const char *source, const struct imp_list *l, const char *auth);

/**
 * @brief Read @p path as @p fmt and write the draft to @p out_path (atomically;
 * NULL: standard output). An existing @p out_path is replaced only with @p force.
 * @return ER_OK (with skipped rows named on @p warn), ER_EINVAL (unreadable
 * format, no device imported, an existing output), ER_EIO, ER_ENOMEM.
 */
er_code imp_run(enum imp_format fmt, const char *path, const struct imp_opts *o, const char *out_path, int force,
        FILE *warn, struct er_err *err);

#endif
