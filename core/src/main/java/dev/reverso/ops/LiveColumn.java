package dev.reverso.ops;

/**
 * A column as the version being built sees it.
 *
 * @param name its name in the new version
 * @param physical its name in the table (a temporary name while an operation is in progress)
 * @param type the type as {@code format_type} prints it
 * @param notNull whether NULL is refused
 * @param defaultExpr the default expression, or null
 */
public record LiveColumn(String name, String physical, String type, boolean notNull, String defaultExpr) {

    LiveColumn renamed(String to) {
        return new LiveColumn(to, physical, type, notNull, defaultExpr);
    }
}
