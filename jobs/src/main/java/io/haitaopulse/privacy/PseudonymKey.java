package io.haitaopulse.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The secret key of user-id pseudonymisation, and where it came from.
 *
 * <p>{@link #id()} is a short public fingerprint of the key (not the key): printed at start and
 * written down at rotation, it tells which key produced a set of pseudonyms without revealing it.
 *
 * @param bytes the key, at least {@value #MIN_BYTES} bytes
 * @param origin where it was read from, for messages ("key file /etc/pulse/key", "ephemeral", …)
 */
public record PseudonymKey(byte[] bytes, String origin) {

    /** Shortest accepted key: 128 bits. */
    public static final int MIN_BYTES = 16;

    public PseudonymKey {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("the pseudonymisation key from " + origin + " has " + bytes.length
                    + " bytes; at least " + MIN_BYTES + " are needed (e.g. `head -c 32 /dev/urandom | base64`)");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The key {@code conf} and the environment name, tried in this order:
     * {@link PrivacyOptions#PSEUDONYM_SECRET}, {@link PrivacyOptions#KEY_FILE},
     * {@link PrivacyOptions#KEY_ENV}. Without any: a fresh random key when {@code ephemeralAllowed}
     * (replays, whose pseudonyms need only be consistent within the run), otherwise one clear
     * {@link IllegalArgumentException} (a live job's pseudonyms must survive restarts).
     */
    public static PseudonymKey resolve(Configuration conf, Map<String, String> env, boolean ephemeralAllowed) {
        String inline = conf.get(PrivacyOptions.PSEUDONYM_SECRET);
        if (inline != null) {
            return new PseudonymKey(
                    decode(inline, PrivacyOptions.PSEUDONYM_SECRET.key()), PrivacyOptions.PSEUDONYM_SECRET.key());
        }
        String file = conf.get(PrivacyOptions.KEY_FILE);
        if (file != null) {
            String origin = "key file " + file;
            String text;
            try {
                text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the pseudonymisation key file " + file + ": " + e.getMessage());
            }
            return new PseudonymKey(decode(text, origin), origin);
        }
        String fromEnv = env.get(PrivacyOptions.KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new PseudonymKey(decode(fromEnv, PrivacyOptions.KEY_ENV), "environment " + PrivacyOptions.KEY_ENV);
        }
        if (ephemeralAllowed) {
            return generate();
        }
        throw new IllegalArgumentException(
                "no pseudonymisation key: set " + PrivacyOptions.KEY_ENV + " or " + PrivacyOptions.KEY_FILE.key()
                        + " (base64 of 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`)");
    }

    /** A fresh random 256-bit key, origin "ephemeral". */
    public static PseudonymKey generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new PseudonymKey(key, "ephemeral");
    }

    /** The key as the base64 text the options and the key file hold. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** First 8 hex digits of SHA-256 over a label and the key: names the key without revealing it. */
    public String id() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("haitao-pulse pseudonym key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(bytes), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        // Never the key: records print their fields, and this one ends up in logs.
        return "PseudonymKey[id=" + id() + ", origin=" + origin + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PseudonymKey k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    private static byte[] decode(String base64, String origin) {
        try {
            return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the pseudonymisation key from " + origin + " is not base64");
        }
    }
}
