// Clients: what ExpressRoute carries goes direct (to the ExpressRoute edge), the rest to the proxy.
function FindProxyForURL(url, host) {
  if (isPlainHostName(host))
    return "DIRECT";
  if (dnsDomainIs(host, ".dynamics.com") || shExpMatch(host, "*.powerapps.com") ||
      shExpMatch(host, "*.flow.microsoft.com") || shExpMatch(host, "*.powerautomate.com") ||
      shExpMatch(host, "*.azure-apim.net"))
    return "DIRECT";
  /* Microsoft 365 sets that ExpressRoute carries */
  if (host == "outlook.office.com" || host == "outlook.office365.com" ||
      dnsDomainIs(host, ".protection.outlook.com") || shExpMatch(host, "*.sharepoint.com"))
    return "DIRECT";
  return "PROXY proxy.example.net:8080";
}
