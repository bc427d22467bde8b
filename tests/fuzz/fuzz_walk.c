/**
 * @file fuzz_walk.c
 * @brief libFuzzer harness: SNMP walk files (walkfile_parse_mem) fed to the
 * MIB decoders (mib_feed, mib_finish) of one device, then the model check.
 */
#include "fuzz.h"

#include "mapper.h"
#include "mib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct er_err err = {0};
    struct er_model *m = NULL;
    struct map_ctx mc = {.device = "r1", .file = "snmp/fuzz.walk", .err = &err};
    struct mib_state *st = NULL;
    const char *text = (const char *)data, *cut;
    size_t first = size;

    if (model_new(fuzz_ctx(), &m, &err) || model_device(m, "r1", "er-edge", &mc.dev, &err))
        abort();
    mc.m = m;
    if (!(st = mib_state_new(&mc)))
        abort();
    /* A form feed line splits the input: the rest is the second counter sample. */
    cut = memchr(text, '\f', size);
    if (cut)
        first = (size_t)(cut - text);
    if (walkfile_parse_mem("fuzz.walk", text, first, mib_feed_cb, st, &err) == ER_OK) {
        int ok = 1;

        if (cut) {
            mib_begin_second_sample(st);
            ok = walkfile_parse_mem("fuzz2.walk", cut + 1, size - first - 1, mib_feed_cb, st, &err) == ER_OK;
        }
        if (ok && mib_finish(st) == ER_OK)
            model_validate(m, &err);
    }
    mib_state_free(st);
    model_free(m);
    model_cache_reset();
    return 0;
}
