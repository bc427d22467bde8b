/**
 * @file hostkey.h
 * @brief SSH host key checking against a known_hosts file (hostkey_* module).
 *
 * Never prompts: an unknown or changed key refuses the device with a
 * message that shows the key's SHA256 fingerprint. Unknown keys may be
 * recorded on request (trust on first use); changed keys never are.
 */
#ifndef ER_HOSTKEY_H
#define ER_HOSTKEY_H

#include <stddef.h>

#include <libssh/libssh.h>

#include "err.h"

/**
 * @brief Default known_hosts path: ~/.ssh/known_hosts ($HOME, else the
 * password database).
 * @return @p buf, or NULL when no home directory is known.
 */
const char *hostkey_default_path(char *buf, size_t size);

/**
 * @brief Fingerprint of the key the server of a connected session offers,
 * as "TYPE SHA256:BASE64" (the form ssh-keygen -l prints).
 * @return ER_OK; ER_ECOLLECT when the session has no server key.
 */
er_code hostkey_fingerprint(ssh_session s, char *buf, size_t size, struct er_err *err);

/**
 * @brief Check the server key of a connected session against @p known_hosts.
 *
 * @param[in] s connected session (key exchange done).
 * @param[in] device device name, for messages.
 * @param[in] known_hosts file to check and, with @p accept_new, to extend.
 * @param[in] accept_new record an unknown key and accept it.
 * @param[out] added set to 1 when the key was recorded (may be NULL).
 * @param[out] err why the key is refused, with host, port and fingerprint.
 * @return ER_OK (known, or recorded); ER_ECOLLECT (unknown, changed, or
 * the file cannot be read or written).
 */
er_code hostkey_check(ssh_session s, const char *device, const char *known_hosts, int accept_new, int *added,
        struct er_err *err);

#endif
