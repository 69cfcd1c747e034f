package cn.xingan.kpi.config;

import java.util.Locale;

/** Which configuration keys hold secrets, so that no output, log or message shows their values. */
public final class Secrets {
  private Secrets() {}

  /** Kafka's password, JAAS and key settings (sasl.jaas.config, ssl.key.password, …). */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("jaas")
        || k.contains("secret")
        || k.endsWith(".key");
  }
}
