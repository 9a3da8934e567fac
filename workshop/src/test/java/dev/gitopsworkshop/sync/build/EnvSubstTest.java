package dev.gitopsworkshop.sync.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flux's variable syntax, quirks included: globs do not cross a slash (Go's path.Match), unlike bash's. */
class EnvSubstTest {
  static final Map<String, String> VARS = Map.of("env", "prod", "empty", "", "path", "a/b/c.tar.gz", "name", "podinfo",
      "n", "3");

  static String expand(String text) throws EnvSubst.SyntaxError {
    return EnvSubst.expand(text, VARS::get);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', emptyValue = "", value = {
      "env: ${env}|env: prod",
      "${missing}|",
      "${env:=dev}|prod",
      "${missing:=dev}|dev",
      "${empty:=dev}|dev",
      "${missing:-dev}|dev",
      "${missing=dev}|dev",
      "${empty=dev}|dev",
      "${missing:=a${env}b}|aprodb",
      "${missing:=}|",
      "$${env}|${env}",
      "a$$b|a$b",
      "$$$|$$",
      "$env|$env",
      "price: 5$|price: 5$",
      "${#name}|7",
      "${name^}|Podinfo",
      "${name^^}|PODINFO",
      "${env,}|prod",
      "${name:3}|info",
      "${name:0:3}|pod",
      "${name:3:100}|info",
      "${name:99}|",
      "${name:x}|podinfo",
      "${path#*/}|b/c.tar.gz",
      "${path##*/}|b/c.tar.gz",
      "${path%.*}|a/b/c.tar",
      "${path%%.*}|a/b/c",
      "${name/o/0}|p0dinfo",
      "${name//o/0}|p0dinf0",
      "${name/#pod/cap}|capinfo",
      "${name/%info/cast}|podcast",
      "${name//o/}|pdinf",
      "${name:?unused}|podinfo",
  })
  void expandsAsFluxDoes(String text, String expected) throws Exception {
    assertEquals(expected == null ? "" : expected, expand(text));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "${env-dev}|missing closing brace",
      "${env|missing closing brace",
      "${}|unable to parse variable name",
      "${-x}|unable to parse variable name",
      "${name:}|unable to parse substitution within function",
      "${name/o}|bad substitution",
      "${name//o}|bad substitution",
      "${name^x}|bad substitution",
      "${#}|bad substitution",
  })
  void refusesWhatFluxRefuses(String text, String message) {
    EnvSubst.SyntaxError e = assertThrows(EnvSubst.SyntaxError.class, () -> expand(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aSlashInAReplacementIsEscapedWithABackslash() throws Exception {
    assertEquals("a-b-c.tar.gz", expand("${path//\\//-}"));
  }

  @Test
  void substitutesInsideYamlAsText() throws Exception {
    assertEquals("spec:\n  replicas: 3\n  image: ghcr.io/x/podinfo:prod # ${keep}\n",
        EnvSubst.expand("spec:\n  replicas: ${n}\n  image: ghcr.io/x/${name}:${env} # $${keep}\n", VARS::get));
  }
}
