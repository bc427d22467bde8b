function FindProxyForURL(url, host) {
  if (shExpMatch(host, "*.dynamics.com") || shExpMatch(host, "*.powerapps.com") ||
      shExpMatch(host, "*.flow.microsoft.com") || shExpMatch(host, "*.powerautomate.com"))
    return "DIRECT";
  if (shExpMatch(host, "*.azure-apim.net"))
    return connectorRoute(host);
  return "PROXY proxy.example.net:8080";
}
