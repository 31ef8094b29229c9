package dev.agentos.nats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to NATS from the PEM files nats-server and the {@code nats} CLI use: a CA to trust (else the
 * JVM's trust store) and, for mutual TLS, a client certificate with its PKCS#8 private key ({@code
 * -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey} and {@code openssl req -newkey} write
 * it). jnats takes Java key stores only, so the PEM files are read into in-memory stores here.
 */
public final class NatsTls {
  private NatsTls() {}

  /**
   * @param ca PEM CA certificate(s) to trust, or null for the JVM's default trust
   * @param cert PEM client certificate chain, or null for no client certificate
   * @param key PEM PKCS#8 private key of {@code cert}
   */
  public static SSLContext context(Path ca, Path cert, Path key) {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its key and a key its certificate: give both or neither");
    }
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (ca == null) {
        trust.init((KeyStore) null);
      } else {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate c : certificates(ca)) {
          store.setCertificateEntry("ca-" + i++, c);
        }
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (cert != null) {
        KeyStore store = emptyStore();
        char[] none = new char[0];
        store.setKeyEntry(
            "client", privateKey(key), none, certificates(cert).toArray(Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, none);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS to NATS: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    return store;
  }

  private static List<Certificate> certificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> found =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (found.isEmpty()) {
        throw new GeneralSecurityException(pem + " holds no PEM certificate");
      }
      return new ArrayList<>(found);
    }
  }

  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(
          pem
              + " holds no PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with `openssl"
              + " pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }
    String base64 =
        text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException(pem + " holds a key of no known algorithm", last);
  }
}
