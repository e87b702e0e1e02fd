/* lclm web page: search, filters, URL state, copy BibTeX. No dependencies.
 *
 * The full list is in the HTML.  A search hides it and shows the matches in
 * a separate list, built from clones of the papers' own elements (so the
 * markup is written once, in the template), highlighted, PAGE at a time.
 * Each paper's folded text is computed once; a keystroke is a scan of
 * those strings, a sort and at most PAGE clones.
 */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.add("js");

  var DATA = JSON.parse(doc.getElementById("lclm-data").textContent);
  var UI = DATA.ui;
  var F = {};
  DATA.fields.forEach(function (name, i) { F[name] = i; });
  var papers = DATA.papers;
  var N = papers.length;
  var PAGE = 50;
  // Score of a term by where it matched: [whole word, word start, word end, inside],
  // per field searched: title and names, authors, venue, key.
  var WEIGHTS = [[120, 80, 60, 40], [45, 30, 12, 8], [15, 10, 5, 3], [200, 20, 0, 0]];

  var $ = function (id) { return doc.getElementById(id); };
  var list = $("lclm-list");
  var results = $("lclm-results");
  var resultList = $("lclm-result-list");
  var more = $("lclm-more");
  var statusLine = $("lclm-status");
  var controls = {
    q: $("lclm-q"), section: $("lclm-section"), from: $("lclm-from"),
    to: $("lclm-to"), status: $("lclm-status-filter"), sort: $("lclm-sort")
  };
  var items = list.querySelectorAll("li.paper");

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var ASCII = /^[\x00-\x7f]*$/;

  // ------------------------------------------------------------ haystacks
  var hay = new Array(N);
  var indexOfKey = Object.create(null);
  for (var i = 0; i < N; i++) {
    var p = papers[i];
    indexOfKey[p[F.key]] = i;
    hay[i] = [
      fold(p[F.title] + " \u0001 " + p[F.aka].join(" \u0001 ")),
      fold(p[F.authors].join(" \u0001 ")),
      fold(p[F.venue]),
      p[F.key].toLowerCase()
    ];
  }
  function element(i) {
    var el = items[i];
    return el && el.id === papers[i][F.key] ? el : $(papers[i][F.key]);
  }

  function isWord(code) {
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code > 127 && code !== 0x2019;
  }
  // 0 whole word, 1 word start, 2 word end, 3 inside, -1 absent.
  function tier(hayText, term) {
    var at = hayText.indexOf(term);
    var best = -1;
    while (at >= 0) {
      var left = at === 0 || !isWord(hayText.charCodeAt(at - 1));
      var end = at + term.length;
      var right = end >= hayText.length || !isWord(hayText.charCodeAt(end));
      var t = left ? (right ? 0 : 1) : (right ? 2 : 3);
      if (best < 0 || t < best) best = t;
      if (best === 0) break;
      at = hayText.indexOf(term, at + 1);
    }
    return best;
  }
  function score(i, terms) {
    var h = hay[i];
    var total = 0;
    for (var t = 0; t < terms.length; t++) {
      var best = 0;
      for (var field = 0; field < WEIGHTS.length; field++) {
        var found = tier(h[field], terms[t]);
        if (found >= 0 && WEIGHTS[field][found] > best) best = WEIGHTS[field][found];
      }
      if (best === 0) return 0;
      total += best;
    }
    return total;
  }

  // ------------------------------------------------------------ state
  function terms(query) {
    var seen = Object.create(null);
    return fold(query).split(/\s+/).filter(function (w) {
      if (!w || seen[w]) return false;
      seen[w] = true;
      return true;
    });
  }
  function year(value) {
    var n = parseInt(value, 10);
    return isNaN(n) ? null : n;
  }
  function state() {
    return {
      q: controls.q.value, section: controls.section.value, from: controls.from.value,
      to: controls.to.value, status: controls.status.value, sort: controls.sort.value
    };
  }
  function isActive(s) {
    return Boolean(terms(s.q).length || s.section || year(s.from) !== null || year(s.to) !== null || s.status || s.sort);
  }

  function matches(s) {
    var words = terms(s.q);
    var cats = s.section && DATA.sections[s.section] ? DATA.sections[s.section] : null;
    var from = year(s.from), to = year(s.to);
    var found = [], scores = new Float64Array(N);
    for (var i = 0; i < N; i++) {
      var p = papers[i];
      if (cats && cats.indexOf(p[F.category]) < 0) continue;
      if (from !== null && p[F.year] < from) continue;
      if (to !== null && p[F.year] > to) continue;
      if (s.status && p[F.status] !== s.status) continue;
      if (words.length) {
        scores[i] = score(i, words);
        if (!scores[i]) continue;
      }
      found.push(i);
    }
    var byYear = function (a, b) { return papers[b][F.year] - papers[a][F.year]; };
    var order = {
      "": function (a, b) { return scores[b] - scores[a] || a - b; },
      list: function (a, b) { return a - b; },
      newest: function (a, b) { return byYear(a, b) || scores[b] - scores[a] || a - b; },
      oldest: function (a, b) { return -byYear(a, b) || scores[b] - scores[a] || a - b; }
    }[s.sort] || function (a, b) { return a - b; };
    found.sort(order);
    return { indices: found, words: words };
  }

  // ------------------------------------------------------------ rendering
  var current = { indices: [], words: [] };
  var shown = 0;

  function highlight(node, words) {
    // One letter would light up half of every line: marks start at two.
    words = words.filter(function (w) { return w.length > 1; });
    if (!words.length) return;
    var walker = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest("button, .links, .year, .where") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (text) { mark(text, words); });
  }
  function mark(text, words) {
    var raw = text.nodeValue;
    var folded = "", map = [];
    if (ASCII.test(raw)) {
      folded = raw.toLowerCase();  // one character for one: positions agree
      for (var a = 0; a <= raw.length; a++) map.push(a);
    } else {
      for (var i = 0; i < raw.length; i++) {
        var f = fold(raw[i]);
        for (var j = 0; j < f.length; j++) map.push(i);
        folded += f;
      }
      map.push(raw.length);
    }
    var ranges = [];
    words.forEach(function (w) {
      for (var at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + w.length)) {
        ranges.push([map[at], map[at + w.length]]);
      }
    });
    if (!ranges.length) return;
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [ranges[0]];
    ranges.slice(1).forEach(function (r) {
      var last = merged[merged.length - 1];
      if (r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r);
    });
    var frag = doc.createDocumentFragment(), pos = 0;
    merged.forEach(function (r) {
      if (r[0] > pos) frag.appendChild(doc.createTextNode(raw.slice(pos, r[0])));
      var m = doc.createElement("mark");
      m.textContent = raw.slice(r[0], r[1]);
      frag.appendChild(m);
      pos = r[1];
    });
    if (pos < raw.length) frag.appendChild(doc.createTextNode(raw.slice(pos)));
    text.parentNode.replaceChild(frag, text);
  }
  function clone(i, words) {
    var el = element(i).cloneNode(true);
    el.removeAttribute("id");
    el.classList.remove("targeted");
    el.setAttribute("data-key", papers[i][F.key]);
    highlight(el, words);
    if (el.querySelector(".rest mark")) setOpen(el, true);
    return el;
  }
  function renderMore() {
    var frag = doc.createDocumentFragment();
    var end = Math.min(shown + PAGE, current.indices.length);
    for (var k = shown; k < end; k++) frag.appendChild(clone(current.indices[k], current.words));
    resultList.appendChild(frag);
    shown = end;
    more.hidden = shown >= current.indices.length;
  }
  function say(n) {
    if (n === null) statusLine.textContent = "";
    else if (n === 0) statusLine.textContent = UI.none;
    else statusLine.textContent = (n === 1 ? UI.one_match : UI.matches).replace("{n}", n).replace("{total}", N);
  }

  function update() {
    var s = state();
    var active = isActive(s);
    setListShown(!active);
    results.hidden = !active;
    resultList.textContent = "";
    shown = 0;
    if (active) {
      current = matches(s);
      renderMore();
      say(current.indices.length);
    } else {
      current = { indices: [], words: [] };
      more.hidden = true;
      say(null);
    }
    scheduleURL();
  }

  // Hiding the list by content-visibility keeps its layout for coming back and costs
  // a few ms for 10,000 papers, where display: none costs tens; its content is
  // skipped by find-in-page, tab order and screen readers all the same.
  function setListShown(visible) {
    list.classList.toggle("off", !visible);
  }
  function listShown() {
    return !list.classList.contains("off");
  }

  // ------------------------------------------------------------ URL
  var urlTimer = 0;
  function scheduleURL() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeURL, 200);
  }
  function writeURL() {
    var s = state(), params = new URLSearchParams();
    Object.keys(s).forEach(function (name) { if (s[name].trim()) params.set(name, s[name].trim()); });
    var qs = params.toString();
    var target = location.pathname + (qs ? "?" + qs : "") + (qs ? "" : location.hash);
    if (target !== location.pathname + location.search + location.hash) {
      try { history.replaceState(null, "", target); } catch (e) { /* some hosts forbid it: the page still works */ }
    }
  }
  function readURL() {
    var params = new URLSearchParams(location.search);
    Object.keys(controls).forEach(function (name) {
      var value = params.get(name);
      if (value === null) return;
      var control = controls[name];
      if (control.tagName === "SELECT" && !control.querySelector('option[value="' + CSS.escape(value) + '"]')) return;
      control.value = value;
    });
  }
  function reset() {
    Object.keys(controls).forEach(function (name) { controls[name].value = ""; });
  }

  // ------------------------------------------------------------ permalinks
  function goToHash() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var el = id && $(id);
    if (!el || !list.contains(el)) return;
    if (!listShown() || isActive(state())) {
      reset();
      update();
      clearTimeout(urlTimer);
      writeURL();
    }
    var old = list.querySelector(".targeted");
    if (old) old.classList.remove("targeted");
    if (el.classList.contains("paper")) el.classList.add("targeted");
    aim(el);
  }
  // Papers drawn for the first time on the way (content-visibility) change
  // height and move the target: aim again each frame until it has stayed put
  // for a few frames, the page can scroll no further, or the reader scrolls.
  var aiming = 0;
  function aim(el) {
    var run = ++aiming, stable = 0, left = 90;
    var want = parseFloat(getComputedStyle(root).scrollPaddingTop) || 0;
    el.scrollIntoView({ block: "start" });
    (function settle() {
      requestAnimationFrame(function () {
        if (run !== aiming) return;
        var off = el.getBoundingClientRect().top - want;
        if (Math.abs(off) > 2) {
          var before = window.scrollY;
          window.scrollBy(0, off);
          stable = window.scrollY === before ? 3 : 0;  // at the end of the page
        } else {
          stable++;
        }
        if (stable < 3 && --left > 0) settle();
      });
    })();
  }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (name) {
    window.addEventListener(name, function () { aiming++; }, { passive: true });
  });

  // ------------------------------------------------------------ actions
  function setOpen(li, open) {
    li.classList.toggle("open", open);
    var button = li.querySelector(".expand");
    if (!button) return;
    button.setAttribute("aria-expanded", String(open));
    if (!button.hasAttribute("data-more")) button.setAttribute("data-more", button.textContent);
    button.textContent = open ? UI.fewer_authors : button.getAttribute("data-more");
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }
  function fallbackCopy(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    doc.body.appendChild(area);
    area.select();
    try { doc.execCommand("copy"); } finally { doc.body.removeChild(area); }
  }
  function bibtexOf(key) {
    return key in indexOfKey ? papers[indexOfKey[key]][F.bibtex] : "";
  }

  doc.addEventListener("click", function (event) {
    // A link to the place the address already names fires no hashchange: go there anyway.
    var link = event.target.closest('a[href^="#"]');
    if (link && link.hash === location.hash && link.hash.length > 1) {
      event.preventDefault();
      goToHash();
      return;
    }
    var button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("expand")) {
      var li = button.closest(".paper");
      setOpen(li, !li.classList.contains("open"));
    } else if (button.classList.contains("copy")) {
      var label = button.textContent;
      copyText(bibtexOf(button.getAttribute("data-key"))).then(function () {
        button.textContent = UI.copied;
        statusLine.textContent = UI.copied + ": " + button.getAttribute("data-key");
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    }
  });
  Object.keys(controls).forEach(function (name) {
    controls[name].addEventListener(controls[name].tagName === "SELECT" ? "change" : "input", update);
  });
  $("lclm-clear").addEventListener("click", function () {
    reset();
    update();
    controls.q.focus();
  });
  more.addEventListener("click", renderMore);
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (seen) {
      if (seen[0].isIntersecting && !more.hidden) renderMore();
    }, { rootMargin: "600px" }).observe(more);
  }
  controls.q.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && controls.q.value) {
      controls.q.value = "";
      update();
    }
  });
  doc.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    event.preventDefault();
    controls.q.focus();
    controls.q.select();
  });
  window.addEventListener("hashchange", goToHash);

  // The sticky toolbar must not cover a paper scrolled to.
  var toolbar = $("lclm-toolbar");
  function measure() {
    var sticky = getComputedStyle(toolbar).position === "sticky";
    root.style.setProperty("--header-h", (sticky ? toolbar.offsetHeight : 0) + "px");
  }
  window.addEventListener("resize", measure);
  measure();

  readURL();
  if (isActive(state())) update();
  else if (location.hash) goToHash();
  // Run the matcher once while the reader looks at the page, so the first
  // keystroke does not also pay for compiling it.
  (window.requestIdleCallback || setTimeout)(function () {
    matches({ q: "e", section: "", from: "", to: "", status: "", sort: "" });
  });
  window.lclmPage = { bibtex: bibtexOf, ready: true };
  if (window.performance && performance.mark) performance.mark("lclm-ready");
})();
