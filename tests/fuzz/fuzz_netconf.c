/**
 * @file fuzz_netconf.c
 * @brief libFuzzer harness: a NETCONF reply through the XML reader and the
 * mappers (nc_map_device on a device directory holding the input), then the
 * model check. The first byte picks the file: running.xml (configuration)
 * or state.xml (a <get> reply).
 */
#include "fuzz.h"

#include "mapper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct er_err err = {0};
    struct er_model *m = NULL;
    struct map_ctx mc = {.device = "r1", .err = &err};
    char devdir[4096 + 16];
    int state;

    if (!size)
        return 0;
    state = data[0] & 1;
    /* Only one of the two files exists at a time. */
    fuzz_write(state ? "r1/netconf/state.xml" : "r1/netconf/running.xml", data + 1, size - 1);
    snprintf(devdir, sizeof devdir, "%s/r1/netconf/%s", fuzz_tmpdir(), state ? "running.xml" : "state.xml");
    unlink(devdir);
    snprintf(devdir, sizeof devdir, "%s/r1", fuzz_tmpdir());
    if (model_new(fuzz_ctx(), &m, &err) || model_device(m, "r1", "er-edge", &mc.dev, &err))
        abort();
    mc.m = m;
    if (nc_map_device(&mc, devdir, 0) == ER_OK)
        model_validate(m, &err);
    model_free(m);
    model_cache_reset();
    return 0;
}
