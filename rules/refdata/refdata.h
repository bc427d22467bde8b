/**
 * @file refdata.h
 * @brief Microsoft reference data (ref_* module), loaded from data files.
 *
 * The files live in rules/data/ and can be replaced by a directory named in
 * the inventory (reference-data:). Region names are compared after folding:
 * lower case, spaces and dashes removed ("West Europe" == "westeurope").
 * A malformed file is an error naming file and line.
 */
#ifndef ER_REFDATA_H
#define ER_REFDATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct refdata;

/**
 * @brief Load every data file of @p dir (NULL: er_data_dir(ER_DATA_REF):
 * $ERAUDIT_DATA_DIR, else share/eraudit/data next to the binary, else the
 * install prefix's).
 */
er_code refdata_load(const char *dir, struct refdata **r, struct er_err *err);

/**
 * @brief refdata_load() of a directory opened by the caller (@p dfd, a
 * snapshot's copy): every file is opened below it, never outside;
 * @p dir names it in messages. Files added to the data set later and
 * missing there come from the built-in directory.
 */
er_code refdata_load_at(int dfd, const char *dir, struct refdata **r, struct er_err *err);

/** @brief Free; NULL is fine. */
void refdata_free(struct refdata *r);

/** @brief Geopolitical region of an Azure region ("Europe"), NULL if unknown. */
const char *ref_region_geo(const struct refdata *r, const char *azure_region);

/** @brief Display name of an Azure region ("West Europe"), or the name given. */
const char *ref_region_display(const struct refdata *r, const char *azure_region);

/** @brief Geopolitical region of an ExpressRoute peering location, NULL if unknown. */
const char *ref_location_geo(const struct refdata *r, const char *location);

/** @brief Azure regions a Local SKU at @p location reaches (count; @p out set). */
size_t ref_location_local_regions(const struct refdata *r, const char *location, const char *const **out);

/** @brief Microsoft peering regional community of an Azure region ("12076:51002"), NULL if none. */
const char *ref_region_community(const struct refdata *r, const char *azure_region);

/** @brief Azure regions behind a Power Platform region (count; @p out set). */
size_t ref_pp_regions(const struct refdata *r, const char *pp_region, const char *const **out);

/** @brief Name of a service community ("Exchange Online" for "12076:5010"), NULL if unknown. */
const char *ref_service_community(const struct refdata *r, const char *community);

/** @brief A numeric limit by name (e.g. "microsoft-peering-max-prefixes"), or @p dflt. */
uint64_t ref_limit(const struct refdata *r, const char *name, uint64_t dflt);

/** @brief The service tags whose prefix sets are derived (data file service-tags); @p out set. */
size_t ref_service_tag_names(const struct refdata *r, const char *const **out);

/** @brief What a wanted service tag carries ("Power Platform outbound ..."), NULL if not listed. */
const char *ref_service_tag_text(const struct refdata *r, const char *tag);

/**
 * @brief Entry @p i of the client endpoint list (data file client-endpoints):
 * a host pattern and whether ExpressRoute carries it.
 * @return the number of entries (@p pattern and @p expressroute set when @p i is below it).
 */
size_t ref_client_endpoints(const struct refdata *r, size_t i, const char **pattern, int *expressroute);

struct pfx;

/**
 * @brief The special-purpose range (data file special-prefixes) that
 * prefix @p p overlaps: one it lies inside, else one it contains (private
 * ranges first).
 * @param[out] inside 1 when @p p lies inside the range, 0 when it contains it
 * @param[out] kind "private", "reserved" or "documentation"
 * @param[out] range the range as written ("10.0.0.0/8")
 * @return what the range is ("private use (RFC 1918)"), NULL when @p p overlaps none
 */
const char *ref_special_overlap(const struct refdata *r, const struct pfx *p, int *inside, const char **kind,
        const char **range);

struct svc_data;

/**
 * @brief Load the Azure service-tags file and the Microsoft 365 endpoints
 * file (either may be NULL) into @p r, so rules and the normalizer find them.
 */
er_code refdata_load_services(struct refdata *r, const char *tags_path, const char *m365_path, struct er_err *err);

/** @brief refdata_load_services() from streams the caller opened (either NULL) and closes; paths name them. */
er_code refdata_load_services_fp(struct refdata *r, FILE *tags, const char *tags_path, FILE *m365, const char *m365_path,
        struct er_err *err);

/** @brief The loaded service data, NULL when no file was named. */
const struct svc_data *ref_services(const struct refdata *r);

struct pac;
struct inventory;

/**
 * @brief Read the clients' proxy PAC file (NULL: nothing to do) for the client routing rules,
 * with the answers @p inv declares for its DNS helpers (services: pac-client-address, pac-hosts),
 * and evaluate it for the client endpoints and the Microsoft 365 URLs (load the services first).
 * Call it before the audit starts threads: the evaluation forks.
 */
er_code refdata_load_pac(struct refdata *r, const char *path, const struct inventory *inv, struct er_err *err);

struct pac_asks;

/** @brief What the PAC file answered for each endpoint (pacask.h), NULL when none was named. */
const struct pac_asks *ref_pac_asks(const struct refdata *r);

/** @brief refdata_load_pac() from a stream the caller opened (NULL: nothing to do) and closes. */
er_code refdata_load_pac_fp(struct refdata *r, FILE *f, const char *path, const struct inventory *inv,
        struct er_err *err);

/** @brief The PAC file read, NULL when none was named. */
const struct pac *ref_pac(const struct refdata *r);

/** @brief Fold a region or location name for comparison into @p buf. */
const char *ref_fold(const char *name, char *buf, size_t size);

#endif
