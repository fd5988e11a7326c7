package io.haitaopulse.testutil;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Flink's POJO serializer carries of an object, as a comparable value: its class and its
 * public, non-static, non-transient fields (of the class and its superclasses), nested objects
 * the same way and arrays element by element. Two objects the POJO serializer cannot tell apart
 * have equal values; caches in transient or private fields do not count.
 */
public final class PojoFields {

    private PojoFields() {}

    /**
     * {@code o}'s carried value: null, a boxed primitive or string as it is, an array as a list of
     * its elements' values, anything else as its class name followed by its fields' values.
     */
    public static Object of(Object o) {
        if (o == null || o instanceof Number || o instanceof Boolean || o instanceof Character || o instanceof String) {
            return o;
        }
        Class<?> c = o.getClass();
        if (c.isArray()) {
            int n = Array.getLength(o);
            List<Object> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elements.add(of(Array.get(o, i)));
            }
            return elements;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("class", c.getName());
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && !Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                    try {
                        fields.put(k.getName() + "." + f.getName(), of(f.get(o)));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return fields;
    }
}
