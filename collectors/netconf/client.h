/**
 * @file client.h
 * @brief Live NETCONF collection over SSH with libnetconf2 2.0 (ncc_* module).
 *
 * For every inventory device with INV_COLLECT_NETCONF, a bounded pool of
 * threads connects over SSH with libssh (host key checked against
 * known_hosts, never a prompt; public key file, ssh-agent or a password read
 * with inv_secret_read(), keyboard-interactive as a fallback), runs the
 * NETCONF session with libnetconf2 2.0, and writes into the snapshot, below
 * devices/NAME/netconf/:
 *
 *     capabilities.txt   <hello> capability URIs, one a line, followed by one
 *                        "NS?module=M&revision=R" line per module that only
 *                        ietf-yang-library lists (YANG 1.1 modules)
 *     yang-library.xml   the device's ietf-yang-library data (when advertised)
 *     running.xml        <get-config> running
 *     candidate.xml      <get-config> candidate (when :candidate is advertised)
 *     state.xml          <get-data> operational (NMDA) or <get>, filtered to
 *                        the subtrees the mappers read (ncc_state_filter)
 *     schemas/M@R.yang   every module the device lists, by <get-schema>
 *
 * Each XML file is the device's <rpc-reply> as received, framing removed
 * (<data> inside; ietf-netconf-nmda's <data> for <get-data>), with the
 * values of device secrets replaced by a marker (redact.h) unless
 * keep_device_secrets is set.
 * A Junos device (its <hello> lists the Junos capability) is asked in its
 * own RPCs instead: see junos_rpc.h for the requests and the files.
 * Replies carrying data do not go through libnetconf2's libyang parser:
 * see tap.h. A reply over max_reply_bytes stops being read and fails the
 * device; memory stays bounded by that limit per job.
 *
 * Each device's status goes to snap_writer_device(): "collected",
 * "partial" (configuration collected, operational data or candidate not) or
 * "failed" with a reason that never carries a secret.
 */
#ifndef ER_NCC_CLIENT_H
#define ER_NCC_CLIENT_H

#include <stddef.h>

#include "err.h"
#include "inventory.h"
#include "prefix.h"
#include "snapshot.h"

/** Collection options; start from ncc_opts_default(). */
struct ncc_opts {
    unsigned jobs;              /**< devices collected at once (threads), default 16 */
    int connect_timeout_ms;     /**< TCP connect + SSH key exchange + login, default 10000; a device's or the
                                     inventory's defaults' connect-timeout replaces it unless connect_timeout_set */
    int rpc_timeout_ms;         /**< waiting for one reply, default 60000 */
    int connect_timeout_set;    /**< 1: connect_timeout_ms wins over the inventory's (command line) */
    int rpc_timeout_set;        /**< 1: rpc_timeout_ms wins over the inventory's */
    size_t max_reply_bytes;     /**< larger replies fail the device, default bound_cap() (ERAUDIT_MAX_FILE_SIZE, 256 MiB) */
    int accept_new_host_keys;   /**< record unknown host keys (never changed ones) */
    const char *schema_cache;   /**< directory of per-device schema caches; NULL: ncc_default_schema_cache(), "": none */
    int fetch_schemas;          /**< fetch schemas with <get-schema>, default 1 */
    int keep_device_secrets;    /**< store replies as sent; default 0: secrets replaced (redact.h) */
    const struct pfx *keep;     /**< prefixes whose routes matter (Junos: asked one by one; IOS-XR RIB filter); may be NULL */
    size_t n_keep;
};

/** @brief Fill @p o with the defaults. */
void ncc_opts_default(struct ncc_opts *o);

/**
 * @brief Default schema cache directory: $XDG_CACHE_HOME/eraudit/schemas or
 * ~/.cache/eraudit/schemas.
 * @return @p buf, or NULL when no home directory is known.
 */
const char *ncc_default_schema_cache(char *buf, size_t size);

/**
 * @brief Subtree filter of the operational data the mappers read
 * (OpenConfig interfaces, network-instances, routing-policy, acl; IETF
 * interfaces, routing, NAT, ACLs).
 */
const char *ncc_state_filter(void);

/**
 * @brief Collect every NETCONF device of @p inv into @p w.
 *
 * Devices fail one by one (status "failed" and a reason in the snapshot);
 * the others go on. The inventory's known_hosts (default ~/.ssh/known_hosts)
 * is checked, and extended only with @c accept_new_host_keys.
 *
 * @param[in] inv inventory.
 * @param[in] w snapshot being written.
 * @param[in] opts options, NULL for the defaults.
 * @param[out] err set on a failure that stops the whole collection.
 * @return ER_OK when every device was tried (some may have failed);
 * ER_EINVAL (bad options), ER_ENOMEM, ER_EIO (snapshot not writable).
 */
er_code ncc_collect(const struct inventory *inv, struct snap_writer *w, const struct ncc_opts *opts,
        struct er_err *err);

#endif
