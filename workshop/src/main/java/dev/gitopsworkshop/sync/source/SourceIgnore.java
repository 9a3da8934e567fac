package dev.gitopsworkshop.sync.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What source-controller leaves out of an artifact: patterns in gitignore syntax from every
 * {@code .sourceignore} (each applying below its own folder), then {@code spec.ignore}; a later
 * pattern wins, {@code !} brings a path back. Without any such pattern Flux's default exclusions
 * apply (CI folders and files, archives and images, {@code .sops.yaml} and friends); the VCS files
 * ({@code .git/}, {@code .gitignore}...) are always left out.
 */
public final class SourceIgnore {
  static final String VCS = ".git/,.gitignore,.gitmodules,.gitattributes";
  static final String DEFAULTS = String.join(",",
      "*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip",
      ".github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,cloudbuild.yaml,codeship-services.yml,codeship-steps.yml",
      "**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml");
  static final String IGNORE_FILE = ".sourceignore";

  /** One gitignore line, scoped to the folder ({@code domain}) whose ignore file held it. */
  record Rule(List<String> domain, List<String> parts, boolean include, boolean dirOnly, boolean anchored) {
    static Rule parse(String line, List<String> domain) {
      String p = line;
      boolean include = p.startsWith("!");
      if (include) {
        p = p.substring(1);
      }
      if (!p.endsWith("\\ ")) {
        p = p.replaceAll(" +$", "");
      }
      boolean dirOnly = p.endsWith("/");
      if (dirOnly) {
        p = p.substring(0, p.length() - 1);
      }
      return new Rule(List.copyOf(domain), Arrays.asList(p.split("/", -1)), include, dirOnly, p.contains("/"));
    }

    /** +1 excluded, -1 brought back, 0 not concerned. */
    int match(List<String> path, boolean isDir) {
      if (path.size() <= domain.size() || !path.subList(0, domain.size()).equals(domain)) {
        return 0;
      }
      List<String> rest = path.subList(domain.size(), path.size());
      boolean matched = anchored ? pathMatch(rest, isDir) : nameMatch(rest, isDir);
      return !matched ? 0 : include ? -1 : 1;
    }

    /** A pattern without a slash matches any component at any depth. */
    private boolean nameMatch(List<String> path, boolean isDir) {
      for (int i = 0; i < path.size(); i++) {
        if (Boolean.TRUE.equals(Glob.match(parts.get(0), path.get(i)))) {
          return !(dirOnly && !isDir && i == path.size() - 1);
        }
      }
      return false;
    }

    /** A pattern with a slash matches from its folder down, {@code **} standing for any folders. */
    private boolean pathMatch(List<String> path, boolean isDir) {
      boolean matched = false;
      boolean skipAny = false;
      int at = 0;
      for (int i = 0; i < parts.size(); i++) {
        String part = parts.get(i);
        if (part.isEmpty()) {
          skipAny = false;
          continue;
        }
        if (part.equals("**")) {
          if (i == parts.size() - 1) {
            break;
          }
          skipAny = true;
          continue;
        }
        if (part.contains("**") || at >= path.size()) {
          return false;
        }
        if (skipAny) {
          skipAny = false;
          matched = false;
          while (at < path.size()) {
            Boolean m = Glob.match(part, path.get(at++));
            if (m == null) {
              return false;
            }
            if (m) {
              matched = true;
              break;
            }
          }
        } else {
          if (!Boolean.TRUE.equals(Glob.match(part, path.get(at)))) {
            return false;
          }
          matched = true;
          at++;
        }
      }
      return matched && !(dirOnly && !isDir && at == path.size());
    }
  }

  private final List<Rule> rules;

  private SourceIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  /** The rules of an artifact's files and of {@code spec.ignore} (null when not set). */
  public static SourceIgnore of(Map<String, byte[]> files, String specIgnore) {
    List<Rule> own = new ArrayList<>();
    for (String dir : foldersDepthFirst(files)) {
      byte[] ignoreFile = files.get(dir.isEmpty() ? IGNORE_FILE : dir + "/" + IGNORE_FILE);
      if (ignoreFile != null) {
        own.addAll(lines(new String(ignoreFile, StandardCharsets.UTF_8), split(dir)));
      }
    }
    if (specIgnore != null) {
      own.addAll(lines(specIgnore, List.of()));
    }
    List<Rule> all = new ArrayList<>(lines(VCS.replace(',', '\n'), List.of()));
    if (own.isEmpty()) {
      all.addAll(lines(DEFAULTS.replace(',', '\n'), List.of()));
    }
    all.addAll(own);
    return new SourceIgnore(all);
  }

  /** Whether the file or folder at {@code path} (slash-separated, relative) is left out. */
  public boolean excludes(String path, boolean isDir) {
    List<String> parts = split(path);
    for (int i = rules.size() - 1; i >= 0; i--) {
      int m = rules.get(i).match(parts, isDir);
      if (m != 0) {
        return m > 0;
      }
    }
    return false;
  }

  /** The files that stay in the artifact. */
  public Map<String, byte[]> filter(Map<String, byte[]> files) {
    Map<String, byte[]> kept = new TreeMap<>();
    files.forEach((path, content) -> {
      if (!excludes(path, false)) {
        kept.put(path, content);
      }
    });
    return kept;
  }

  private static List<Rule> lines(String text, List<String> domain) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        rules.add(Rule.parse(line, domain));
      }
    }
    return rules;
  }

  private static List<String> split(String path) {
    return path.isEmpty() ? List.of() : List.of(path.split("/"));
  }

  /** Every folder holding files, the root first, then each sub-folder tree in name order. */
  private static List<String> foldersDepthFirst(Map<String, byte[]> files) {
    TreeSet<String> dirs = new TreeSet<>((a, b) -> {
      // compare component by component, so that a folder's sub-folders follow it directly
      List<String> x = split(a);
      List<String> y = split(b);
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = x.get(i).compareTo(y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    });
    dirs.add("");
    for (String f : files.keySet()) {
      for (int slash = f.indexOf('/'); slash >= 0; slash = f.indexOf('/', slash + 1)) {
        dirs.add(f.substring(0, slash));
      }
    }
    return new ArrayList<>(dirs);
  }
}
