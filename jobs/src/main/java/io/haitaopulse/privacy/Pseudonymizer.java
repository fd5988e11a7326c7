package io.haitaopulse.privacy;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces identifiers of people with keyed pseudonyms: HMAC-SHA256 under the
 * {@link PseudonymKey}, truncated to 128 bits, base64url without padding (22 characters). The
 * same id under the same key always gives the same pseudonym, so every per-user computation
 * (uplift arms, distinct users, first orders) is unchanged; without the key a pseudonym cannot be
 * reversed or recomputed from a guessed id.
 *
 * <p>Identifiers: {@code user_id} of every event that has one, also where it is embedded in an
 * event, session or order id. A click's {@code referrer_token}
 * is kept: it is an opaque token the shop issued for one share, it names its sharer only through
 * the shop's own token table, and {@code referral_credits} exists to pay that sharer.
 *
 * <p>Not thread-safe (one {@link Mac} and cache per instance); each parallel subtask gets its own
 * copy by deserialisation.
 */
public final class Pseudonymizer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Length of a pseudonym. */
    public static final int LENGTH = 22;

    /**
     * Entries before the cache is cleared. Users repeat within sessions, so most lookups hit;
     * clearing instead of evicting keeps the cost per event one hash lookup.
     */
    private static final int CACHE_LIMIT = 1 << 16;

    /** JSON members holding an identifier: a quoted value (maybe cut off by truncation) or a bare token. */
    private static final Pattern JSON_IDENTIFIER = Pattern.compile(
            "(\"user_id\"\\s*:\\s*)(?:\"((?:[^\"\\\\]|\\\\.)*)(\"?)|([^,}\\]\\s]+))");

    private final byte[] key;
    private transient Mac mac;
    private transient Map<String, String> cache;

    public Pseudonymizer(PseudonymKey key) {
        this.key = key.bytes();
    }

    /** The pseudonym of {@code id}; null stays null. */
    public String pseudonym(String id) {
        if (id == null) {
            return null;
        }
        if (cache == null) {
            cache = new HashMap<>();
            mac = newMac();
        }
        String p = cache.get(id);
        if (p == null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
            p = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16));
            cache.put(id, p);
        }
        return p;
    }

    /**
     * Pseudonymises the identifiers of an input event in place and returns it; bodies without
     * identifiers (campaigns) are returned unchanged.
     */
    public Object apply(Object body) {
        if (body instanceof Click c) {
            String raw = c.getUserId();
            String p = pseudonym(raw);
            c.setUserId(p);
            c.setEventId(scrub(c.getEventId(), raw, p));
            c.setSessionId(scrub(c.getSessionId(), raw, p));
        } else if (body instanceof Order o) {
            String raw = o.getUserId();
            String p = pseudonym(raw);
            o.setUserId(p);
            o.setOrderId(scrub(o.getOrderId(), raw, p));
        } else if (body instanceof Exposure e) {
            e.setUserId(pseudonym(e.getUserId()));
        } else if (body instanceof Review r) {
            String raw = r.getUserId();
            String p = pseudonym(raw);
            r.setUserId(p);
            r.setOrderId(scrub(r.getOrderId(), raw, p));
        }
        return body;
    }

    /**
     * {@code id} with every occurrence of the raw user id replaced by its pseudonym. Producers
     * build event, session and order ids from user ids (UserBehavior's event ids are
     * {@code ub:<user>:…}); the replacement is a function of the raw id, so ids that were equal
     * stay equal and a RETURNED order still matches its PAID one.
     */
    private static String scrub(String id, String raw, String pseudonym) {
        return id == null || raw == null || raw.isEmpty() || !id.contains(raw) ? id : id.replace(raw, pseudonym);
    }

    /**
     * A dead letter's raw JSON text with the value of every {@code user_id} member pseudonymised, whatever its JSON type and even when the line
     * is cut off inside it; everything else is kept byte for byte so the reason stays explainable.
     * A string value is pseudonymised as written between its quotes (escapes included).
     */
    public String redactJson(String raw) {
        Matcher m = JSON_IDENTIFIER.matcher(raw);
        if (!m.find()) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        do {
            // The quotes (or their absence) stay as written: a bare number stays bare, a cut-off string stays cut off.
            String replaced = m.group(2) != null
                    ? m.group(1) + "\"" + pseudonym(m.group(2)) + m.group(3)
                    : m.group(1) + pseudonym(m.group(4));
            m.appendReplacement(out, Matcher.quoteReplacement(replaced));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A dead letter's raw UserBehavior CSV line with its first field (the user id) pseudonymised;
     * a line without a comma has no recognisable user id and is returned unchanged.
     */
    public String redactUserBehavior(String raw) {
        int comma = raw.indexOf(',');
        return comma < 0 ? raw : pseudonym(raw.substring(0, comma)) + raw.substring(comma);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 rejected the key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required of every JVM", e);
        }
    }
}
