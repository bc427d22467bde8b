/**
 * @file fuzz_services.c
 * @brief libFuzzer harness: the Azure service-tags and Microsoft 365
 * endpoints JSON readers (svc_load_tags, svc_load_m365) and the prefix sets
 * derived from them. The first byte picks the reader.
 */
#include "fuzz.h"

#include "servicetags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static er_code
emit(void *arg, const char *name, const struct pfx *p, size_t n, struct er_err *err)
{
    (void)arg;
    (void)name;
    (void)p;
    (void)n;
    (void)err;
    return ER_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const want[] = {"PowerPlatformInfra", "AzureCloud"};
    static const char *const regions[] = {"westeurope", "NorthEurope"};
    struct svc_data d = {0};
    struct er_err err = {0};
    const char *path;
    er_code rc;

    if (!size)
        return 0;
    path = fuzz_write("services.json", data + 1, size - 1);
    rc = data[0] & 1 ? svc_load_m365(&d, path, &err) : svc_load_tags(&d, path, &err);
    if (rc == ER_OK) {
        svc_tag_find(&d, "PowerPlatformInfra");
        svc_derive(&d, want, 2, regions, 2, emit, NULL, &err);
    }
    svc_free(&d);
    return 0;
}
