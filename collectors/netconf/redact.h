/**
 * @file redact.h
 * @brief Device secrets removed from NETCONF replies before they are stored (redact_* module).
 *
 * A reply is evidence handed to auditors; the secrets in a device's
 * configuration (BGP MD5 passwords, Junos `$9$` keys, which are reversible,
 * user password hashes, key-chain keys, RADIUS/TACACS+ shared secrets, SNMP
 * communities and USM keys) are not. redact_xml() replaces the text of every
 * leaf element that holds one with ::REDACT_MARKER, keeping the element, so
 * what the mappers read offline ("an MD5 password is set") is unchanged, and
 * every other byte of the reply stays as the device sent it.
 *
 * Which leaves hold secrets, by the model families read (element local
 * names; namespaces and prefixes are not needed to decide):
 *  - OpenConfig: `auth-password` (BGP neighbors and peer-groups, IS-IS),
 *    openconfig-system `password`, `password-hashed`, AAA `secret-key`,
 *    openconfig-keychain `secret-key`;
 *  - IETF: ietf-key-chain `key-string` (`keystring`, `hexadecimal-string`),
 *    ietf-system user `password` and RADIUS `shared-secret`, ietf-snmp
 *    community entries (`text-name`, `binary-name`, `security-name`) and USM
 *    `auth`/`priv` `key`s, ietf-crypto-types `cleartext-*` and private keys;
 *  - native families (a safety net for Junos and Cisco configurations):
 *    any name containing `password`, `passwd`, `secret`, `passphrase`,
 *    `private-key` or `cleartext`; `authentication-key`, `auth-key`,
 *    `pre-shared-key`, `psk`, `md5-key`, `simple-key`, a leaf named `key`
 *    (Cisco TACACS+/RADIUS `<key><key>`); everything below an
 *    element so named (Junos `<pre-shared-key><ascii-text>`, Cisco
 *    `<secret><secret>`); SNMP communities (a `community*` element below an
 *    `snmp*` one: the element itself when it is a leaf, else its `name`,
 *    `community-name`, `text-name`, `binary-name` and `security-name`);
 *  - any leaf whose value starts like a Junos encrypted key (`$9$`, `$8$`)
 *    or a crypt(3) hash (`$1$`, `$5$`, `$6$`, `$y$`, `$2a$`, `$2b$`, `$2y$`).
 * BGP communities (`community-set`, `community-member`) are not secrets
 * and are kept: "community" counts only below SNMP.
 *
 * The input must be well-formed XML (replies are checked by
 * tap_check_reply() first); the scan is one pass without a tree, and a
 * reply without secrets is not copied.
 */
#ifndef ER_NCC_REDACT_H
#define ER_NCC_REDACT_H

#include <stddef.h>

#include "err.h"

/** What a redacted value reads as: only that a value was set. */
#define REDACT_MARKER "eraudit:redacted"

/**
 * @brief Replace the secrets of an XML document with ::REDACT_MARKER.
 * @param[in] buf the document (need not be NUL-terminated).
 * @param[in] len its length.
 * @param[out] out the redacted copy (malloc'd, NUL-terminated), or NULL
 * when nothing was redacted (use @p buf as it is).
 * @param[out] out_len length of @p out.
 * @param[out] n how many values were redacted (may be NULL).
 * @param[out] err why it failed; the message names a byte offset and never
 * quotes the document.
 * @return ER_OK; ER_EINVAL (not well-formed where the scan needs it to be:
 * an unclosed tag, comment or CDATA section, or end tags that do not
 * match), ER_ENOMEM.
 */
er_code redact_xml(const char *buf, size_t len, char **out, size_t *out_len, size_t *n, struct er_err *err);

#endif
