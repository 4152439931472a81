package dev.reverso.source;

/**
 * One migration as read from the folder.
 *
 * @param version the version all its files share
 * @param name the name from the up file (or the operations file)
 * @param kind plain SQL or an operation document
 * @param upSql the up script, or the operations document
 * @param downSql the down script, or null when there is none
 * @param upFile the file the up script came from
 * @param downFile the down file, or null
 * @param checksum checksum of the normalised up script
 * @param noTransaction the file opens with {@code -- reverso:no-transaction}: run statement by statement
 */
public record Migration(Version version, String name, Kind kind, String upSql, String downSql,
                        String upFile, String downFile, String checksum, boolean noTransaction) {

    /** The two sorts of migration. */
    public enum Kind { SQL, OPS }

    /** Whether a down script exists. */
    public boolean hasDown() {
        return downSql != null;
    }

    /** The label people know it by, such as {@code 3_add_email}. */
    public String label() {
        return version + "_" + name;
    }
}
