package dev.gitopsworkshop.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One step event as it travels from a participant's lab to the room:
 * {@code {"id", "type", "step", "at", "check"?, "message"?}}. The sender makes the id (so that an
 * event sent twice, after a lost answer, is kept once); who sent it is the account that posted it,
 * never a field of the body. {@link #parse} is the room's only door for events: anything else is
 * refused with the reason.
 *
 * @param type a {@link StepEvent.Type}'s wire name, or {@code joined} (a lab started)
 */
public record RoomEvent(String id, String type, int step, Instant at, String check, String message) {
  /** Longest check name or message kept; senders cut theirs to this. */
  public static final int MAX_TEXT = 500;
  static final String JOINED = "joined";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  private static final Set<String> FIELDS = Set.of("id", "type", "step", "at", "check", "message");
  private static final Set<String> TYPES = Set.of(JOINED, "started", "failing", "hint", "solved", "done", "failed", "reset");

  /** A refused event: the reason, for a 400 answer. */
  public static final class Invalid extends Exception {
    Invalid(String reason) {
      super(reason);
    }
  }

  /** The event a runner's step event becomes, with a fresh id. */
  public static RoomEvent of(StepEvent e) {
    return new RoomEvent(newId(), e.type().wire(), e.step(), e.at(), cut(e.check()), cut(e.message()));
  }

  /** A lab joined the room (started, or started again). */
  public static RoomEvent joined() {
    return new RoomEvent(newId(), JOINED, 0, Instant.now(), null, null);
  }

  static String newId() {
    return java.util.UUID.randomUUID().toString();
  }

  private static String cut(String text) {
    if (text == null) {
      return null;
    }
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT - 1) + "…";
  }

  /** Validates one event from a request body. */
  public static RoomEvent parse(JsonNode node) throws Invalid {
    if (!(node instanceof ObjectNode object)) {
      throw new Invalid("an event is a JSON object");
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new Invalid("unknown field '" + name + "' (an event has " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    String id = text(object, "id", true);
    if (!ID.matcher(id).matches()) {
      throw new Invalid("id must be 8 to 64 letters, digits, - or _");
    }
    String type = text(object, "type", true);
    if (!TYPES.contains(type)) {
      throw new Invalid("unknown type '" + abbreviate(type) + "' (one of " + String.join(", ", TYPES.stream().sorted().toList()) + ")");
    }
    JsonNode step = object.get("step");
    if (step == null || !step.isInt() || step.intValue() < 0 || step.intValue() > 999) {
      throw new Invalid("step must be a whole number from 0 to 999");
    }
    Instant at;
    try {
      at = Instant.parse(text(object, "at", true));
    } catch (DateTimeParseException e) {
      throw new Invalid("at must be a time like 2026-11-20T09:30:00Z");
    }
    return new RoomEvent(id, type, step.intValue(), at, text(object, "check", false), text(object, "message", false));
  }

  private static String text(ObjectNode object, String field, boolean required) throws Invalid {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new Invalid("'" + field + "' is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid("'" + field + "' must be a string");
    }
    if (v.textValue().length() > MAX_TEXT) {
      throw new Invalid("'" + field + "' is longer than " + MAX_TEXT + " characters");
    }
    return v.textValue();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id).put("type", type).put("step", step).put("at", at.toString());
    if (check != null) {
      o.put("check", check);
    }
    if (message != null) {
      o.put("message", message);
    }
    return o;
  }
}
