package io.pgops.maintenance.domain;

import java.util.Objects;

/**
 * A schema-qualified relation (table or index) as the catalogue spells it. The only way a name from
 * outside reaches SQL is {@link #quoted()}, and only after {@link CatalogueCheck} found it in the catalogue.
 *
 * @param schema the schema ({@code pg_namespace.nspname})
 * @param name the relation ({@code pg_class.relname})
 */
public record ObjectName(String schema, String name) {
    /** PostgreSQL truncates identifiers to 63 bytes; a longer one cannot be in the catalogue. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    public ObjectName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** {@code "schema"."name"}, each part quoted by {@link #quote}. */
    public String quoted() {
        return quote(schema) + "." + quote(name);
    }

    /** {@code schema.name} for people (reports, events, logs); never for SQL. */
    public String text() {
        return schema + "." + name;
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * An identifier quoted for SQL: wrapped in double quotes, a double quote inside doubled. Refuses what no
     * catalogue name can hold (empty, a NUL character), so nothing unquotable ever reaches a statement.
     */
    public static String quote(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an identifier PostgreSQL can hold (empty or with a NUL character)");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
