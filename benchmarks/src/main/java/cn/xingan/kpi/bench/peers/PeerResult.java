package cn.xingan.kpi.bench.peers;

/**
 * What a peer did with the service events: how many it read, in how long, how many result rows it
 * made, and the sum of {@code accepted} over the league's year rows (which the benchmark compares
 * with the input).
 */
public record PeerResult(
    String name, long events, double seconds, long rows, long leagueYearAccepted, String detail) {}
