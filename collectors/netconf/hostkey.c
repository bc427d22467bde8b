/**
 * @file hostkey.c
 * @brief SSH host key checking against a known_hosts file with libssh.
 */
#include "hostkey.h"

#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Checks and appends are serialized: parallel collections share one file,
 * and libssh appends a line without locking it. */
static pthread_mutex_t hostkey_lock = PTHREAD_MUTEX_INITIALIZER;

const char *
hostkey_default_path(char *buf, size_t size)
{
    const char *home = getenv("HOME");
    struct passwd pw, *res = NULL;
    char pwbuf[1024];

    if (!home || !home[0]) {
        if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &res) || !res)
            return NULL;
        home = res->pw_dir;
    }
    snprintf(buf, size, "%s/.ssh/known_hosts", home);
    return buf;
}

er_code
hostkey_fingerprint(ssh_session s, char *buf, size_t size, struct er_err *err)
{
    ssh_key key = NULL;
    unsigned char *hash = NULL;
    size_t hlen = 0;
    char *fp = NULL;
    er_code rc = ER_OK;

    if (ssh_get_server_publickey(s, &key) != SSH_OK) {
        rc = er_set(err, ER_ECOLLECT, "the server sent no host key");
        goto cleanup;
    }
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) ||
            !(fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen))) {
        rc = er_set(err, ER_ECOLLECT, "cannot hash the server host key");
        goto cleanup;
    }
    snprintf(buf, size, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), fp);

cleanup:
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    ssh_key_free(key);
    return rc;
}

/* "HOST:PORT" of the session, for messages. */
static void
host_port(ssh_session s, char *buf, size_t size)
{
    char *host = NULL;
    unsigned int port = 22;

    ssh_options_get(s, SSH_OPTIONS_HOST, &host);
    ssh_options_get_port(s, &port);
    snprintf(buf, size, "%s:%u", host ? host : "?", port);
    ssh_string_free_char(host);
}

er_code
hostkey_check(ssh_session s, const char *device, const char *known_hosts, int accept_new, int *added,
        struct er_err *err)
{
    char fp[256], where[300];
    enum ssh_known_hosts_e state;
    er_code rc = ER_OK;

    if (added)
        *added = 0;
    if (hostkey_fingerprint(s, fp, sizeof fp, err))
        return er_wrap(err, "device %s: ", device);
    host_port(s, where, sizeof where);
    if (ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, known_hosts) < 0)
        return er_set(err, ER_ECOLLECT, "device %s: cannot use known_hosts file %s", device, known_hosts);

    pthread_mutex_lock(&hostkey_lock);
    state = ssh_session_is_known_server(s);
    switch (state) {
    case SSH_KNOWN_HOSTS_OK:
        break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
        /* Never recorded, whatever the options: this is what an attack looks like. */
        rc = er_set(err, ER_ECOLLECT,
                "device %s: host key for %s has CHANGED: the server offers %s, which does not match %s%s; "
                "refusing to connect (if the change is expected, remove the old entry from %s)",
                device, where, fp, known_hosts,
                state == SSH_KNOWN_HOSTS_OTHER ? " (a key of another type is recorded)" : "", known_hosts);
        break;
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        if (!accept_new) {
            rc = er_set(err, ER_ECOLLECT,
                    "device %s: host key for %s is not known (%s not in %s); check the fingerprint "
                    "and add it, or collect with --accept-new-host-keys",
                    device, where, fp, known_hosts);
            break;
        }
        if (ssh_session_update_known_hosts(s) != SSH_OK) {
            rc = er_set(err, ER_ECOLLECT, "device %s: cannot record host key %s for %s in %s: %s",
                    device, fp, where, known_hosts, ssh_get_error(s));
            break;
        }
        if (added)
            *added = 1;
        break;
    case SSH_KNOWN_HOSTS_ERROR:
    default:
        rc = er_set(err, ER_ECOLLECT, "device %s: cannot check host key %s for %s against %s: %s",
                device, fp, where, known_hosts, ssh_get_error(s));
        break;
    }
    pthread_mutex_unlock(&hostkey_lock);
    return rc;
}
