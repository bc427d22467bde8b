/**
 * @file fuzz_inventory.c
 * @brief libFuzzer harness: inventory YAML (inv_load_mem) and the checks
 * run on a loaded inventory.
 */
#include "fuzz.h"

#include "inventory.h"
#include "checklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct inventory *inv = NULL;
    struct er_err err = {0};

    if (inv_load_mem("fuzz.yaml", (const char *)data, size, &inv, &err) == ER_OK)
        checklist_check_inventory(inv, &err);
    inv_free(inv);
    return 0;
}
