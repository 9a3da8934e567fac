// Measures the page as the browser laid it out and lists what a room would not be able to read:
// a page wider (or, for a screen, taller) than the window, a box that cuts its content (overflow
// hidden, an ellipsis or a scroll bar), text cut or hidden by a box or by the window's edge, a word
// broken across two lines where it has no break opportunity (in code, which a participant types,
// anywhere but at a space: a path or a command split at its hyphen reads as two), text smaller than a minimum, and
// text under an overlay (a fixed footer). Text the page hides itself (display: none) does not
// count. Returns a list of sentences, empty when the page is legible.
//
// Used as an expression: (function (options) {...})(options), where options is
//   minFontPx: [[selector, px], ...]  the smallest font size for text inside the selector
//                                     (the largest of the matching entries applies)
//   overlays:  [selector, ...]        boxes that no other text may run under
//   scrolls:   true                   the page may scroll down (a text page, not a screen)
(function (options) {
  const opts = Object.assign({ minFontPx: [], overlays: [], scrolls: false }, options || {});
  // measure the page at rest: an entrance animation (a box growing in) would measure smaller than it is
  for (const a of document.getAnimations()) {
    try { a.finish(); } catch (e) { /* an endless animation: measured as it is */ }
  }
  const problems = [];
  const root = document.scrollingElement || document.documentElement;
  const vw = root.clientWidth;
  const vh = window.innerHeight;
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "TITLE"]);
  // break opportunities a browser takes without being told to break words anywhere
  const SOFT_BREAK_AFTER = "-/–—·,;:";

  function name(el) {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
    return s;
  }
  function describe(el) {
    const path = [];
    for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) path.unshift(name(e));
    const text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    return path.join(" > ") + (text ? ' "' + (text.length > 50 ? text.slice(0, 50) + "…" : text) + '"' : "");
  }
  function ownText(el) {
    for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE && n.data.trim()) return true;
    return false;
  }
  function rendered(el) {
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }
  function round(r) {
    return Math.round(r.left) + "," + Math.round(r.top) + " " + Math.round(r.width) + "x" + Math.round(r.height);
  }
  // The part of an element's box that can be seen: its box cut by every ancestor that clips, and by the window.
  function visiblePart(el, r) {
    let left = r.left, top = r.top, right = r.right, bottom = r.bottom;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
      const c = a.getBoundingClientRect();
      const cl = c.left + a.clientLeft, ct = c.top + a.clientTop;
      if (cs.overflowX !== "visible") { left = Math.max(left, cl); right = Math.min(right, cl + a.clientWidth); }
      if (cs.overflowY !== "visible") { top = Math.max(top, ct); bottom = Math.min(bottom, ct + a.clientHeight); }
    }
    left = Math.max(left, 0); right = Math.min(right, vw);
    if (!opts.scrolls) { top = Math.max(top, 0); bottom = Math.min(bottom, vh); }
    return { left, top, right, bottom, empty: right <= left || bottom <= top };
  }

  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push("the page is " + root.scrollWidth + "px wide in a " + root.clientWidth + "px wide window");
  }
  if (!opts.scrolls && root.scrollHeight > root.clientHeight + 1) {
    problems.push("the page is " + root.scrollHeight + "px high in a " + root.clientHeight + "px high window");
  }

  const overlays = [];
  for (const sel of opts.overlays) for (const o of document.querySelectorAll(sel)) if (rendered(o)) overlays.push(o);

  for (const el of document.body.querySelectorAll("*")) {
    if (SKIP.has(el.tagName) || !rendered(el)) continue;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const seen = visiblePart(el, r);
    if (seen.empty) {
      if (ownText(el)) problems.push(describe(el) + " cannot be seen: it lies outside its box or the window (" + round(r) + ")");
      continue;
    }
    if (cs.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(describe(el) + " cuts its content: " + el.scrollWidth + "px of it in " + el.clientWidth + "px"
        + (cs.textOverflow === "ellipsis" ? " (an ellipsis)" : cs.overflowX === "hidden" || cs.overflowX === "clip" ? "" : " (a scroll bar)"));
    }
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(describe(el) + " reaches beyond the window's width (" + round(r) + " in " + vw + "px)");
    }
    if (!ownText(el)) continue;
    if (seen.left > r.left + 1 || seen.right < r.right - 1 || seen.top > r.top + 1 || seen.bottom < r.bottom - 1) {
      problems.push(describe(el) + " is cut: " + round(r) + ", of which " + Math.round(seen.right - seen.left) + "x"
        + Math.round(seen.bottom - seen.top) + " can be seen");
    }
    let min = 0;
    for (const [sel, px] of opts.minFontPx) if (el.closest(sel)) min = Math.max(min, px);
    const size = parseFloat(cs.fontSize);
    if (size < min) problems.push(describe(el) + " is set in " + size + "px, below the " + min + "px minimum");
    for (const o of overlays) {
      if (o === el || o.contains(el) || el.contains(o)) continue;
      const b = o.getBoundingClientRect();
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) {
        problems.push(describe(el) + " runs under " + describe(o) + " (" + round(r) + " and " + round(b) + ")");
      }
    }
  }

  // Words broken across lines: a run without spaces whose characters sit on two lines, not at a hyphen
  // or a slash (in code: at none of them).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lineOf = (node, i) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = [...range.getClientRects()].filter(q => q.width > 0);
    return rects.length ? Math.round(rects[0].top) : null;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || SKIP.has(parent.tagName) || !rendered(parent)) continue;
    const literal = parent.closest("code, pre") !== null;
    for (const m of node.data.matchAll(/\S{2,}/g)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(q => q.width > 0).map(q => Math.round(q.top)));
      if (tops.size < 2) continue;
      let previous = lineOf(node, m.index);
      for (let i = 1; i < m[0].length; i++) {
        const line = lineOf(node, m.index + i);
        if (line === null || previous === null || line === previous) { previous = line ?? previous; continue; }
        if (literal || !SOFT_BREAK_AFTER.includes(m[0][i - 1])) {
          problems.push(describe(parent) + ' splits the word "' + m[0].slice(0, i) + "|" + m[0].slice(i) + '" across two lines');
        }
        previous = line;
      }
    }
  }
  return problems;
})
