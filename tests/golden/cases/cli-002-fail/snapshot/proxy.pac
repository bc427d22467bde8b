function FindProxyForURL(url, host) {
  return "PROXY proxy.example.net:8080";
}
