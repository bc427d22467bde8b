#!/usr/bin/python3
"""Write a synthetic Azure service-tags file (ServiceTags_Public format) of about SIZE MB.

Tags are made per service and region like the real file: AzureCloud.<region>
carries most prefixes, regional Power Platform tags a few dozen each, and
IPv6 prefixes are mixed in. Deterministic (fixed seed).

    bench/servicetags/gen.py OUT.json [SIZE_MB]
"""
import json
import random
import sys

REGIONS = ["westeurope", "northeurope", "eastus", "eastus2", "westus", "westus2", "westus3", "centralus",
           "northcentralus", "southcentralus", "westcentralus", "canadacentral", "canadaeast", "brazilsouth",
           "uksouth", "ukwest", "francecentral", "francesouth", "germanywestcentral", "germanynorth",
           "switzerlandnorth", "switzerlandwest", "norwayeast", "norwaywest", "swedencentral", "eastasia",
           "southeastasia", "japaneast", "japanwest", "koreacentral", "koreasouth", "australiaeast",
           "australiasoutheast", "australiacentral", "centralindia", "southindia", "westindia", "uaenorth",
           "uaecentral", "southafricanorth", "southafricawest", "qatarcentral", "polandcentral", "italynorth"]
SERVICES = ["AzureCloud", "PowerPlatformInfra", "PowerPlatformPlex", "AzureConnectors", "LogicApps", "PowerBI",
            "PowerQueryOnline", "Storage", "Sql", "AzureMonitor", "EventHub", "ServiceBus", "AppService",
            "ApiManagement", "AzureKeyVault", "AzureCosmosDB", "AzureContainerRegistry", "DataFactory",
            "AzureActiveDirectory", "AzureFrontDoor.Backend", "AzureBackup", "AzureSiteRecovery", "BatchNodeManagement"]


def camel(region):
    out, words = "", {"europe", "us", "asia", "india", "east", "west", "north", "south", "central", "africa"}
    r = region
    parts = []
    while r:
        for w in sorted(words | {"uk", "uae", "canada", "brazil", "france", "germany", "switzerland", "norway",
                                 "sweden", "japan", "korea", "australia", "qatar", "poland", "italy", "2", "3"},
                        key=len, reverse=True):
            if r.startswith(w):
                parts.append(w)
                r = r[len(w):]
                break
        else:
            parts.append(r)
            r = ""
    for p in parts:
        out += p.upper() if p in ("us", "uk", "uae") else p.capitalize()
    return out


def main():
    out = sys.argv[1]
    size = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    rnd = random.Random(12076)
    values = []
    total = 0
    target = int(size * 1024 * 1024)
    n = 0

    def prefix():
        if rnd.random() < 0.15:
            return f"2603:{rnd.randrange(0x1000, 0x1100):x}:{rnd.randrange(0, 0xffff):x}::/{rnd.choice([48, 56, 64])}"
        return f"{rnd.randrange(4, 223)}.{rnd.randrange(256)}.{rnd.randrange(256)}.0/{rnd.choice([20, 22, 24, 25, 26, 27, 28])}"

    while total < target:
        for svc in SERVICES:
            for region in REGIONS:
                count = rnd.randrange(300, 900) if svc == "AzureCloud" else rnd.randrange(4, 60)
                name = f"{svc}.{camel(region)}" if svc != "AzureCloud" else f"AzureCloud.{region}"
                if n:
                    name += f".{n}"      # later rounds: more tags of the same shape
                v = {"name": name, "id": name, "properties": {
                    "changeNumber": rnd.randrange(1, 40), "region": region, "regionId": REGIONS.index(region) + 1,
                    "platform": "Azure", "systemService": svc.split(".")[0],
                    "addressPrefixes": [prefix() for _ in range(count)], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}
                values.append(v)
                total += 260 + count * 37
                if total >= target:
                    break
            if total >= target:
                break
        n += 1
    for svc in SERVICES[1:]:
        values.append({"name": svc, "id": svc, "properties": {
            "changeNumber": 1, "region": "", "regionId": 0, "platform": "Azure", "systemService": svc,
            "addressPrefixes": [prefix() for _ in range(200)], "networkFeatures": ["API"]}})
    with open(out, "w") as f:
        json.dump({"changeNumber": 321, "cloud": "Public", "values": values}, f, indent=2)


if __name__ == "__main__":
    main()
