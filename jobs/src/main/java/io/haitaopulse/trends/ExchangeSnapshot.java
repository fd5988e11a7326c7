package io.haitaopulse.trends;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a serializer meant for network exchanges only ({@link ShardPaneCountsSerializer},
 * {@link ItemPaneActivitySerializer}): it holds nothing and is compatible only with a snapshot of
 * its own class, since the encoding has no schema evolution. State never uses these serializers.
 *
 * @param <T> the serialized type
 */
abstract class ExchangeSnapshot<T> implements TypeSerializerSnapshot<T> {

    private static final int VERSION = 1;

    @Override
    public final int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {}

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
            throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("unknown " + getClass().getName() + " version " + readVersion);
        }
    }

    @Override
    public abstract TypeSerializer<T> restoreSerializer();

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSerializerSnapshot) {
        return oldSerializerSnapshot.getClass() == getClass()
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
