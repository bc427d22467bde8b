// Branch offices (10.20.0.0/16) reach Microsoft through ExpressRoute; the rest of
// the company network goes direct; everything else to the proxy.
function isMicrosoftDirect(host) {
  var zones = [".dynamics.com", ".powerapps.com", ".flow.microsoft.com", ".powerautomate.com",
               ".azure-apim.net"];
  for (var i = 0; i < zones.length; i++)
    if (dnsDomainIs(host, zones[i]))
      return true;
  return false;
}
function FindProxyForURL(url, host) {
  if (isMicrosoftDirect(host) && isInNet(myIpAddress(), "10.20.0.0", "255.255.0.0") &&
      myIpAddressEx().indexOf("10.20.") == 0)
    return "DIRECT";
  if (!isResolvable(host) || !isResolvableEx(host))
    return "PROXY proxy.example.net:8080";
  if (isInNet(host, "10.0.0.0", "255.0.0.0") || shExpMatch(dnsResolveEx(host), "10.*") ||
      dnsResolve(host) == "127.0.0.1")
    return "DIRECT";
  return "PROXY proxy.example.net:8080";
}
