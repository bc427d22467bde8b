/**
 * @file inv_ssh.c
 * @brief How a NETCONF device is reached, beyond its address: the
 * inventory's "defaults" mapping, the timeouts a device or the defaults
 * give (connect-timeout, timeout), and the opt-in OpenSSH client
 * configuration (ssh-config) of a device, an auth profile or the defaults.
 *
 * Precedence, most specific first: the command line (--connect-timeout,
 * --timeout; applied by the collector), the device, its auth profile
 * (ssh-config only), the defaults, the collector's built-in values.
 */
#include "inventory_int.h"
#include "duration.h"

#include <stdlib.h>
#include <string.h>

#define DURATION_WHAT "a duration from 1 ms to one day (30, 30s, 1.5, 500ms)"
#define SSHCFG_WHAT "true, false or the path of an OpenSSH client configuration file"

er_code
get_duration(struct ictx *c, const yaml_node_t *n, unsigned *ms)
{
    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || dur_parse_ms(yr_sval(n), ms))
        return yr_expect(&c->y, n, DURATION_WHAT);
    return ER_OK;
}

er_code
get_ssh_config(struct ictx *c, const yaml_node_t *n, struct inv_sshcfg *s)
{
    const char *v;

    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || yr_is_null(n))
        return yr_expect(&c->y, n, SSHCFG_WHAT);
    s->line = (int)n->start_mark.line + 1;
    v = yr_sval(n);
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!strcmp(v, "true") || !strcmp(v, "false"))) {
        s->mode = !strcmp(v, "true") ? INV_SSHCFG_USER : INV_SSHCFG_OFF;
        return ER_OK;
    }
    /* The path reaches libssh (which expands '%') and a ProxyJump's command line (quoted in ''). */
    if (strpbrk(v, "%'\n\r\t") || !v[0])
        return yr_fail(&c->y, n, "expected %s, got a path with '%%', a quote or a control character", SSHCFG_WHAT);
    s->mode = INV_SSHCFG_FILE;
    return yr_get_str(&c->y, n, "a file path", &s->path);
}

er_code
parse_defaults(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"connect-timeout", "timeout", "ssh-config", NULL};
    struct inv_defaults *d = &c->inv->defaults;
    yaml_node_t *v[3];
    er_code rc;

    if ((rc = yr_map_fields(&c->y, n, "a mapping of device defaults (connect-timeout, timeout, ssh-config)", keys,
                 v)) || (rc = get_duration(c, v[0], &d->connect_timeout_ms)) ||
            (rc = get_duration(c, v[1], &d->timeout_ms)))
        return rc;
    return get_ssh_config(c, v[2], &d->ssh_config);
}

void
inv_device_timeouts(const struct inventory *inv, const struct inv_device *d, unsigned *connect_ms,
        unsigned *timeout_ms)
{
    *connect_ms = d->connect_timeout_ms ? d->connect_timeout_ms : inv->defaults.connect_timeout_ms;
    *timeout_ms = d->timeout_ms ? d->timeout_ms : inv->defaults.timeout_ms;
}

const struct inv_sshcfg *
inv_device_ssh_config(const struct inventory *inv, const struct inv_device *d)
{
    const struct inv_auth *a = inv_auth_find(inv, d->auth);
    const struct inv_sshcfg *s = &inv->defaults.ssh_config;

    if (d->ssh_config.mode)
        s = &d->ssh_config;
    else if (a && a->ssh_config.mode)
        s = &a->ssh_config;
    return s->mode == INV_SSHCFG_USER || s->mode == INV_SSHCFG_FILE ? s : NULL;
}
