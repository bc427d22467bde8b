/**
 * @file mapper.h
 * @brief What the normalizers share: turning one device's raw data in a
 * snapshot into its part of the eraudit-network tree.
 *
 * Raw data lives in SNAPSHOT/devices/NAME/ (see snapshot.h). The NETCONF
 * mappers read the netconf XML files, the SNMP mappers the snmp walk files. Each
 * writes under the device node @c dev, which already has name and role.
 */
#ifndef ER_MAPPER_H
#define ER_MAPPER_H

#include "err.h"
#include "model.h"
#include "prefix.h"

/** Which datastore a file holds; decides state-source leaves. */
enum map_source { MAP_CONFIG, MAP_STATE };

/** Everything a mapper needs for one device. */
struct map_ctx {
    struct er_model *m;
    struct lyd_node *dev;     /**< /network/device[name] */
    const char *device;       /**< device name, for messages */
    const char *file;         /**< file being read, for messages */
    enum map_source source;
    struct er_err *err;       /**< first hard error ("device er1: running.xml:12: ...") */
    /** Routes (RIB entries) are kept only when this says so; NULL keeps all.
     * A full Internet table must not become a million tree nodes. */
    int (*keep_route)(const struct pfx *route, void *arg);
    void *keep_arg;
    /** Set when a file would have been read outside the device's directory
     * (a link out of the snapshot): bad input, not a device fault. */
    int escaped;
};

/**
 * @brief Map every NETCONF reply of a device directory (netconf/running.xml,
 * netconf/state.xml; candidate.xml only when @p candidate is set, replacing
 * running). Vendor XML is matched by namespace and element name, without
 * the vendor's YANG files.
 * @return ER_OK; ER_ENOTFOUND when the device has no netconf/ directory;
 * ER_EINVAL with a message naming device, file, line and element for a bad
 * reply (truncated, not XML, unknown namespace only, bad value).
 */
er_code nc_map_device(struct map_ctx *mc, const char *devdir, int candidate);

/**
 * @brief nc_map_device() of a device directory opened by the caller
 * (@p devfd, below a snapshot's): every file is opened below it, never
 * outside (beneath.h); @p devdir names it in messages.
 */
er_code nc_map_device_at(struct map_ctx *mc, int devfd, const char *devdir, int candidate);

/**
 * @brief Map every SNMP walk of a device directory (snmp/NAME.walk in the
 * text `snmpbulkwalk -On` prints). Rows are decoded per MIB by numeric OID.
 * @return ER_OK; ER_ENOTFOUND when the device has no snmp/ directory;
 * ER_EINVAL naming device, file, line and OID for a bad walk
 * (non-increasing OIDs, unparsable line, bad index).
 */
er_code snmp_map_device(struct map_ctx *mc, const char *devdir);

/** @brief snmp_map_device() of a device directory opened by the caller, as nc_map_device_at(). */
er_code snmp_map_device_at(struct map_ctx *mc, int devfd, const char *devdir);

#endif
