/**
 * @file sshcfg.h
 * @brief Opt-in OpenSSH client configuration for a NETCONF session
 * (sshcfg_* module).
 *
 * Off unless the inventory says `ssh-config: true` (~/.ssh/config, then
 * /etc/ssh/ssh_config) or `ssh-config: PATH` for the device, its auth
 * profile or the defaults. With it on, libssh reads the file for the
 * inventory's host: HostName, IdentityFile, ProxyJump / ProxyCommand,
 * ciphers and the like apply. What the inventory says wins: the port
 * (NETCONF, not the CLI's 22), the user and the credentials of the auth
 * profile; an IdentityFile of the file is tried after the profile's key.
 *
 * A ProxyJump (libssh 0.10 runs it as `ssh -W [%h]:%p JUMP`), or any
 * ProxyCommand that runs `ssh`, is given the same configuration file (-F),
 * BatchMode (never a prompt), the inventory's known_hosts with strict host
 * key checking (accept-new only with --accept-new-host-keys) and the
 * connect timeout: the jump host's key is checked as the device's is. Its
 * error output goes to a private file and becomes the device's reason.
 */
#ifndef ER_SSHCFG_H
#define ER_SSHCFG_H

#include <limits.h>

#include <libssh/libssh.h>

#include "err.h"
#include "inventory.h"

/** What applying the configuration left for the session's caller. */
struct sshcfg {
    int on;                        /**< an ssh-config applies to this device */
    int identity;                  /**< the file names an IdentityFile for the host (sshcfg_identity()) */
    char proxy_err[PATH_MAX];      /**< file taking the proxy command's stderr ("" none) */
    char proxy[16];                /**< "ProxyJump" / "ProxyCommand" when one is used, else "" */
};

/**
 * @brief Read the device's ssh-config (if any) into @p ss, whose host, user
 * and port the caller set from the inventory.
 * @param[in] ss session, not connected.
 * @param[in] inv, d the inventory and the device.
 * @param[in] port the device's NETCONF port (set again after the file).
 * @param[in] known_hosts the inventory's known_hosts (also for a jump host).
 * @param[in] accept_new record unknown host keys (jump hosts too).
 * @param[in] connect_ms the connect timeout (the jump host's too).
 * @param[out] out what the caller needs later; sshcfg_done() it.
 * @param[out] err "device D: ssh-config PATH (INVENTORY:LINE) cannot be read: ...".
 * @return ER_OK (also when off), ER_ECOLLECT.
 */
er_code sshcfg_apply(ssh_session ss, const struct inventory *inv, const struct inv_device *d, unsigned port,
        const char *known_hosts, int accept_new, unsigned connect_ms, struct sshcfg *out, struct er_err *err);

/**
 * @brief The IdentityFile the file gave, expanded by libssh (call after
 * ssh_connect()); "" when none.
 */
const char *sshcfg_identity(ssh_session ss, const struct sshcfg *c, char *buf, size_t size);

/**
 * @brief Why the proxy command failed: the last line it wrote to stderr,
 * into @p buf ("" when none); for a failed connect.
 */
const char *sshcfg_proxy_error(const struct sshcfg *c, char *buf, size_t size);

/** @brief Remove what sshcfg_apply() made (the proxy's error file). */
void sshcfg_done(struct sshcfg *c);

#endif
