/**
 * @file inventory.h
 * @brief The inventory: what to audit and how to reach it (inv_* module).
 *
 * Parsed from YAML with libyaml. Unknown keys and wrong values are errors
 * carrying file:line:column and what was expected. The inventory holds
 * references to secrets (environment variable, 0600 file, ssh-agent), never
 * the secrets themselves; inv_secret_read() fetches one when a collector
 * needs it.
 */
#ifndef ER_INVENTORY_H
#define ER_INVENTORY_H

#include <stddef.h>
#include <stdio.h>

#include "names.h"

#include "err.h"

/** Device roles; the names are those of the model (er-edge, ...). */
enum inv_role { INV_ROLE_ER_EDGE, INV_ROLE_INTERNET_EDGE, INV_ROLE_FIREWALL, INV_ROLE_WAN, INV_ROLE_PROXY };

/** Collector bits a device uses. */
#define INV_COLLECT_NETCONF 0x1
#define INV_COLLECT_SNMP    0x2

/** Where a secret comes from. */
enum inv_secret_kind { INV_SECRET_NONE, INV_SECRET_ENV, INV_SECRET_FILE, INV_SECRET_AGENT };

/** A reference to a secret: an environment variable name or a file path. */
struct inv_secret {
    enum inv_secret_kind kind;
    char *ref;               /**< variable name or file path; NULL for NONE/AGENT */
};

/** Whether and which OpenSSH client configuration a NETCONF session reads. */
enum inv_sshcfg_mode {
    INV_SSHCFG_UNSET = 0,    /**< not given here: the next level decides (device, auth profile, defaults) */
    INV_SSHCFG_OFF,          /**< ssh-config: false (the default) */
    INV_SSHCFG_USER,         /**< ssh-config: true: ~/.ssh/config and /etc/ssh/ssh_config */
    INV_SSHCFG_FILE,         /**< ssh-config: PATH (relative to the inventory's directory) */
};

/** An ssh-config setting and where it was given. */
struct inv_sshcfg {
    enum inv_sshcfg_mode mode;
    char *path;              /**< INV_SSHCFG_FILE: the file as written */
    int line;                /**< line of the setting, for messages (0: not given) */
};

/** Settings every device starts from (the inventory's "defaults" mapping). */
struct inv_defaults {
    unsigned connect_timeout_ms; /**< NETCONF connect + SSH login; 0: not given */
    unsigned timeout_ms;         /**< NETCONF: one reply; 0: not given */
    struct inv_sshcfg ssh_config;
};

/** An auth profile: how to log in over SSH/NETCONF and SNMP. */
struct inv_auth {
    char *name;
    /* NETCONF over SSH */
    char *username;
    char *key_file;          /**< private key path, or NULL */
    int use_agent;           /**< 1: use ssh-agent */
    struct inv_secret password;
    /* SNMP */
    int snmp_version;        /**< 0 unset, 2 (v2c) or 3 */
    struct inv_secret community;
    char *v3_user;
    char *v3_level;          /**< noAuthNoPriv | authNoPriv | authPriv */
    char *v3_auth_proto;     /**< SHA, SHA-224, SHA-256, SHA-384, SHA-512, MD5 */
    struct inv_secret v3_auth_pass;
    char *v3_priv_proto;     /**< AES, AES-192, AES-256, DES */
    struct inv_secret v3_priv_pass;
    struct inv_sshcfg ssh_config; /**< for the devices using the profile */
    int line;                /**< line in the inventory file */
};

/** A security zone of a device and what it faces. */
struct inv_zone {
    char *name;
    char *faces;             /**< expressroute | internet | inside | dmz */
    char **interfaces;
    size_t n_interfaces;
};

/** A device to audit. */
struct inv_device {
    char *name;
    char *host;
    uint16_t port;           /**< NETCONF port, default 830 */
    uint16_t snmp_port;      /**< default 161 */
    enum inv_role role;
    char *site;
    unsigned collectors;     /**< INV_COLLECT_* bits */
    char *auth;              /**< auth profile name */
    struct inv_zone *zones;
    size_t n_zones;
    unsigned connect_timeout_ms; /**< 0: not given (inv_device_timeouts()) */
    unsigned timeout_ms;         /**< 0: not given */
    struct inv_sshcfg ssh_config;
    int line;
};

/** One end of a circuit. */
struct inv_circuit_end {
    char *device;
    char *neighbor;          /**< Microsoft's address on the link */
};

/** An ExpressRoute circuit. */
struct inv_circuit {
    char *name;
    char *sku;               /**< standard | premium | local */
    char *peering_location;
    uint32_t bandwidth_mbps;
    struct inv_circuit_end primary, secondary;
    char **prefixes;         /**< registered public prefixes */
    size_t n_prefixes;
    int line;
};

/** A user site. */
struct inv_site {
    char *name;
    char *geo_region;
    uint32_t users;
};

/** A waiver: a finding accepted until a date. */
struct inv_waiver {
    char *rule;
    char *device;            /**< or NULL */
    char *circuit;           /**< or NULL */
    char *owner;
    char *reason;
    char *expires;           /**< YYYY-MM-DD */
    int line;
};

/** A severity override for one rule. */
/** A name the clients' PAC file may resolve, with the address DNS would give it. */
struct inv_pac_host {
    char *name;
    char *addr;
};

struct inv_override {
    char *rule;
    char *severity;
};

/** An answer to a checklist question that cannot be measured. */
struct inv_attestation {
    char *question;          /**< checklist question id, e.g. "WAN-Q1" */
    char *answer;
    char *by;                /**< who answered */
    char *date;              /**< YYYY-MM-DD */
    char *evidence;          /**< where the proof is, or NULL */
    int line;
};

/** The whole inventory. */
struct inventory {
    char *path;              /**< file it was read from */
    char *known_hosts;       /**< NULL: ~/.ssh/known_hosts */
    struct inv_defaults defaults;
    struct inv_auth *auths;
    size_t n_auths;
    struct inv_device *devices;
    size_t n_devices;
    struct inv_circuit *circuits;
    size_t n_circuits;
    /* tenant */
    char *cloud;             /**< public | gcc | gcc-high | dod | china; default public */
    char *pp_region;         /**< Power Platform region, e.g. "europe" */
    char **azure_regions;    /**< optional explicit list; else from reference data */
    size_t n_azure_regions;
    struct inv_site *sites;
    size_t n_sites;
    /* services data paths (relative paths are resolved against the inventory's directory) */
    char *service_tags;
    char *m365_endpoints;
    char *reference_data;    /**< directory overriding rules/data */
    char *pac_file;          /**< the clients' proxy PAC file, or NULL */
    char *pac_client_address;/**< what myIpAddress() answers in the PAC file, or NULL */
    struct inv_pac_host *pac_hosts; /**< what dnsResolve() answers in the PAC file (NULL: no mapping given) */
    size_t n_pac_hosts;
    char *user_rules;        /**< user rules file (YAML), or NULL */
    /** Lines the data paths above were given on, for messages (0: not given). */
    int service_tags_line, m365_endpoints_line, reference_data_line, pac_file_line, user_rules_line;
    struct inv_attestation *attestations;
    size_t n_attestations;
    /* policy */
    char *fail_on;           /**< severity name, default "high" */
    struct inv_override *overrides;
    size_t n_overrides;
    struct inv_waiver *waivers;
    size_t n_waivers;
    /* Device names, for inv_device_find() and the duplicate check; empty
     * (slot NULL) for an inventory made by hand. */
    struct name_index device_names;
};

/**
 * @brief Parse an inventory file.
 * @param[in] path YAML file.
 * @param[out] inv new inventory, free with inv_free().
 * @param[out] err on failure "FILE:LINE:COL: expected ..., got ...".
 * @return ER_OK, ER_EIO (unreadable), ER_EINVAL (bad content).
 */
er_code inv_load(const char *path, struct inventory **inv, struct er_err *err);

/** @brief inv_load() from a stream the caller opened (a snapshot's copy) and closes; @p path names it. */
er_code inv_load_fp(FILE *f, const char *path, struct inventory **inv, struct er_err *err);

/** @brief Parse an inventory from memory; @p name is used in messages. */
er_code inv_load_mem(const char *name, const char *buf, size_t len, struct inventory **inv, struct er_err *err);

/** @brief Free an inventory; NULL is fine. */
void inv_free(struct inventory *inv);

/**
 * @brief Print the inventory normalized, as YAML that inv_load() reads back
 * to the same inventory. Secrets are references already; printed as they are.
 */
void inv_print(FILE *out, const struct inventory *inv);

/** @brief Print @p s as a YAML scalar that inv_load() reads back as the same string (quoted when needed). */
void inv_print_scalar(FILE *out, const char *s);

/**
 * @brief A path named in the inventory, resolved against the inventory's
 * directory when relative (into @p buf); NULL stays NULL.
 */
const char *inv_resolve(const struct inventory *inv, const char *path, char *buf, size_t size);

/** @brief Find a device by name, NULL if none. */
const struct inv_device *inv_device_find(const struct inventory *inv, const char *name);

/** @brief Find an auth profile by name, NULL if none. */
const struct inv_auth *inv_auth_find(const struct inventory *inv, const char *name);

/**
 * @brief A device's NETCONF timeouts from the inventory: the device's own,
 * else the inventory's defaults; 0 where neither gives one (the command
 * line or the collector's default then decides).
 */
void inv_device_timeouts(const struct inventory *inv, const struct inv_device *d, unsigned *connect_ms,
        unsigned *timeout_ms);

/**
 * @brief The ssh-config setting in force for a device: its own, else its auth
 * profile's, else the inventory's defaults; NULL when SSH configuration is
 * off (the default).
 */
const struct inv_sshcfg *inv_device_ssh_config(const struct inventory *inv, const struct inv_device *d);

/** @brief Model name of a role ("er-edge", ...). */
const char *inv_role_name(enum inv_role role);

/**
 * @brief Read a secret into @p buf (NUL-terminated, trailing newline cut).
 * A file must be a regular file of mode 0600 or 0400 owned by the caller.
 * @return ER_OK, ER_ENOTFOUND (unset variable / missing file), ER_EINVAL
 * (file too open, too long). Messages name the reference, never the value.
 */
er_code inv_secret_read(const struct inv_secret *s, char *buf, size_t size, struct er_err *err);

#endif
