/**
 * @file filter_eval.h
 * @brief The filter evaluator (fe_* module): device/filter lists read as the
 * devices run them. Rules are tried in seq order, the first match decides,
 * what no rule matches meets the filter's implicit default (deny for every
 * source model the collectors map: OpenConfig ACL sets, IETF ACLs and zone
 * policies all drop what they do not permit). Protocol "ip"/"any" and port
 * "any" are wildcards; ports restrict TCP, UDP and SCTP only.
 *
 * Questions about a whole traffic space are answered on witness packets: the
 * boundaries of every prefix and port range of the filters involved split
 * the space into cells that every rule matches entirely or not at all, and
 * one packet per cell stands for the cell (fe_space_*). A rule no witness
 * reaches first is shadowed by earlier rules: dead.
 */
#ifndef ERAUDIT_FILTER_EVAL_H
#define ERAUDIT_FILTER_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include <libyang/libyang.h>

#include "prefix.h"

/** Protocol wildcard ("ip", "any", "ipv6" or none). */
#define FE_PROTO_ANY (-1)

/** Address kinds: anything, a prefix, or a named object (service tag, address group). */
enum fe_akind { FE_A_ANY, FE_A_PFX, FE_A_NAME };

/** A rule's address, or a packet's (host prefix or name). */
struct fe_addr {
    enum fe_akind kind;
    struct pfx p;          /**< FE_A_PFX */
    const char *name;      /**< FE_A_NAME; points into the model */
};

/** One rule, parsed. */
struct fe_rule {
    uint32_t seq;
    int permit;
    struct fe_addr src, dst;
    int proto;                 /**< IP protocol number or FE_PROTO_ANY */
    int nports;                /**< 0: any port; else ranges in port[] */
    long port[2][2];           /**< [i][0]..[i][1], inclusive */
    const struct lyd_node *node;
};

/** One filter, its rules sorted by seq. */
struct fe_filter {
    const char *name;
    const struct lyd_node *node;
    struct fe_rule *rules;
    size_t n;
    int default_permit;        /**< the implicit action at the end (0: deny) */
};

/** A packet (its class is proto and port; port -1 for protocols without ports). */
struct fe_pkt {
    struct fe_addr src, dst;
    int proto;
    long port;
};

/** Witness packets of a traffic space. */
struct fe_space {
    struct fe_addr *srcs, *dsts;
    size_t ns, nd, cap_s, cap_d;
    struct fe_pkt *cls;        /**< classes: proto and port only */
    size_t nc, cap_c;
};

/**
 * @brief Parse filter @p f of the model into @p out.
 * @return 0, or -1 with a message in @p why (rule and field) when a rule
 * cannot be read (unparsable ports); -2 when out of memory.
 */
int fe_load(const struct lyd_node *f, struct fe_filter *out, char *why, size_t size);

/** @brief Free what fe_load() allocated. */
void fe_free(struct fe_filter *f);

/** @brief The first rule of @p f matching @p p, NULL when the implicit default decides. */
const struct fe_rule *fe_match(const struct fe_filter *f, const struct fe_pkt *p);

/** @brief 1 when @p f admits @p p; the deciding rule (or NULL) in @p *by when @p by is set. */
int fe_admits(const struct fe_filter *f, const struct fe_pkt *p, const struct fe_rule **by);

/** @brief Add the boundaries of every rule of @p f to @p s; 0, or -1 when out of memory. */
int fe_space_add(struct fe_space *s, const struct fe_filter *f);

/** @brief Number of witness packets of @p s (sources x destinations x classes). */
size_t fe_space_size(const struct fe_space *s);

/** @brief Free @p s. */
void fe_space_free(struct fe_space *s);

/**
 * @brief Witness sources and destinations for the one class (protocol, port)
 * of @p cls over the @p nf filters @p fs: only the rules matching that class
 * split the addresses. @p out holds the class alone; free it with fe_space_free().
 * @return 0, or -1 when out of memory.
 */
int fe_space_class(const struct fe_filter *const *fs, size_t nf, const struct fe_pkt *cls, struct fe_space *out);

/**
 * @brief 1 when some witness of a class of @p s has rule @p r of @p f as its
 * first match (the rule is live), 0 when it is dead, -1 when out of memory.
 */
int fe_live(const struct fe_filter *f, const struct fe_rule *r, const struct fe_space *s);

/** @brief Text of a class: "tcp/443", "udp", "icmp", "proto 47". */
char *fe_class_str(int proto, long lo, long hi, char *buf, size_t size);

/** @brief 1 when @p proto carries ports (TCP, UDP, SCTP). */
int fe_proto_ports(int proto);

#endif
