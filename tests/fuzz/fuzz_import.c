/**
 * @file fuzz_import.c
 * @brief libFuzzer harness: the inventory import readers (NetBox JSON,
 * Ansible YAML, Oxidized router.db) and the draft writer. The first byte
 * picks the reader (and, for Oxidized, a field map with group and ip).
 */
#include "fuzz.h"

#include "inventory_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct imp_opts o = {.map = NULL};
    struct imp_list l = {0};
    struct er_err err = {0};
    const char *path;
    FILE *sink;
    er_code rc;

    if (!size)
        return 0;
    path = fuzz_write("import.src", data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: rc = imp_read_netbox(path, &l, &err); break;
    case 1: rc = imp_read_ansible(path, &l, &err); break;
    case 2: rc = imp_read_oxidized(path, &o, &l, &err); break;
    default:
        o.map = "name=0,model=1,group=2,ip=3";
        rc = imp_read_oxidized(path, &o, &l, &err);
        break;
    }
    if (rc == ER_OK && (sink = fopen("/dev/null", "w"))) {
        imp_write(sink, (enum imp_format)(data[0] % 4 > 2 ? 2 : data[0] % 4), path, &l, "default");
        fclose(sink);
    }
    imp_list_free(&l);
    return 0;
}
