package dev.durable.remote.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells whether a server speaks TLS, to explain why a plaintext connection was dropped. It only
 * completes a handshake and sends nothing: the certificate is not checked because nothing is
 * trusted with it.
 */
final class TlsProbe {
  private static final int TIMEOUT_MILLIS = 3000;

  private TlsProbe() {}

  static boolean speaksTls(String host, int port) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAny()}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.startHandshake();
        return true;
      }
    } catch (IOException | GeneralSecurityException e) {
      // A failed handshake from a server that asks for a client certificate still means TLS.
      String m = String.valueOf(e.getMessage());
      return m.contains("bad_certificate") || m.contains("certificate_required");
    }
  }

  private static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
