package dev.gitopsworkshop.sync.image;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The automation's commit message from {@code spec.git.commit.messageTemplate}, a Go template as in
 * Flux. The embedded controller understands the part of Flux's template data that commit messages
 * use: {@code {{ .AutomationObject }}} and {@code {{ range .Changed.Changes }} ... {{ end }}} with
 * {@code .OldValue}, {@code .NewValue} and {@code .Setter} inside; {@code {{-}} and {@code -}}}
 * trim spaces as in Go. Anything else is refused with a message that says what it supports.
 */
final class CommitMessage {
  static final String DEFAULT = "Update from image update automation";
  private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)\\s*(.*?)\\s*(-?)}}", Pattern.DOTALL);

  /** A template the embedded controller cannot render. */
  static final class TemplateFailure extends IllegalArgumentException {
    TemplateFailure(String message) {
      super(message);
    }
  }

  private CommitMessage() {}

  static String render(String template, String automationObject, List<Setters.Change> changes) {
    if (template == null || template.isBlank()) {
      return DEFAULT;
    }
    StringBuilder out = new StringBuilder();
    Matcher m = ACTION.matcher(template);
    int at = 0;
    String rangeBody = null;
    int rangeDepthStart = -1;
    while (m.find()) {
      String text = template.substring(at, m.start());
      if (m.group(1).equals("-")) {
        text = text.stripTrailing();
      }
      String action = m.group(2);
      if (rangeDepthStart >= 0) {
        if (action.equals("end")) {
          rangeBody = template.substring(rangeDepthStart, m.start());
          if (m.group(1).equals("-")) {
            rangeBody = rangeBody.stripTrailing();
          }
          for (Setters.Change c : changes) {
            out.append(renderChange(rangeBody, c));
          }
          rangeDepthStart = -1;
        } else if (action.startsWith("range")) {
          throw new TemplateFailure("messageTemplate nests a range, which the embedded automation controller does not support");
        }
      } else {
        out.append(text);
        if (action.equals(".AutomationObject")) {
          out.append(automationObject);
        } else if (action.equals("range .Changed.Changes")) {
          rangeDepthStart = m.end();
        } else {
          throw unsupported(action);
        }
      }
      at = m.end();
      if (m.group(3).equals("-")) {
        while (at < template.length() && Character.isWhitespace(template.charAt(at))) {
          at++;
        }
        if (rangeDepthStart >= 0 && rangeDepthStart == m.end()) {
          rangeDepthStart = at;
        }
      }
    }
    if (rangeDepthStart >= 0) {
      throw new TemplateFailure("messageTemplate has a range without its {{ end }}");
    }
    out.append(template.substring(at));
    return out.toString().strip().isEmpty() ? DEFAULT : out.toString();
  }

  private static String renderChange(String body, Setters.Change c) {
    Matcher m = ACTION.matcher(body);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (m.find()) {
      String text = body.substring(at, m.start());
      out.append(m.group(1).equals("-") ? text.stripTrailing() : text);
      String action = m.group(2);
      String field = action.replaceFirst("^print(ln)?\\s+", "");
      out.append(switch (field) {
        case ".OldValue" -> c.oldValue();
        case ".NewValue" -> c.newValue();
        case ".Setter" -> c.setter();
        default -> throw unsupported(action);
      });
      if (action.startsWith("println")) {
        out.append('\n');
      }
      at = m.end();
      if (m.group(3).equals("-")) {
        while (at < body.length() && Character.isWhitespace(body.charAt(at))) {
          at++;
        }
      }
    }
    return out.append(body.substring(at)).toString();
  }

  private static TemplateFailure unsupported(String action) {
    return new TemplateFailure("messageTemplate uses {{ " + action + " }}, which the embedded automation controller does not support"
        + " (it supports {{ .AutomationObject }} and {{ range .Changed.Changes }} with .OldValue, .NewValue, .Setter)");
  }
}
