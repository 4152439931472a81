-- varchar -> text is binary-coercible: no rewrite, no scan.
ALTER TABLE customers ALTER COLUMN phone TYPE text;
