function FindProxyForURL(url, host) {
  return "DIRECT";
}
function FindProxyForURLEx(url, host) {
  if (shExpMatch(host, "*.azureedge.net") || shExpMatch(host, "*.azurefd.net") ||
      shExpMatch(host, "*.msecnd.net") || host == "crl.microsoft.com" || host == "ocsp.msocsp.com")
    return "PROXY [2001:db8::8]:8080; DIRECT";
  if (shExpMatch(host, "*.powerapps.com"))
    return "PROXY proxy1.example.net:8080; PROXY proxy2.example.net:8080; DIRECT";
  return FindProxyForURL(url, host);
}
