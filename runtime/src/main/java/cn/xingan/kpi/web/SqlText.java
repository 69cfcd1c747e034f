package cn.xingan.kpi.web;

/**
 * Values from a request made safe for a ClickHouse statement. ClickHouse 18.16 has no query
 * parameters ({@code {name:String}} came in 19.x), so free text is sent as an escaped string
 * literal; everything else reaches SQL only after a whitelist or a parse (dates, numbers).
 */
final class SqlText {
  /** Longer than any code or id of the contract (event ids are at most 128 characters). */
  static final int MAX_LENGTH = 256;

  private SqlText() {}

  /**
   * A single-quoted ClickHouse string literal of {@code value}: backslashes and quotes escaped.
   * Control characters are refused (400) rather than escaped: no code or id contains one.
   */
  static String literal(String name, String value) {
    if (value.length() > MAX_LENGTH) {
      throw ApiError.badRequest(
          name + " is " + value.length() + " characters long; at most " + MAX_LENGTH);
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw ApiError.badRequest(
            name + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
      }
      if (c == '\\' || c == '\'') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }

  /** A backquoted identifier (column names as ClickHouse reports them). */
  static String identifier(String name) {
    return '`' + name.replace("\\", "\\\\").replace("`", "\\`") + '`';
  }
}
