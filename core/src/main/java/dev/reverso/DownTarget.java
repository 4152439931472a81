package dev.reverso;

import dev.reverso.source.Version;

/** How far {@code down} rolls back. */
public sealed interface DownTarget {

    /** The newest {@code n} applied migrations. */
    record Count(int n) implements DownTarget {
        public Count {
            if (n < 1) {
                throw new IllegalArgumentException("--count must be at least 1");
            }
        }
    }

    /** Every applied migration newer than this version; the version itself stays applied. */
    record To(Version version) implements DownTarget {
    }

    /** Every applied migration. */
    record All() implements DownTarget {
    }
}
