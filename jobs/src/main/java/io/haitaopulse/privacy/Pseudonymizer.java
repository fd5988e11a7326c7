package io.haitaopulse.privacy;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Base64;
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
 * copy by deserialisation. The cache takes 256 KiB to 4 MiB per instance.
 */
public final class Pseudonymizer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Length of a pseudonym. */
    public static final int LENGTH = 22;

    /**
     * Most slots of the cache of recent pseudonyms (4 MiB), a power of two. Users repeat within a
     * day, so most lookups hit (about four in five on the benchmark's day of clicks).
     */
    private static final int MAX_SLOTS = 1 << 16;

    /** Slots at first (256 KiB): an input with few users, as orders often are, stays at this. */
    private static final int FIRST_SLOTS = 1 << 12;

    /** Bytes per slot: one cache line, read by a lookup and nothing else. */
    private static final int SLOT_BYTES = 64;

    /**
     * Longest id cached, in characters: slots hold ids of up to this many Latin-1 characters
     * (real ids are far shorter); longer ids, and ids with other characters, are hashed every
     * time, so that a dead letter's megabyte of id cannot enter the cache.
     */
    private static final int CACHED_ID_LIMIT = SLOT_BYTES - 1 - LENGTH - 1;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** The name of the JSON member that holds an identifier in dead-letter text. */
    private static final String ID_KEY = "user_id";

    private final byte[] key;
    private transient Mac mac;

    /**
     * Recent pseudonyms, direct-mapped by the id's hash, one slot per hash, replaced by the next id
     * with that hash. A slot is the id's length (0: empty), its characters as bytes, then its
     * pseudonym's {@value #LENGTH} characters: a lookup reads one slot of one array, where a map
     * of strings chased four references, each a likely CPU-cache miss (a profile of the hot-items
     * job put more time in that lookup than in the HMACs it saved).
     */
    private transient byte[] cache;

    /** Ids hashed since the cache last grew: beyond twice its slots it is too small for the users. */
    private transient int hashedSinceGrowth;

    public Pseudonymizer(PseudonymKey key) {
        this.key = key.bytes();
    }

    /** The pseudonym of {@code id}; null stays null. */
    public String pseudonym(String id) {
        if (id == null) {
            return null;
        }
        if (cache == null) {
            cache = new byte[FIRST_SLOTS * SLOT_BYTES];
            mac = newMac();
        }
        int n = id.length();
        boolean cacheable = n > 0 && n <= CACHED_ID_LIMIT;
        int slot = 0;
        if (cacheable) {
            // Fibonacci hashing spreads String's hash over the slots.
            int slots = cache.length / SLOT_BYTES;
            slot = ((id.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(slots))) * SLOT_BYTES;
            if (cache[slot] == n && sameId(slot, id)) {
                return new String(cache, slot + 1 + n, LENGTH, StandardCharsets.ISO_8859_1);
            }
            cacheable = latin1(id);
        }
        byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        byte[] encoded = BASE64URL.encode(Arrays.copyOf(h, 16));
        if (cacheable
                && cache.length < MAX_SLOTS * SLOT_BYTES
                && ++hashedSinceGrowth > 2 * (cache.length / SLOT_BYTES)) {
            // Four times the slots, empty: the ids are hashed again as they come.
            cache = new byte[cache.length * 4];
            hashedSinceGrowth = 0;
            cacheable = false;
        }
        if (cacheable) {
            cache[slot] = (byte) n;
            for (int i = 0; i < n; i++) {
                cache[slot + 1 + i] = (byte) id.charAt(i);
            }
            System.arraycopy(encoded, 0, cache, slot + 1 + n, LENGTH);
        }
        return new String(encoded, StandardCharsets.ISO_8859_1);
    }

    /** Whether the slot at {@code slot} holds {@code id}, whose length it holds. */
    private boolean sameId(int slot, String id) {
        for (int i = 0; i < id.length(); i++) {
            if (cache[slot + 1 + i] != (byte) id.charAt(i) || id.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
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
     * A dead letter's raw JSON text with the value of every {@code user_id} member pseudonymised,
     * whatever its JSON type and even when the line is cut off inside it; everything else is kept
     * byte for byte so the reason stays explainable. A string value is pseudonymised as written
     * between its quotes (escapes included); its quotes stay as written (a value cut off before its
     * closing quote stays cut off); a bare value (number, literal, garbage) runs up to the next
     * {@code ,}, <code>}</code>, {@code ]} or whitespace and stays bare.
     *
     * <p>Dead letters are often text that failed to parse, so members are found wherever
     * {@code "user_id"} followed by optional whitespace and {@code :} appears, not by parsing: a
     * stray quote earlier in a broken line cannot hide an id, and ids in nested objects or repeated
     * members are found too. The key may also be written with JSON escapes (backslash, u, four hex
     * digits), which a JSON parser reads as the same member. Keys that merely contain the name
     * ({@code "xuser_id"}, {@code "user_id2"}) are other members and are kept.
     *
     * <p>One linear pass without recursion or backtracking: the text is untrusted, and a line of
     * megabytes (a value of escaped quotes, say) must cost time proportional to its length and a
     * constant amount of stack.
     */
    public String redactJson(String raw) {
        int n = raw.length();
        StringBuilder out = null;
        int copied = 0;
        int quote = raw.indexOf('"');
        while (quote >= 0) {
            int valueStart = idValueStart(raw, quote);
            if (valueStart < 0) {
                quote = raw.indexOf('"', quote + 1);
                continue;
            }
            int end;
            String replaced;
            if (raw.charAt(valueStart) == '"') {
                int j = valueStart + 1;
                // A backslash escapes whatever follows it, so an escaped quote never ends the value.
                while (j < n && raw.charAt(j) != '"' && !(raw.charAt(j) == '\\' && j + 1 >= n)) {
                    j += raw.charAt(j) == '\\' ? 2 : 1;
                }
                boolean closed = j < n && raw.charAt(j) == '"';
                replaced = "\"" + pseudonym(raw.substring(valueStart + 1, j)) + (closed ? "\"" : "");
                end = closed ? j + 1 : j;
            } else {
                int j = valueStart;
                while (j < n && isBare(raw.charAt(j))) {
                    j++;
                }
                replaced = pseudonym(raw.substring(valueStart, j));
                end = j;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(raw, copied, valueStart).append(replaced);
            copied = end;
            quote = raw.indexOf('"', end);
        }
        return out == null ? raw : out.append(raw, copied, n).toString();
    }

    /**
     * Where the value of a {@code user_id} member starts when the quote at {@code quote} opens its
     * key ({@code "user_id"}, any of its letters possibly escaped as backslash, u, four hex digits, then optional
     * whitespace, {@code :}, optional whitespace, then a quote or a bare character), else -1.
     * Looks at most 42 characters of key ahead, so the scan stays linear.
     */
    private static int idValueStart(String raw, int quote) {
        int n = raw.length();
        int p = quote + 1;
        for (int k = 0; k < ID_KEY.length(); k++) {
            char want = ID_KEY.charAt(k);
            if (p < n && raw.charAt(p) == want) {
                p++;
            } else if (p + 6 <= n && raw.charAt(p) == '\\' && raw.charAt(p + 1) == 'u' && hex4(raw, p + 2) == want) {
                p += 6;
            } else {
                return -1;
            }
        }
        if (p >= n || raw.charAt(p) != '"') {
            return -1;
        }
        p = skipWhitespace(raw, p + 1);
        if (p >= n || raw.charAt(p) != ':') {
            return -1;
        }
        p = skipWhitespace(raw, p + 1);
        return p < n && (raw.charAt(p) == '"' || isBare(raw.charAt(p))) ? p : -1;
    }

    /** The character that the four hex digits at {@code at} encode, or -1. */
    private static int hex4(String s, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static int skipWhitespace(String s, int from) {
        int i = from;
        while (i < s.length() && isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whitespace around a member's colon and around bare values: space, tab, the line breaks, VT and FF. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\013' || c == '\f';
    }

    /** A character of a bare (unquoted) value. */
    private static boolean isBare(char c) {
        return c != ',' && c != '}' && c != ']' && !isWhitespace(c);
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
