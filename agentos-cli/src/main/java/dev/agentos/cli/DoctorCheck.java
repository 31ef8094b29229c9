package dev.agentos.cli;

/**
 * One thing {@code agentos doctor} looked at.
 *
 * @param fix what to do about it, or null when nothing needs doing
 */
public record DoctorCheck(String name, Level level, String detail, String fix) {
  public enum Level {
    OK,
    WARN,
    FAIL,
    SKIP
  }

  public static DoctorCheck ok(String name, String detail) {
    return new DoctorCheck(name, Level.OK, detail, null);
  }

  public static DoctorCheck warn(String name, String detail, String fix) {
    return new DoctorCheck(name, Level.WARN, detail, fix);
  }

  public static DoctorCheck fail(String name, String detail, String fix) {
    return new DoctorCheck(name, Level.FAIL, detail, fix);
  }

  public static DoctorCheck skip(String name, String detail) {
    return new DoctorCheck(name, Level.SKIP, detail, null);
  }
}
