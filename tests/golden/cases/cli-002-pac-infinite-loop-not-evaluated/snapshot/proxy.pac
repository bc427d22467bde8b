function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".dynamics.com"))
    return "DIRECT";
  while (dnsDomainIs(host, ".powerapps.com")) {
  }
  return "PROXY proxy.example.net:8080";
}
