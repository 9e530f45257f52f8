package dev.durable.internal.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * The listing's page tokens, the same for every store: a version, the query's fingerprint
 * ({@code VisibilityQuery.fingerprint()}), and where the next page starts, which the store encodes
 * as a 12-byte start time followed by the last run id of the page.
 */
public final class PageTokens {
  private static final byte VERSION = 1;
  private static final int FINGERPRINT = 8;
  /** The least length of where a page starts: a 12-byte time and a run id of at least one byte. */
  private static final int LEAST_AFTER = 13;

  private PageTokens() {}

  /** Returns the token of the page that starts after {@code after}. */
  public static String encode(byte[] fingerprint, byte[] after) {
    byte[] raw = ByteBuffer.allocate(1 + FINGERPRINT + after.length).put(VERSION).put(fingerprint, 0, FINGERPRINT)
        .put(after).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * Returns where the page of {@code token} starts. Fails with DURABLE-255 for a token no server
   * issued, and DURABLE-256 for one issued for another filter.
   */
  public static byte[] decode(String token, byte[] fingerprint) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length < 1 + FINGERPRINT + LEAST_AFTER || raw[0] != VERSION) {
      throw new IllegalArgumentException("DURABLE-255 page token '" + abbreviate(token) + "' is not one this server"
          + " issued (damaged or cut short?). Pass a WorkflowPage.nextPageToken() unchanged, or leave the token out"
          + " to start at the first page");
    }
    if (!Arrays.equals(raw, 1, 1 + FINGERPRINT, fingerprint, 0, FINGERPRINT)) {
      throw new IllegalArgumentException("DURABLE-256 page token '" + abbreviate(token) + "' was issued for a"
          + " different filter. A page token continues the listing it came from: keep the filter's conditions"
          + " unchanged between pages (only the page size and token may change), or start again without a token");
    }
    return Arrays.copyOfRange(raw, 1 + FINGERPRINT, raw.length);
  }

  private static String abbreviate(String token) {
    return token.length() <= 40 ? token : token.substring(0, 40) + "...";
  }
}
