/**
 * @file prefix.h
 * @brief IPv4/IPv6 prefixes (pfx_* module): parse, format, contain, overlap.
 *
 * Addresses are kept as 16 bytes; IPv4 lives in the first 4 bytes with
 * family 4. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) stays IPv6: it is
 * a different prefix from a.b.c.d for routing purposes.
 */
#ifndef ER_PREFIX_H
#define ER_PREFIX_H

#include <stddef.h>
#include <stdint.h>

/** A prefix; host bits are always zero after pfx_parse(). */
struct pfx {
    uint8_t family;          /**< 4 or 6 */
    uint8_t len;             /**< 0..32 or 0..128 */
    uint8_t addr[16];
};

/** Longest text of a prefix, with NUL. */
#define PFX_STRLEN 50

/**
 * @brief Parse "a.b.c.d/len", "x::y/len" or a bare address (host prefix).
 * @param strict when set, host bits must be zero ("10.0.0.1/8" is refused).
 * @return 0 on success, -1 on a bad string.
 */
int pfx_parse(const char *s, struct pfx *p, int strict);

/** @brief Parse an address and a separate prefix length. */
int pfx_parse_addr(const char *addr, unsigned len, struct pfx *p);

/** @brief Format as canonical text into @p buf (PFX_STRLEN bytes); returns @p buf. */
char *pfx_format(const struct pfx *p, char *buf);

/** @brief 1 when @p outer contains @p inner (same family, shorter or equal, same bits). */
int pfx_contains(const struct pfx *outer, const struct pfx *inner);

/** @brief 1 when the two prefixes share any address. */
int pfx_overlaps(const struct pfx *a, const struct pfx *b);

/** @brief 1 when equal. */
int pfx_equal(const struct pfx *a, const struct pfx *b);

/** @brief Bit @p i (0 = most significant) of the address. */
int pfx_bit(const struct pfx *p, unsigned i);

/** @brief 1 for RFC 1918, RFC 6598 (100.64/10), loopback, link-local, ULA, documentation, multicast, 0/8. */
int pfx_is_bogon(const struct pfx *p);

/** @brief 1 when the prefix lies in RFC 1918, 100.64/10 or fc00::/7 (private sources needing NAT). */
int pfx_is_private(const struct pfx *p);

#endif
