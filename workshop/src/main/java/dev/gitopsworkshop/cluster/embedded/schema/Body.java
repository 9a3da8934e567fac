package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A request body as kube-apiserver's strict decoder sees it: the object (the last of duplicate
 * fields wins, as in Go) and its duplicate fields. A JSON body names them by path ({@code
 * duplicate field "spec.paused"}, in the order of the document, next to the first occurrence of
 * every field so unknown fields can be reported in the same order); a YAML body by line
 * ({@code line 14: key "paused" already set in map}), as the YAML decoder words it.
 */
public record Body(JsonNode node, boolean yaml, List<String> duplicates, List<String> fieldOrder) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Duplicate fields of a JSON document, and the paths of its fields in document order. */
  public static Body json(byte[] bytes) throws IOException {
    try (JsonParser p = JSON.createParser(bytes)) {
      List<String> duplicates = new ArrayList<>();
      List<String> order = new ArrayList<>();
      JsonToken first = p.nextToken();
      if (first == null) {
        return new Body(null, false, duplicates, order);
      }
      JsonNode node = read(p, "", duplicates, order);
      if (p.nextToken() != null) {
        throw new IOException("unexpected data after the JSON document");
      }
      return new Body(node, false, duplicates, order);
    }
  }

  private static JsonNode read(JsonParser p, String path, List<String> duplicates, List<String> order) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode obj = f.objectNode();
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          p.nextToken();
          if (!seen.add(name)) {
            duplicates.add("duplicate field \"" + child + "\"");
            order.add("\0" + child);
          } else {
            order.add(child);
          }
          obj.set(name, read(p, child, duplicates, order));
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          arr.add(read(p, path + "[" + i++ + "]", duplicates, order));
        }
        return arr;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> f.numberNode(p.getIntValue());
          case LONG -> f.numberNode(p.getLongValue());
          default -> f.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new IOException("unexpected " + p.currentToken());
    }
  }

  /** Duplicate keys of a YAML document, worded as the YAML decoder words them. */
  public static List<String> yamlDuplicates(byte[] bytes) {
    List<String> out = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(50);
    Node root = new Yaml(options).compose(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    if (root != null) {
      yamlDuplicates(root, out);
    }
    return out;
  }

  private static void yamlDuplicates(Node node, List<String> out) {
    if (node instanceof MappingNode map) {
      Set<String> seen = new HashSet<>();
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode key && !seen.add(key.getValue())) {
          out.add("line " + (key.getStartMark().getLine() + 1) + ": key \"" + key.getValue() + "\" already set in map");
        }
        yamlDuplicates(t.getValueNode(), out);
      }
    } else if (node instanceof SequenceNode seq) {
      seq.getValue().forEach(n -> yamlDuplicates(n, out));
    }
  }
}
