/**
 * @file servicetags.h
 * @brief Microsoft service prefixes (svc_* module): the Azure service-tags
 * file (ServiceTags_Public_*.json) and the Microsoft 365 endpoints file
 * (the endpoints web service's JSON), and the prefix sets derived from
 * them for the tenant's regions.
 *
 * Loading validates every prefix; a bad one is an error naming the file
 * and line. Derivation picks, for each wanted tag (PowerPlatformInfra,
 * AzureConnectors, ...), its regional variants for the tenant's Azure
 * regions ("PowerPlatformInfra.WestEurope"), or the global tag when the
 * file has no regional variant for any of them; and every Microsoft 365
 * endpoint set that ExpressRoute carries (expressRoute: true).
 */
#ifndef ER_SERVICETAGS_H
#define ER_SERVICETAGS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "prefix.h"
#include "jsonr.h"

struct refdata;

/** One service tag of the Azure file. */
struct svc_tag {
    const char *name;        /**< "PowerPlatformInfra.WestEurope" */
    const char *region;      /**< "westeurope", "" for global tags */
    const char *service;     /**< systemService, may be "" */
    struct pfx *p;           /**< prefixes (points into svc_data.tag_pfx) */
    size_t n;
    uint32_t line;
};

/** One Microsoft 365 endpoint set. */
struct svc_m365 {
    long id;
    const char *area;        /**< serviceArea: Exchange, SharePoint, Skype, Common */
    const char *category;    /**< Optimize, Allow, Default */
    const char **urls;       /**< host patterns ("*.protection.outlook.com") */
    size_t n_urls;
    struct pfx *p;
    size_t n;
    int express_route, required;
    uint32_t line;
};

/** Everything loaded from the two files. */
struct svc_data {
    struct svc_tag *tags;
    size_t n_tags;
    struct svc_m365 *m365;
    size_t n_m365;
    const char *cloud;       /**< "Public", ... (service-tags file) */
    long change_number;
    /* storage */
    struct jr_doc tags_doc, m365_doc;
    struct pfx *tag_pfx, *m365_pfx;
    const char **urls;
};

/** @brief Load the Azure service-tags file into @p d (which may already hold M365 data). */
er_code svc_load_tags(struct svc_data *d, const char *path, struct er_err *err);

/** @brief Load the Microsoft 365 endpoints file into @p d. */
er_code svc_load_m365(struct svc_data *d, const char *path, struct er_err *err);

/** @brief svc_load_tags() from @p f (NULL: open @p path), opened by the caller, who closes it. */
er_code svc_load_tags_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err);

/** @brief svc_load_m365() from @p f (NULL: open @p path), opened by the caller, who closes it. */
er_code svc_load_m365_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err);

/** @brief Free the contents of @p d; NULL is fine. */
void svc_free(struct svc_data *d);

/** @brief A tag by exact name, NULL if none. */
const struct svc_tag *svc_tag_find(const struct svc_data *d, const char *name);

/** Called once per derived set. */
typedef er_code (*svc_emit_fn)(void *arg, const char *name, const struct pfx *p, size_t n, struct er_err *err);

/**
 * @brief Derive the prefix sets: regional variants of the @p want tags for
 * @p regions (Azure region names, compared folded), else the global tag;
 * then the ExpressRoute Microsoft 365 sets ("M365.Exchange.2").
 * @return what @p emit returned first, else ER_OK.
 */
er_code svc_derive(const struct svc_data *d, const char *const *want, size_t n_want, const char *const *regions,
        size_t n_regions, svc_emit_fn emit, void *arg, struct er_err *err);

/**
 * @brief Fill /network/services/prefix-set from the service data held by
 * @p ref for the tenant's Azure regions already in @p m (nothing to do when
 * no services file was loaded).
 */
er_code svc_fill_model(const struct refdata *ref, struct er_model *m, struct er_err *err);

#endif
