package io.haitaopulse.io;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.internal.Ingested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;

/**
 * The serializer of the {@link Ingested} stream at its network exchanges ({@link IngestedTypeInfo}):
 * clicks and exposures, nearly every event, are written field by field; every other body goes
 * through Flink's {@link AvroSerializer}, exactly as before. What comes back equals what
 * {@link AvroSerializer} gives back for the same record, field for field, including what Avro's
 * encoding changes: timestamps truncated to whole milliseconds (towards the past, as
 * {@link Instant#toEpochMilli()}) and strings through UTF-8 (an unpaired surrogate becomes
 * {@code ?}). A record Avro cannot write (a required field null, a timestamp beyond the range of
 * epoch milliseconds) goes to {@link AvroSerializer} too, so it fails as it did.
 *
 * <p>The encoding is one tag byte, then for a click or an exposure its fields and the source
 * watermark, for anything else {@link AvroSerializer}'s bytes. It has no version and no schema
 * evolution: both ends of an exchange run the same code. It is therefore never to be used for
 * state; state keeps {@code new AvroTypeInfo<>(Ingested.class)}, whose snapshot carries the Avro
 * schema that savepoints are read back with, and {@link #snapshotConfiguration()}'s snapshot is
 * compatible with nothing but itself.
 *
 * <p>Not thread-safe (it keeps a read buffer and Avro's encoder): Flink gives each thread its own
 * {@link #duplicate()}.
 */
public final class IngestedSerializer extends TypeSerializer<Ingested> {

    private static final long serialVersionUID = 1L;

    /** The record follows as {@link AvroSerializer} writes it. */
    static final byte AVRO = 0;
    /** A click, then the source watermark. */
    static final byte CLICK = 1;
    /** An exposure, then the source watermark. */
    static final byte EXPOSURE = 2;

    private static final ClickAction[] ACTIONS = ClickAction.values();
    private static final Channel[] CHANNELS = Channel.values();
    private static final Arm[] ARMS = Arm.values();

    /** Instants with an epoch second strictly between these convert to epoch millis without overflow. */
    private static final long MIN_SECOND = Long.MIN_VALUE / 1000;

    private static final long MAX_SECOND = Long.MAX_VALUE / 1000;

    static {
        // The fast paths write these fields by hand, in this order: a field added to a schema
        // must be added here too, or its values would be dropped at every exchange.
        requireFields(
                Click.getClassSchema(),
                List.of(
                        "event_id",
                        "user_id",
                        "item_id",
                        "category_id",
                        "action",
                        "ts",
                        "session_id",
                        "channel",
                        "campaign_id",
                        "referrer_token",
                        "region",
                        "device"));
        requireFields(Exposure.getClassSchema(), List.of("campaign_id", "user_id", "arm", "ts"));
        requireFields(Ingested.getClassSchema(), List.of("body", "source_watermark"));
    }

    private final TypeSerializer<Ingested> avro;

    /** Reused to decode strings; per instance, hence per thread. */
    private transient byte[] buf;

    /** A serializer with its own {@link AvroSerializer} for the bodies without a fast path. */
    public IngestedSerializer() {
        this(new AvroSerializer<>(Ingested.class));
    }

    private IngestedSerializer(TypeSerializer<Ingested> avro) {
        this.avro = avro;
    }

    private static void requireFields(Schema schema, List<String> expected) {
        List<String> actual =
                schema.getFields().stream().map(Schema.Field::name).toList();
        if (!actual.equals(expected)) {
            throw new IllegalStateException("IngestedSerializer writes " + schema.getName() + " as " + expected
                    + " but its schema has " + actual + "; update the serializer with the schema");
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Ingested> duplicate() {
        return new IngestedSerializer(avro.duplicate());
    }

    @Override
    public Ingested createInstance() {
        return new Ingested();
    }

    /**
     * A deep copy equal to {@link AvroSerializer#copy(Object)}'s (which also truncates timestamps
     * to milliseconds, as it copies through Avro's representation).
     */
    @Override
    public Ingested copy(Ingested from) {
        Object body = from.getBody();
        if (body instanceof Click c && fast(c)) {
            return ingested(new Ingested(), copy(c), from.getSourceWatermark());
        } else if (body instanceof Exposure e && fast(e)) {
            return ingested(new Ingested(), copy(e), from.getSourceWatermark());
        }
        return avro.copy(from);
    }

    @Override
    public Ingested copy(Ingested from, Ingested reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Ingested record, DataOutputView target) throws IOException {
        Object body = record.getBody();
        if (body instanceof Click c && fast(c)) {
            target.writeByte(CLICK);
            writeClick(c, target);
            target.writeLong(record.getSourceWatermark());
        } else if (body instanceof Exposure e && fast(e)) {
            target.writeByte(EXPOSURE);
            writeExposure(e, target);
            target.writeLong(record.getSourceWatermark());
        } else {
            target.writeByte(AVRO);
            avro.serialize(record, target);
        }
    }

    @Override
    public Ingested deserialize(DataInputView source) throws IOException {
        return deserialize(null, source);
    }

    /** Reuses {@code reuse} (not its body) when it is not null, as {@link AvroSerializer} would. */
    @Override
    public Ingested deserialize(Ingested reuse, DataInputView source) throws IOException {
        byte tag = source.readByte();
        return switch (tag) {
            case CLICK -> ingested(reuse == null ? new Ingested() : reuse, readClick(source), source.readLong());
            case EXPOSURE -> ingested(reuse == null ? new Ingested() : reuse, readExposure(source), source.readLong());
            case AVRO -> reuse == null ? avro.deserialize(source) : avro.deserialize(reuse, source);
            default -> throw new IOException("not a serialized Ingested: tag " + tag);
        };
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof IngestedSerializer;
    }

    @Override
    public int hashCode() {
        return IngestedSerializer.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "IngestedSerializer";
    }

    @Override
    public TypeSerializerSnapshot<Ingested> snapshotConfiguration() {
        return new Snapshot();
    }

    // ---- clicks and exposures

    /**
     * Whether {@code c} takes the fast path: Avro could write it (its required fields are set,
     * its timestamp is within epoch millis). Otherwise Avro writes it, or fails on it, as before.
     */
    private static boolean fast(Click c) {
        return c.getEventId() != null && c.getUserId() != null && c.getAction() != null && inMillis(c.getTs());
    }

    private static boolean fast(Exposure e) {
        return e.getCampaignId() != null && e.getUserId() != null && e.getArm() != null && inMillis(e.getTs());
    }

    /** {@code t} is not null and {@link Instant#toEpochMilli()} cannot overflow. */
    private static boolean inMillis(Instant t) {
        if (t == null) {
            return false;
        }
        long s = t.getEpochSecond();
        return s > MIN_SECOND && s < MAX_SECOND;
    }

    private static Click copy(Click c) {
        Click copy = new Click();
        copy.setEventId(c.getEventId());
        copy.setUserId(c.getUserId());
        copy.setItemId(c.getItemId());
        copy.setCategoryId(c.getCategoryId());
        copy.setAction(c.getAction());
        // The generated setter truncates to milliseconds, as Avro's copy through epoch millis does.
        copy.setTs(c.getTs());
        copy.setSessionId(c.getSessionId());
        copy.setChannel(c.getChannel());
        copy.setCampaignId(c.getCampaignId());
        copy.setReferrerToken(c.getReferrerToken());
        copy.setRegion(c.getRegion());
        copy.setDevice(c.getDevice());
        return copy;
    }

    private static Exposure copy(Exposure e) {
        Exposure copy = new Exposure();
        copy.setCampaignId(e.getCampaignId());
        copy.setUserId(e.getUserId());
        copy.setArm(e.getArm());
        copy.setTs(e.getTs());
        return copy;
    }

    private static Ingested ingested(Ingested into, Object body, long sourceWatermark) {
        into.setBody(body);
        into.setSourceWatermark(sourceWatermark);
        return into;
    }

    private static void writeClick(Click c, DataOutputView out) throws IOException {
        writeString(c.getEventId(), out);
        writeString(c.getUserId(), out);
        out.writeLong(c.getItemId());
        out.writeLong(c.getCategoryId());
        out.writeByte(c.getAction().ordinal());
        out.writeLong(c.getTs().toEpochMilli());
        writeString(c.getSessionId(), out);
        Channel channel = c.getChannel();
        out.writeByte(channel == null ? -1 : channel.ordinal());
        writeString(c.getCampaignId(), out);
        writeString(c.getReferrerToken(), out);
        writeString(c.getRegion(), out);
        writeString(c.getDevice(), out);
    }

    private Click readClick(DataInputView in) throws IOException {
        Click c = new Click();
        c.setEventId(readString(in));
        c.setUserId(readString(in));
        c.setItemId(in.readLong());
        c.setCategoryId(in.readLong());
        c.setAction(ACTIONS[ordinal(in.readByte(), ACTIONS.length)]);
        c.setTs(Instant.ofEpochMilli(in.readLong()));
        c.setSessionId(readString(in));
        byte channel = in.readByte();
        c.setChannel(channel == -1 ? null : CHANNELS[ordinal(channel, CHANNELS.length)]);
        c.setCampaignId(readString(in));
        c.setReferrerToken(readString(in));
        c.setRegion(readString(in));
        c.setDevice(readString(in));
        return c;
    }

    private static void writeExposure(Exposure e, DataOutputView out) throws IOException {
        writeString(e.getCampaignId(), out);
        writeString(e.getUserId(), out);
        out.writeByte(e.getArm().ordinal());
        out.writeLong(e.getTs().toEpochMilli());
    }

    private Exposure readExposure(DataInputView in) throws IOException {
        Exposure e = new Exposure();
        e.setCampaignId(readString(in));
        e.setUserId(readString(in));
        e.setArm(ARMS[ordinal(in.readByte(), ARMS.length)]);
        e.setTs(Instant.ofEpochMilli(in.readLong()));
        return e;
    }

    private static int ordinal(byte b, int symbols) throws IOException {
        if (b < 0 || b >= symbols) {
            throw new IOException("not a serialized Ingested: enum ordinal " + b + " of " + symbols + " symbols");
        }
        return b;
    }

    // ---- strings: UTF-8 as Avro writes them, so that what comes back is what Avro gives back

    /** A string's UTF-8 length plus one as an unsigned varint (0 for null), then its UTF-8 bytes. */
    private static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        // An array is shorter than Integer.MAX_VALUE, so the length plus one cannot overflow.
        int v = utf8.length + 1;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
        out.write(utf8);
    }

    private String readString(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new IOException("not a serialized Ingested: string length runs over 5 bytes");
            }
            byte b = in.readByte();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (v == 0) {
            return null;
        }
        if (v < 0) {
            throw new IOException("not a serialized Ingested: string length " + Integer.toUnsignedString(v - 1));
        }
        int n = v - 1;
        if (buf == null || buf.length < n) {
            buf = new byte[Math.max(n, 256)];
        }
        in.readFully(buf, 0, n);
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The snapshot of an {@link IngestedSerializer}: it holds nothing, and is compatible only with
     * itself, since the encoding has no schema evolution (it is meant for exchanges, not state).
     */
    public static final class Snapshot implements TypeSerializerSnapshot<Ingested> {

        private static final int VERSION = 1;

        /** For Flink, which instantiates snapshots by reflection before reading them. */
        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("unknown IngestedSerializer snapshot version " + readVersion);
            }
        }

        @Override
        public TypeSerializer<Ingested> restoreSerializer() {
            return new IngestedSerializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<Ingested> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Ingested> oldSerializerSnapshot) {
            return oldSerializerSnapshot instanceof Snapshot
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
