package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded cluster's storage: every object as JSON, keyed by group/resource, namespace and
 * name, with one cluster-wide resourceVersion counter (like etcd's revision) and a bounded history
 * of changes so that watches can resume from a resourceVersion.
 *
 * <p>It owns what a real API server's storage layer owns: uid, creationTimestamp, resourceVersion,
 * generation (bumped when anything but metadata and status changes), optimistic concurrency (409 on
 * a stale resourceVersion), finalizers (deletion waits for them), and no-op updates that write
 * nothing. Validation, defaulting and the HTTP surface live above it. Objects go in and out as deep
 * copies; callers never share a node with the store.
 */
public final class ResourceStore {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);
  private static final int HISTORY_LIMIT = 50_000;
  /**
   * The watch history's bound in bytes of JSON (each event's object and previous object). The
   * history keeps them as trees, which take about seven times their JSON on the heap: 8 MB of JSON
   * (some 3,000 events of Deployments and Pods) is about 60 MB of heap.
   */
  static final long HISTORY_BYTES = 8L * 1024 * 1024;
  /**
   * How many events may wait for one watcher; a watcher further behind (a paused {@code kubectl get -w})
   * is closed, as kube-apiserver closes a watcher whose buffer is full, and its client watches again
   * from the last version it saw (or lists again after 410 Gone).
   */
  static final int WATCHER_QUEUE_LIMIT = 5_000;
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  /** Which part of an object an update writes: everything but status, or only status. */
  public enum Part {
    MAIN,
    STATUS
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, TreeMap<String, ObjectNode>> data = new HashMap<>();
  private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
  private final ArrayDeque<Long> historySizes = new ArrayDeque<>();
  private long historyBytes;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private long revision = 1;

  /** The newest resourceVersion handed out. */
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    lock.lock();
    try {
      ObjectNode found = bucket(type).get(key(namespace, name));
      return Optional.ofNullable(found == null ? null : view(type, found));
    } finally {
      lock.unlock();
    }
  }

  /** A consistent list: the matching objects and the resourceVersion they were read at. */
  public record ListResult(List<ObjectNode> items, long revision) {}

  /**
   * Lists objects of a type, sorted by namespace and name.
   *
   * @param namespace null for all namespaces
   * @param filter null for all
   */
  public ListResult list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    lock.lock();
    try {
      List<ObjectNode> items = new ArrayList<>();
      for (ObjectNode o : bucket(type).values()) {
        if (inNamespace(o, namespace) && (filter == null || filter.test(o))) {
          items.add(view(type, o));
        }
      }
      return new ListResult(items, revision);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stores a new object: assigns uid, creationTimestamp, resourceVersion and generation 1, and a
   * name when only {@code metadata.generateName} is given.
   *
   * @param dryRun compute and return the result without storing it
   */
  public ObjectNode create(ResourceType type, ObjectNode object, boolean dryRun) {
    lock.lock();
    try {
      ObjectNode obj = object.deepCopy();
      ObjectNode meta = obj.with("metadata");
      String namespace = type.namespaced() ? text(meta, "namespace") : null;
      if (!type.namespaced()) {
        meta.remove("namespace");
      }
      String name = text(meta, "name");
      TreeMap<String, ObjectNode> bucket = bucket(type);
      if (name == null || name.isEmpty()) {
        String prefix = text(meta, "generateName");
        if (prefix == null || prefix.isEmpty()) {
          throw ApiException.invalid(
              type.kind(), "", "metadata.name", "name or generateName is required");
        }
        do {
          name = prefix + NameSuffix.random(5);
        } while (bucket.containsKey(key(namespace, name)));
        meta.put("name", name);
      }
      if (bucket.containsKey(key(namespace, name))) {
        throw ApiException.alreadyExists(type, name);
      }
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("creationTimestamp", now());
      meta.put("generation", 1L);
      meta.remove("deletionTimestamp");
      meta.remove("deletionGracePeriodSeconds");
      obj.put("apiVersion", type.apiVersion());
      obj.put("kind", type.kind());
      if (dryRun) {
        meta.put("resourceVersion", String.valueOf(revision));
        return obj;
      }
      long rv = ++revision;
      meta.put("resourceVersion", String.valueOf(rv));
      bucket.put(key(namespace, name), obj);
      publish(new WatchEvent(WatchEvent.ADDED, resource(type), obj.deepCopy(), null, rv));
      return view(type, obj);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces an object. A resourceVersion in the given object must match the stored one (else 409).
   * {@link Part#MAIN} keeps the stored status when the type has a status subresource; {@link
   * Part#STATUS} takes only the status. Nothing is written when nothing changes.
   */
  public ObjectNode update(ResourceType type, ObjectNode object, Part part, boolean dryRun) {
    lock.lock();
    try {
      ObjectNode meta = object.with("metadata");
      String namespace = type.namespaced() ? text(meta, "namespace") : null;
      String name = text(meta, "name");
      TreeMap<String, ObjectNode> bucket = bucket(type);
      ObjectNode stored = bucket.get(key(namespace, name));
      if (stored == null) {
        throw ApiException.notFound(type, name);
      }
      String expected = text(meta, "resourceVersion");
      String actual = text(stored.with("metadata"), "resourceVersion");
      if (expected != null && !expected.isEmpty() && !expected.equals(actual)) {
        throw ApiException.conflict(type, name);
      }
      ObjectNode next = merged(type, stored, object, part);
      if (sameContent(next, stored)) {
        return view(type, stored);
      }
      if (dryRun) {
        return view(type, next);
      }
      long rv = ++revision;
      next.with("metadata").put("resourceVersion", String.valueOf(rv));
      ObjectNode storedMeta = (ObjectNode) next.get("metadata");
      if (storedMeta.has("deletionTimestamp") && finalizers(type, next).isEmpty()) {
        bucket.remove(key(namespace, name));
        publish(new WatchEvent(WatchEvent.DELETED, resource(type), next.deepCopy(), stored.deepCopy(), rv));
        return view(type, next);
      }
      bucket.put(key(namespace, name), next);
      publish(new WatchEvent(WatchEvent.MODIFIED, resource(type), next.deepCopy(), stored.deepCopy(), rv));
      return view(type, next);
    } finally {
      lock.unlock();
    }
  }

  private ObjectNode merged(ResourceType type, ObjectNode stored, ObjectNode given, Part part) {
    ObjectNode next;
    if (part == Part.STATUS) {
      next = stored.deepCopy();
      JsonNode status = given.get("status");
      if (status == null || status.isNull()) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      return next;
    }
    next = given.deepCopy();
    next.put("apiVersion", stored.path("apiVersion").asText());
    next.put("kind", type.kind());
    if (type.hasStatus()) {
      if (stored.has("status")) {
        next.set("status", stored.get("status").deepCopy());
      } else {
        next.remove("status");
      }
    }
    ObjectNode meta = next.with("metadata");
    ObjectNode oldMeta = (ObjectNode) stored.get("metadata");
    for (String kept : List.of("uid", "creationTimestamp", "deletionTimestamp", "resourceVersion")) {
      if (oldMeta.has(kept)) {
        meta.set(kept, oldMeta.get(kept));
      } else {
        meta.remove(kept);
      }
    }
    long generation = oldMeta.path("generation").asLong(1);
    meta.put("generation", specChanged(stored, next) ? generation + 1 : generation);
    if (!type.namespaced()) {
      meta.remove("namespace");
    }
    return next;
  }

  private static boolean specChanged(ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      o.remove("metadata");
      o.remove("status");
      o.remove("apiVersion");
    }
    return !sameContent(a, b);
  }

  /** Equality that treats 1, 1L and 1.0 alike, as JSON does. */
  static boolean sameContent(JsonNode a, JsonNode b) {
    return a.equals(NUMBERS_BY_VALUE, b);
  }

  private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
      (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
          return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
      };

  /**
   * Deletes an object. With finalizers it only gets a deletionTimestamp and goes once the last
   * finalizer is removed.
   *
   * @param uid precondition: delete only if the stored uid matches (null: no precondition)
   * @return the deleted (or now deleting) object
   */
  public ObjectNode delete(ResourceType type, String namespace, String name, String uid, boolean dryRun) {
    lock.lock();
    try {
      TreeMap<String, ObjectNode> bucket = bucket(type);
      String k = key(type.namespaced() ? namespace : null, name);
      ObjectNode stored = bucket.get(k);
      if (stored == null) {
        throw ApiException.notFound(type, name);
      }
      ObjectNode meta = stored.with("metadata");
      if (uid != null && !uid.equals(text(meta, "uid"))) {
        throw new ApiException(
            409,
            "Conflict",
            "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + text(meta, "uid"));
      }
      if (dryRun) {
        return view(type, stored);
      }
      long rv = ++revision;
      if (!finalizers(type, stored).isEmpty()) {
        if (meta.has("deletionTimestamp")) {
          return view(type, stored);
        }
        ObjectNode next = stored.deepCopy();
        next.with("metadata").put("deletionTimestamp", now());
        if (isNamespace(type)) {
          next.with("status").put("phase", "Terminating");
        }
        next.with("metadata").put("resourceVersion", String.valueOf(rv));
        bucket.put(k, next);
        publish(new WatchEvent(WatchEvent.MODIFIED, resource(type), next.deepCopy(), stored.deepCopy(), rv));
        return view(type, next);
      }
      bucket.remove(k);
      ObjectNode gone = stored.deepCopy();
      gone.with("metadata").put("resourceVersion", String.valueOf(rv));
      publish(new WatchEvent(WatchEvent.DELETED, resource(type), gone, stored.deepCopy(), rv));
      return view(type, gone);
    } finally {
      lock.unlock();
    }
  }

  /** Removes everything (a new, empty cluster), telling watchers each object went. */
  public void clear() {
    lock.lock();
    try {
      for (Map.Entry<String, TreeMap<String, ObjectNode>> e : data.entrySet()) {
        for (ObjectNode o : e.getValue().values()) {
          long rv = ++revision;
          ObjectNode gone = o.deepCopy();
          gone.with("metadata").put("resourceVersion", String.valueOf(rv));
          publish(new WatchEvent(WatchEvent.DELETED, e.getKey(), gone, o.deepCopy(), rv));
        }
        e.getValue().clear();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- watches

  /**
   * Subscribes to changes of one type (or of every type when {@code type} is null).
   *
   * @param namespace null for all namespaces
   * @param filter which objects the watcher sees; an object that stops matching is delivered as
   *     DELETED, one that starts matching as ADDED, as a real API server does
   * @param fromRevision replay the changes after this resourceVersion (0: only new changes); 410
   *     Gone when it is older than the kept history
   */
  public Subscription watch(
      ResourceType type, String namespace, Predicate<ObjectNode> filter, long fromRevision) {
    return watch(type, namespace, filter, fromRevision, Integer.MAX_VALUE);
  }

  /**
   * A watch for a client of the API: like {@link #watch}, but closed when more than
   * {@link #WATCHER_QUEUE_LIMIT} new events wait for it (the cluster's own controllers keep up, and
   * are never dropped).
   */
  public Subscription clientWatch(ResourceType type, String namespace, Predicate<ObjectNode> filter, long fromRevision) {
    return watch(type, namespace, filter, fromRevision, WATCHER_QUEUE_LIMIT);
  }

  private Subscription watch(ResourceType type, String namespace, Predicate<ObjectNode> filter, long fromRevision, int queueLimit) {
    lock.lock();
    try {
      Subscription sub = new Subscription(type == null ? null : resource(type), namespace, filter, queueLimit);
      if (fromRevision > 0 && fromRevision < revision) {
        WatchEvent oldest = history.peekFirst();
        if (oldest != null && oldest.revision() > fromRevision + 1) {
          throw ApiException.gone("too old resource version: " + fromRevision + " (" + revision + ")");
        }
        for (WatchEvent e : history) {
          if (e.revision() > fromRevision) {
            sub.offer(e);
          }
        }
      }
      subscriptions.add(sub);
      sub.live = true; // from now on, a reader that falls behind is closed (the replay above may be long)
      return sub;
    } finally {
      lock.unlock();
    }
  }

  private void publish(WatchEvent event) {
    long size = sizeOf(event.object()) + (event.previous() == null ? 0 : sizeOf(event.previous()));
    history.addLast(event);
    historySizes.addLast(size);
    historyBytes += size;
    while (history.size() > HISTORY_LIMIT || (historyBytes > HISTORY_BYTES && history.size() > 1)) {
      history.removeFirst();
      historyBytes -= historySizes.removeFirst();
    }
    for (Subscription s : subscriptions) {
      s.offer(event);
    }
  }

  /** The bytes an object takes as JSON (what the history is bounded by). */
  private static long sizeOf(ObjectNode o) {
    return Json.write(o).length();
  }

  /** The watch history's size now: events and bytes (for tests and benchmarks). */
  public long[] historySize() {
    lock.lock();
    try {
      return new long[] {history.size(), historyBytes};
    } finally {
      lock.unlock();
    }
  }

  /** A stream of changes; read it with {@link #poll}, end it with {@link #close}. */
  public final class Subscription implements AutoCloseable {
    private final String resource;
    private final String namespace;
    private final Predicate<ObjectNode> filter;
    private final LinkedBlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile boolean fellBehind;
    private volatile boolean live;
    private final int queueLimit;

    private Subscription(String resource, String namespace, Predicate<ObjectNode> filter, int queueLimit) {
      this.queueLimit = queueLimit;
      this.resource = resource;
      this.namespace = namespace;
      this.filter = filter;
    }

    private void offer(WatchEvent e) {
      if (closed || (resource != null && !resource.equals(e.resource()))) {
        return;
      }
      if (live && queue.size() >= queueLimit) {
        fellBehind = true;
        LOG.info("a watcher of {} fell behind by {} events: it is closed, and its client watches again", resource == null ? "everything"
            : resource, queue.size());
        close();
        return;
      }
      boolean now = matches(e.object());
      boolean before = e.previous() != null && matches(e.previous());
      switch (e.type()) {
        case WatchEvent.ADDED -> {
          if (now) {
            queue.add(e);
          }
        }
        case WatchEvent.DELETED -> {
          if (before || now) {
            queue.add(e);
          }
        }
        default -> {
          if (now && before) {
            queue.add(e);
          } else if (now) {
            queue.add(new WatchEvent(WatchEvent.ADDED, e.resource(), e.object(), null, e.revision()));
          } else if (before) {
            queue.add(new WatchEvent(WatchEvent.DELETED, e.resource(), e.object(), e.previous(), e.revision()));
          }
        }
      }
    }

    private boolean matches(ObjectNode o) {
      return inNamespace(o, namespace) && (filter == null || filter.test(o));
    }

    /** The next change, or null after the timeout or once closed (a wait in progress ends then). */
    public WatchEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
      if (closed) {
        return null;
      }
      WatchEvent e = queue.poll(timeout, unit);
      return e == WAKE || closed ? null : e;
    }

    public boolean isClosed() {
      return closed;
    }

    /** Whether it was closed because its reader fell too far behind. */
    public boolean fellBehind() {
      return fellBehind;
    }

    @Override
    public void close() {
      closed = true;
      subscriptions.remove(this);
      queue.clear();
      queue.add(WAKE); // a reader waiting in poll() returns now, not at its timeout
    }
  }

  /** Not an event: what {@link Subscription#close} puts in the queue to wake its reader. */
  private static final WatchEvent WAKE = new WatchEvent("CLOSED", null, null, null, -1);

  // ---------------------------------------------------------------- helpers

  /** Every object of every type, for a status page or a debugging dump. */
  public Map<String, List<ObjectNode>> snapshot() {
    lock.lock();
    try {
      Map<String, List<ObjectNode>> out = new TreeMap<>();
      data.forEach(
          (res, bucket) -> {
            List<ObjectNode> items = new ArrayList<>();
            bucket.values().forEach(o -> items.add(o.deepCopy()));
            items.sort(Comparator.comparing(o -> o.path("metadata").path("name").asText()));
            out.put(res, items);
          });
      return out;
    } finally {
      lock.unlock();
    }
  }

  private TreeMap<String, ObjectNode> bucket(ResourceType type) {
    return data.computeIfAbsent(resource(type), k -> new TreeMap<>());
  }

  /** The storage key of a type: its group and plural, shared by all of its versions. */
  public static String resource(ResourceType type) {
    return type.group() + "/" + type.plural();
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  private static boolean inNamespace(ObjectNode o, String namespace) {
    return namespace == null || namespace.equals(o.path("metadata").path("namespace").asText());
  }

  /** A copy of a stored object as the given version of its type presents it. */
  private static ObjectNode view(ResourceType type, ObjectNode stored) {
    ObjectNode copy = stored.deepCopy();
    copy.put("apiVersion", type.apiVersion());
    return copy;
  }

  /**
   * What holds an object's deletion: its metadata finalizers and, for a Namespace, also
   * {@code spec.finalizers} (the namespace controller's {@code kubernetes}, removed once the
   * namespace is empty).
   */
  private static List<String> finalizers(ResourceType type, ObjectNode o) {
    List<String> out = new ArrayList<>();
    Iterator<JsonNode> it = o.path("metadata").path("finalizers").elements();
    it.forEachRemaining(n -> out.add(n.asText()));
    if (isNamespace(type)) {
      o.path("spec").path("finalizers").elements().forEachRemaining(n -> out.add(n.asText()));
    }
    return out;
  }

  private static boolean isNamespace(ResourceType type) {
    return type.group().isEmpty() && type.kind().equals("Namespace");
  }

  private static String text(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Now, as Kubernetes writes timestamps (RFC 3339, seconds, UTC). */
  public static String now() {
    return RFC3339.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }
}
