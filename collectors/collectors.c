/**
 * @file collectors.c
 * @brief The table of collectors: NETCONF (a thread pool of SSH sessions)
 * and SNMP (one event loop of walks).
 */
#include "collector.h"

#include "client.h"
#include "session.h"

static er_code
netconf_collect(const struct inventory *inv, struct snap_writer *w, const struct collector_opts *o,
        struct er_err *err)
{
    struct ncc_opts nc;

    ncc_opts_default(&nc);
    if (o->jobs > 0)
        nc.jobs = o->jobs;
    nc.accept_new_host_keys = o->accept_new_host_keys;
    nc.keep_device_secrets = o->keep_device_secrets;
    nc.keep = o->keep;      /* Junos: routes of these prefixes only; IOS-XR: the RIB filter (ncc_xe_xr.h) */
    nc.n_keep = o->n_keep;
    /* Given on the command line, they win over the inventory's (inv_device_timeouts()). */
    if ((nc.connect_timeout_set = o->connect_timeout_ms != 0))
        nc.connect_timeout_ms = (int)o->connect_timeout_ms;
    if ((nc.rpc_timeout_set = o->timeout_ms != 0))
        nc.rpc_timeout_ms = (int)o->timeout_ms;
    return ncc_collect(inv, w, &nc, err);
}

static er_code
netconf_map_at(struct map_ctx *mc, int devfd, const char *devdir, int candidate)
{
    return nc_map_device_at(mc, devfd, devdir, candidate);
}

static er_code
snmp_collect(const struct inventory *inv, struct snap_writer *w, const struct collector_opts *o, struct er_err *err)
{
    struct snmps_opts sn;

    snmps_opts_default(&sn);
    sn.sample_interval_ms = o->sample_interval_ms;
    sn.keep = o->keep;
    sn.n_keep = o->n_keep;
    if (o->timeout_ms)
        sn.timeout_ms = o->timeout_ms;
    return snmps_collect(inv, w, &sn, err);
}

static er_code
snmp_map_at(struct map_ctx *mc, int devfd, const char *devdir, int candidate)
{
    (void)candidate;
    return snmp_map_device_at(mc, devfd, devdir);
}

static const struct collector table[] = {
    {"netconf", INV_COLLECT_NETCONF, netconf_collect, netconf_map_at},
    {"snmp", INV_COLLECT_SNMP, snmp_collect, snmp_map_at},
};

const struct collector *
collectors(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}
