package dev.reverso.lint.rules;

/** #47: char(n) / character(n), which pads with blanks. */
final class CharType extends ColumnTypeRule {

    @Override
    public String id() {
        return "char-type";
    }

    @Override
    boolean applies(Ddl.Column column) {
        return column.type().is("char");
    }

    @Override
    String message(Ddl.Column column) {
        return qualified(column) + " is " + column.type().text() + ": values are blank-padded to the length, trailing "
                + "blanks are ignored in comparisons but not by every client, and it is no faster than text";
    }

    @Override
    String replacement(Ddl.Column column) {
        return PreferTextOverVarchar.limited(column, "<=");
    }
}
