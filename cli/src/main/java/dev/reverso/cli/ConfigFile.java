package dev.reverso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reverso.ReversoException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code reverso.yaml}: defaults for the command line's options. A key is an option's long name
 * with '_' for '-' ({@code lock_timeout: 2s}); a command's own options go under its name
 * ({@code lint: {fail_on: error, disable: [drop-column]}}). An option given on the command line
 * wins over the file. {@code url} is read last, after --url, REVERSO_URL and DATABASE_URL, so an
 * environment's own setting always wins over a committed file.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

    static final String DEFAULT_NAME = "reverso.yaml";

    private final Path path;
    private final JsonNode root;

    private ConfigFile(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    /**
     * The config named by {@code --config FILE} in the arguments, or ./reverso.yaml if present.
     *
     * @throws ReversoException BAD_INPUT when a named file is missing or the YAML is malformed
     */
    static ConfigFile find(String[] args) {
        Path named = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                named = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                named = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (named != null && !Files.isRegularFile(named)) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "--config " + named + ": no such file");
        }
        Path path = named != null ? named : Path.of(DEFAULT_NAME);
        if (!Files.isRegularFile(path)) {
            return new ConfigFile(null, null);
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            if (root != null && !root.isNull() && !root.isObject()) {
                throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": expected a mapping of option names to values");
            }
            return new ConfigFile(path, root == null || root.isNull() ? null : root);
        } catch (IOException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": not valid YAML: " + message);
        }
    }

    /** The whole file; null when there is none or it is empty. */
    JsonNode root() {
        return root;
    }

    /** The database URL of the file, or null. */
    String url() {
        JsonNode url = root == null ? null : root.get("url");
        return url == null || url.isNull() ? null : url.asText();
    }

    /**
     * Refuses keys that are no option of the command line, naming the file and the key, so a typo
     * does not silently leave a default in force.
     */
    void check(CommandLine top) {
        if (root == null) {
            return;
        }
        Set<String> global = keys(top.getCommandSpec().options());
        global.add("url");
        global.addAll(ReleaseSettings.KEYS);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            CommandLine sub = top.getSubcommands().get(e.getKey());
            if (sub != null && e.getValue().isObject()) {
                Set<String> own = keys(sub.getCommandSpec().options());
                for (Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!own.contains(name)) {
                        throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": unknown key '" + e.getKey() + "."
                                + name + "' (the " + e.getKey() + " options are: " + String.join(", ", own) + ")");
                    }
                }
            } else if (!global.contains(e.getKey())) {
                throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": unknown key '" + e.getKey() + "'");
            }
        }
    }

    private static Set<String> keys(List<OptionSpec> options) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec o : options) {
            if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--config")) {
                keys.add(key(o));
            }
        }
        keys.remove("url");
        return keys;
    }

    private static String key(OptionSpec o) {
        return o.longestName().substring(2).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (root == null || !(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        String key = key(option);
        if (key.equals("url") || key.equals("config")) {
            return null;
        }
        String command = option.command() == null ? null : option.command().name();
        JsonNode node = command != null && root.get(command) != null && root.get(command).isObject()
                ? root.get(command).get(key) : null;
        if (node == null) {
            node = root.get(key);
        }
        return node == null || node.isNull() ? null : text(node);
    }

    /** Lists become comma-separated, mappings k=v pairs, as the options' split expects. */
    private static String text(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.asText()));
            return String.join(",", items);
        }
        if (node.isObject()) {
            List<String> pairs = new ArrayList<>();
            node.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
            return String.join(",", pairs);
        }
        return node.asText();
    }
}
