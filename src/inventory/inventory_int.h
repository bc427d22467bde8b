/**
 * @file inventory_int.h
 * @brief What the inventory's files share: the parsing context, the schema's
 * enumerations, and the value checks (not for other modules).
 */
#ifndef ER_INVENTORY_INT_H
#define ER_INVENTORY_INT_H

#include "inventory.h"
#include "yamlread.h"

#define INV_MAX_FILE  (4u << 20)   /* an inventory is small; refuse anything huge */
#define INV_MAX_DEPTH 32

/* Parsing context: the document and where errors go. */
struct ictx {
    struct yread y;
    struct inventory *inv;
};

static const char *const __attribute__((unused)) role_names[] = {"er-edge", "internet-edge", "firewall", "wan", "proxy", NULL};
static const char *const __attribute__((unused)) sku_names[] = {"standard", "premium", "local", NULL};
static const char *const __attribute__((unused)) faces_names[] = {"expressroute", "internet", "inside", "dmz", NULL};
static const char *const __attribute__((unused)) cloud_names[] = {"public", "gcc", "gcc-high", "dod", "china", NULL};
static const char *const __attribute__((unused)) sev_names[] = {"info", "low", "medium", "high", "critical", NULL};
static const char *const __attribute__((unused)) level_names[] = {"noAuthNoPriv", "authNoPriv", "authPriv", NULL};
static const char *const __attribute__((unused)) authp_names[] = {"SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "MD5", NULL};
static const char *const __attribute__((unused)) privp_names[] = {"AES", "AES-192", "AES-256", "DES", NULL};
static const char *const __attribute__((unused)) coll_names[] = {"netconf", "snmp", NULL};

/* Value checks (inventory.c). */
int valid_addr(const char *s);
int canon_prefix(char **s);
int valid_date(const char *s);
int valid_env_name(const char *s);

/* Sections read in inv_devices.c: auth profiles and devices. */
er_code get_secret(struct ictx *c, const yaml_node_t *n, struct inv_secret *s);
er_code parse_auths(struct ictx *c, const yaml_node_t *seq);
er_code parse_devices(struct ictx *c, const yaml_node_t *seq);
uint32_t *name_slot(const struct inventory *inv, const char *name);

/* Reaching devices (inv_ssh.c): a duration, an ssh-config value, the "defaults" mapping. */
er_code get_duration(struct ictx *c, const yaml_node_t *n, unsigned *ms);
er_code get_ssh_config(struct ictx *c, const yaml_node_t *n, struct inv_sshcfg *s);
er_code parse_defaults(struct ictx *c, const yaml_node_t *n);

#endif
