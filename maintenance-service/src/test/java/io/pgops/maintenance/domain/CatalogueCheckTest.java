package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueCheckTest {
    static final ObjectName ORDERS = new ObjectName("public", "orders");
    static final ObjectName SALES_ORDERS = new ObjectName("sales", "orders");

    @Test
    void aBareNameIsTheTableOfSchemaPublic() {
        assertEquals(ORDERS, CatalogueCheck.resolve("orders", "table", List.of(ORDERS, SALES_ORDERS)));
    }

    @Test
    void aQualifiedNameIsTheTableOfThatSchema() {
        assertEquals(SALES_ORDERS, CatalogueCheck.resolve("sales.orders", "table", List.of(ORDERS, SALES_ORDERS)));
    }

    @Test
    void anInjectionAttemptIsATableThatDoesNotExistAndIsRefused() {
        var e = assertThrows(
                CatalogueCheck.UnknownObject.class,
                () -> CatalogueCheck.resolve("x; DROP TABLE y", "table", List.of(ORDERS)));
        assertTrue(e.getMessage().startsWith("no table 'x; DROP TABLE y' in the catalogue"), e.getMessage());
    }

    @Test
    void aNameMatchingTwoObjectsIsRefusedAsAmbiguous() {
        ObjectName dotted = new ObjectName("public", "sales.orders");
        var e = assertThrows(
                CatalogueCheck.UnknownObject.class,
                () -> CatalogueCheck.resolve("sales.orders", "table", List.of(dotted, SALES_ORDERS)));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
    }

    @Test
    void aNameLongerThanTwoIdentifiersOrWithControlCharactersIsRefusedWithoutALookup() {
        assertThrows(CatalogueCheck.UnknownObject.class, () -> CatalogueCheck.checkShape("a".repeat(128), "table"));
        assertThrows(CatalogueCheck.UnknownObject.class, () -> CatalogueCheck.checkShape("a\nb", "table"));
        assertThrows(CatalogueCheck.UnknownObject.class, () -> CatalogueCheck.checkShape(" ", "table"));
    }

    @Test
    void theMessageQuotesAtMostEightyCharactersOfTheRequest() {
        String longName = "y".repeat(120);
        var e = assertThrows(
                CatalogueCheck.UnknownObject.class, () -> CatalogueCheck.resolve(longName, "table", List.of(ORDERS)));
        assertTrue(e.getMessage().contains("y".repeat(80) + "…'"), e.getMessage());
        assertTrue(!e.getMessage().contains("y".repeat(81)), e.getMessage());
    }
}
