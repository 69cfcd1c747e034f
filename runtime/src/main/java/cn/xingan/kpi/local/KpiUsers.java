package cn.xingan.kpi.local;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The pipeline's least-privileged ClickHouse users ({@code sql/users.d/kpi-users.xml}) on a server
 * this machine runs: generated passwords kept in clear only in an owner-only (0600) file of the
 * server's folder, and handed to the server as the SHA-256 hashes that file's {@code from_env}
 * substitutions read. So the users.d file is the committed one, unchanged but for its database.
 */
public final class KpiUsers {
  /** The passwords file in a launched server's folder. */
  public static final String FILE = "kpi-passwords.properties";

  static final String RESOURCE = "sql/users.d/kpi-users.xml";
  private static final String DATABASE_ELEMENT = "<database>kpi</database>";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** What a user is for; see the profiles of {@code kpi-users.xml}. */
  public enum Role {
    /** The jobs: insert into the KPI database, no DDL. */
    WRITER("kpi_writer"),
    /** Dashboards and the live page: {@code readonly=1}. */
    READER("kpi_reader"),
    /** Planners' SQL: {@code readonly=2} with time, memory and result limits. */
    PLANNER("kpi_planner");

    private final String user;

    Role(String user) {
      this.user = user;
    }

    public String user() {
      return user;
    }

    /** The server's environment variable holding this user's password hash. */
    public String hashVariable() {
      return user.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD_SHA256";
    }
  }

  private final Map<Role, String> passwords;

  private KpiUsers(Map<Role, String> passwords) {
    this.passwords = passwords;
  }

  /**
   * The passwords in {@code file}, or new random ones written there (mode 0600) when it does not
   * exist yet. An existing file is made owner-only again.
   */
  public static KpiUsers loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        Map<Role, String> fresh = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
          fresh.put(role, newPassword());
        }
        write(file, fresh);
      }
      return load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write the passwords file " + file, e);
    }
  }

  /** The passwords in an existing {@code file}; throws when it is missing or incomplete. */
  public static KpiUsers load(Path file) throws IOException {
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    Map<Role, String> passwords = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      String password = properties.getProperty(role.user());
      if (password == null || password.isBlank()) {
        throw new IllegalStateException(
            "the passwords file " + file + " has no password for " + role.user());
      }
      passwords.put(role, password);
    }
    return new KpiUsers(passwords);
  }

  /** The clear password of a user (for clients; never log it). */
  public String password(Role role) {
    return passwords.get(role);
  }

  /** An endpoint for a user of these on the server at {@code url}. */
  public ClickHouseEndpoint endpoint(String url, Role role, String database) {
    return new ClickHouseEndpoint(url, role.user(), password(role), database);
  }

  /** The environment the server needs for {@code kpi-users.xml}: each user's password hash. */
  public Map<String, String> serverEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    passwords.forEach((role, password) -> env.put(role.hashVariable(), sha256Hex(password)));
    return env;
  }

  /** The committed users.d file, with its users allowed into {@code database} instead of kpi. */
  public static String usersXml(String database) {
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "database '" + database + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    String xml = readResource();
    if (!xml.contains(DATABASE_ELEMENT)) {
      throw new IllegalStateException(
          RESOURCE + " no longer names its database as " + DATABASE_ELEMENT + "; update KpiUsers");
    }
    return xml.replace(DATABASE_ELEMENT, "<database>" + database + "</database>");
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void write(Path file, Map<Role, String> passwords) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException raced) {
      return; // another launcher wrote it first; read theirs
    }
    Properties properties = new Properties();
    passwords.forEach((role, password) -> properties.setProperty(role.user(), password));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(out, "ClickHouse passwords of the KPI users (sql/users.d); keep private");
    }
  }

  private static String readResource() {
    try (InputStream in = KpiUsers.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource '" + RESOURCE + "' is not on the classpath (runtime/pom.xml copies sql/)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read resource '" + RESOURCE + "'", e);
    }
  }
}
