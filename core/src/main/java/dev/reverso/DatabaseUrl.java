package dev.reverso;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the target database is: a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or a
 * libpq-style URL ({@code postgres://user:pass@host:5432/db?sslmode=require}), read into the JDBC
 * URL and credentials the driver takes.
 *
 * @param jdbcUrl the URL handed to the driver, without credentials taken from a postgres:// URL
 * @param user the user from a postgres:// URL, or null (a JDBC URL carries its own)
 * @param password the password from a postgres:// URL, or null
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    /**
     * Reads a URL.
     *
     * @throws ReversoException of kind BAD_INPUT naming the URL (with its password hidden) when it is not one
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw ReversoException.badInput("the database URL is empty");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, null, null);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            return fromLibpq(url);
        }
        throw ReversoException.badInput("'" + redact(url) + "' is not a PostgreSQL URL; give "
                + "postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
    }

    private static DatabaseUrl fromLibpq(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ReversoException.badInput("'" + redact(url) + "' is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw ReversoException.badInput("'" + redact(url) + "' names no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + path + query, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The same server and credentials, another database. */
    public DatabaseUrl withDatabase(String database) {
        String jdbc = jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + database);
        return new DatabaseUrl(jdbc, user, password);
    }

    /** The JDBC URL with the user and password as parameters: one string that --url or a config file takes. */
    public String withCredentials() {
        StringBuilder s = new StringBuilder(jdbcUrl);
        if (user != null) {
            s.append(s.indexOf("?") < 0 ? '?' : '&').append("user=").append(user);
            if (password != null) {
                s.append("&password=").append(password);
            }
        }
        return s.toString();
    }

    /** The JDBC URL with any password in it replaced by {@code ***}, fit for messages. */
    public String display() {
        return redact(jdbcUrl) + (user == null ? "" : " (user " + user + ")");
    }

    /** Hides a password in a URL, whether in the user-info part or a {@code password=} parameter. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]+:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
