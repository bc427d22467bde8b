/**
 * @file fuzz_userrules.c
 * @brief libFuzzer harness: user rules YAML (urules_load_mem), with the
 * XPath checks and their compilation against the schema.
 */
#include "fuzz.h"

#include "userrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct urules *u = NULL;
    struct er_err err = {0};
    size_t n;

    if (urules_load_mem(fuzz_ctx(), "fuzz-rules.yaml", (const char *)data, size, &u, &err) == ER_OK)
        urules_table(u, &n);
    urules_free(u);
    return 0;
}
