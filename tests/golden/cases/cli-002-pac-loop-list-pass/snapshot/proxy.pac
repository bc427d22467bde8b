var directDomains = ["*.dynamics.com", "*.powerapps.com", "*.flow.microsoft.com",
                     "*.powerautomate.com", "*.azure-apim.net"];
function FindProxyForURL(url, host) {
  for (var i = 0; i < directDomains.length; i++) {
    if (shExpMatch(host, directDomains[i]))
      return "DIRECT";
  }
  return "PROXY proxy1.example.net:8080; PROXY proxy2.example.net:8080; DIRECT";
}
