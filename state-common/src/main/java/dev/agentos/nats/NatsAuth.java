package dev.agentos.nats;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a service or the CLI proves who it is to NATS and protects the link: user and password, a
 * token, a {@code .creds} file (JWT and nkey seed), a bare nkey seed file, and TLS with a CA and a
 * client certificate. Secrets stay in this value and the connection; {@link #redact} is how a
 * server URL is written to a log.
 *
 * @param tls TLS even without a CA (the JVM's trust store): set by any tls file too
 */
public record NatsAuth(
    String user,
    String password,
    String token,
    Path credsFile,
    Path nkeyFile,
    boolean tls,
    Path tlsCa,
    Path tlsCert,
    Path tlsKey) {

  private static final Pattern USERINFO = Pattern.compile("(?<=://)[^@/]*@");

  public static NatsAuth none() {
    return new NatsAuth(null, null, null, null, null, false, null, null, null);
  }

  /** Adds the credentials and TLS to {@code options}. */
  public Options.Builder applyTo(Options.Builder options) {
    if (user != null) {
      options.userInfo(user, password == null ? "" : password);
    }
    if (token != null) {
      options.token(token.toCharArray());
    }
    if (credsFile != null) {
      options.authHandler(Nats.credentials(credsFile.toString()));
    } else if (nkeyFile != null) {
      options.authHandler(nkeyHandler(nkeyFile));
    }
    if (tls || tlsCa != null || tlsCert != null) {
      options.sslContext(NatsTls.context(tlsCa, tlsCert, tlsKey));
    }
    return options;
  }

  /** {@code nats://user:secret@host:4222} → {@code nats://***@host:4222}: URLs for logs. */
  public static String redact(String url) {
    return url == null ? null : USERINFO.matcher(url).replaceAll("***@");
  }

  public static String redact(List<String> urls) {
    return String.join(",", urls.stream().map(NatsAuth::redact).toList());
  }

  /** Signs the server's nonce with the seed of {@code file} (the first line starting with S). */
  private static AuthHandler nkeyHandler(Path file) {
    char[] seed = seed(file);
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return NKey.fromSeed(seed).sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot sign with the nkey seed of " + file, e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return NKey.fromSeed(seed).getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("not an nkey seed: " + file, e);
        }
      }

      @Override
      public char[] getJWT() {
        return null;
      }
    };
  }

  private static char[] seed(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String trimmed = line.trim();
        if (trimmed.startsWith("SU") || trimmed.startsWith("SA") || trimmed.startsWith("SO")) {
          return trimmed.toCharArray();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the nkey seed file " + file, e);
    }
    throw new IllegalArgumentException(file + " holds no nkey seed (a line starting SU)");
  }
}
