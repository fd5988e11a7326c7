package io.haitaopulse.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The part every exchange-only type shares: a record type that Flink treats as one opaque field
 * (not a tuple, not a key, not basic), so that its stream crosses network exchanges through the
 * hand-written serializer its subclass creates. Such types are for streams only, never for state:
 * their encodings have no schema evolution, so state keeps Flink's Avro or POJO types.
 *
 * @param <T> the record type
 */
public abstract class ExchangeTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    /** An exchange type for records of {@code type}. */
    protected ExchangeTypeInfo(Class<T> type) {
        this.type = type;
    }

    @Override
    public final boolean isBasicType() {
        return false;
    }

    @Override
    public final boolean isTupleType() {
        return false;
    }

    @Override
    public final int getArity() {
        return 1;
    }

    @Override
    public final int getTotalFields() {
        return 1;
    }

    @Override
    public final Class<T> getTypeClass() {
        return type;
    }

    @Override
    public final boolean isKeyType() {
        return false;
    }
}
