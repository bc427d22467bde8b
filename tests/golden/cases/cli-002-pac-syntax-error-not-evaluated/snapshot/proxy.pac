function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".dynamics.com")
    return "DIRECT";
  return "PROXY proxy.example.net:8080";
}
