package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.Mappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Kubernetes manifests read from YAML: every document of a file, each a mapping with apiVersion and kind. */
public final class Manifests {
  static final YAMLMapper YAML = Mappers.YAML;

  private Manifests() {}

  /** The objects of one file; a file that does not parse, or a document that is no manifest, fails the build. */
  public static List<Manifest> parse(String file, byte[] content) {
    return texts(file, content).stream().map(Text::manifest).toList();
  }

  /** One object and the text of its YAML document, as written in its file. */
  record Text(Manifest manifest, String yaml) {}

  private static final java.util.regex.Pattern SEPARATOR = java.util.regex.Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

  /** The objects of one file with the text of each document (what post-build substitutes in without kustomize). */
  static List<Text> texts(String file, byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    documents(file, text); // the whole file first, so that a syntax error is reported with the file's own line numbers
    List<Text> out = new ArrayList<>();
    for (String chunk : SEPARATOR.split(text)) {
      for (JsonNode doc : documents(file, chunk)) {
        if (!(doc instanceof ObjectNode obj)) {
          throw BuildFailure.build(file + ": a manifest must be a YAML mapping, found " + doc.getNodeType().toString().toLowerCase());
        }
        if (obj.path("apiVersion").asText("").isEmpty() || obj.path("kind").asText("").isEmpty()) {
          throw BuildFailure.build(file + ": missing apiVersion or kind in a manifest");
        }
        out.add(new Text(new Manifest(obj, file), chunk));
      }
    }
    return out;
  }

  /** The non-empty YAML documents of a text; {@code file} names it in the message of a syntax error. */
  static List<JsonNode> documents(String file, String text) {
    List<JsonNode> docs = new ArrayList<>();
    try {
      Mappers.refuseYamlAliases(text);
    } catch (IOException e) {
      throw BuildFailure.build(file + ": " + firstLine(e));
    }
    try (JsonParser parser = new YAMLFactory().createParser(text);
        MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !(doc.isObject() && doc.isEmpty())) {
          docs.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw BuildFailure.build(file + ": " + firstLine(e));
    }
    return docs;
  }

  static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\s*\\n\\s*", " ").replaceAll(" at \\[Source: .*$", "")
        .replace(" in 'reader',", "").replace("^ ", "").strip();
  }
}
