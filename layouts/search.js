// search.js: the reader's side of the archive's static search index
// (built by cmd/archive/internal/search; the format is described there).
// No dependencies, no eval, no inline code: it runs under
// Content-Security-Policy script-src 'self' with connect-src 'self'.
//
// It reads the form in layouts/search.html, fetches the manifest, the term
// shards of the query's words and the doc shards of the results shown,
// intersects the posting lists, ranks with precomputed BM25 weights times
// idf, filters by kind and outlet (doc-ID ranges) and renders links with
// snippets. The query lives in the URL (?q=&kind=&outlet=), so results can
// be shared and the back button works.
(function () {
  "use strict";

  var FORMAT = 1, MIN_PREFIX = 3, MAX_PREFIX_SHARDS = 3, PAGE = 10;

  // normalize and tokens match search.Normalize and search.Tokens in Go.
  function normalize(s) {
    s = s.normalize("NFKC").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
    s = s.replace(/[\u2018\u2019\u02bc\u2032`]/g, "'").replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
    return s.normalize("NFD").replace(/\p{Mn}/gu, "");
  }
  var WORD = /[\p{L}\p{N}\p{Mc}']+/gu;
  function term(w) {
    w = w.replace(/^'+|'+$/g, "");
    if (w.endsWith("'s")) w = w.slice(0, -2);
    return w.replace(/'/g, "");
  }
  // Single letters joined by points are one word: "U.S." is us, like "US".
  function tokens(text) {
    var s = normalize(text), out = [], abbr = "", abbrEnd = -1, m;
    var re = new RegExp(WORD.source, "gu");
    function flush() { if (abbr) { out.push(abbr); abbr = ""; } }
    while ((m = re.exec(s)) !== null) {
      var w = m[0], start = m.index, end = start + w.length;
      if (Array.from(w).length === 1 && /^\p{L}$/u.test(w)) {
        if (!(abbrEnd >= 0 && start === abbrEnd + 1 && s[abbrEnd] === ".")) flush();
        abbr += w;
        abbrEnd = end;
        continue;
      }
      flush();
      abbrEnd = -1;
      var t = term(w);
      if (t) out.push(t);
    }
    flush();
    return out;
  }

  // endsInWord says whether the query's last character (a code point, not a
  // UTF-16 unit) is part of a word, so that its last word may be a prefix.
  function endsInWord(q) {
    var chars = Array.from(q);
    return chars.length > 0 && /^[\p{L}\p{N}\p{Mc}']$/u.test(chars[chars.length - 1]);
  }

  // cmp compares by code point, as Go compares UTF-8 strings.
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }
  function shardFor(bounds, t) {
    var lo = 0, hi = bounds.length; // first bound > t
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(bounds[mid], t) > 0) hi = mid; else lo = mid + 1;
    }
    return Math.max(0, lo - 1);
  }
  function lastShardForPrefix(bounds, p) {
    var i = shardFor(bounds, p);
    while (i + 1 < bounds.length && (cmp(bounds[i + 1], p) < 0 || bounds[i + 1].startsWith(p))) i++;
    return i;
  }

  var form = document.querySelector("form[data-index]");
  if (!form) return;
  var input = form.elements.q, kindSel = form.elements.kind, outletSel = form.elements.outlet;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var manifestURL = new URL(form.getAttribute("data-index"), document.baseURI);
  var cache = new Map();

  function load(path) {
    var u = new URL(path, manifestURL).href;
    if (!cache.has(u)) {
      cache.set(u, fetch(u, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText + " for " + u);
        return r.json();
      }));
    }
    return cache.get(u);
  }
  function shardPath(tmpl, n) { return tmpl.replace("{n}", String(n)); }

  // search returns {hits: [{id, score}], ignored: [words]} for the form's query.
  async function search(q, kind, outlet) {
    var m = await load("index.json");
    if (m.format !== FORMAT) throw new Error("index format " + m.format + ", want " + FORMAT);
    var all = tokens(q), words = [], seen = new Set(), ignored = [];
    var stop = new Set(m.stop);
    all.forEach(function (t) { if (!seen.has(t)) { seen.add(t); words.push(t); } });
    var last = endsInWord(q) && all.length ? all[all.length - 1] : "";
    var kept = words.filter(function (w) { if (stop.has(w)) { ignored.push(w); return false; } return true; });
    if (!kept.length || !m.shards) return { hits: [], ignored: ignored, manifest: m };
    var bounds = [""].concat(m.bounds ? m.bounds.split(" ") : []);
    var plans = kept.map(function (w) {
      var lo = shardFor(bounds, w), hi = lo, prefix = w === last && Array.from(w).length >= MIN_PREFIX;
      if (prefix) {
        hi = lastShardForPrefix(bounds, w);
        if (hi - lo + 1 > MAX_PREFIX_SHARDS) { hi = lo; prefix = false; }
      }
      var shards = [];
      for (var n = lo; n <= hi; n++) shards.push(load(shardPath(m.termPath, n)));
      return Promise.all(shards).then(function (ss) { return { w: w, prefix: prefix, shards: ss }; });
    });
    var scores = null;
    (await Promise.all(plans)).forEach(function (p) {
      var best = new Map();
      p.shards.forEach(function (s) {
        Object.keys(s).forEach(function (t) {
          if (t !== p.w && !(p.prefix && t.startsWith(p.w))) return;
          var l = s[t], doc = 0;
          for (var i = 0; i + 1 < l.length; i += 2) {
            doc += l[i];
            best.set(doc, Math.max(best.get(doc) || 0, l[i + 1]));
          }
        });
      });
      var df = best.size, idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
      var ws = new Map();
      best.forEach(function (wt, d) { ws.set(d, idf * wt / 10); });
      if (scores === null) { scores = ws; return; }
      scores.forEach(function (sc, d) {
        if (ws.has(d)) scores.set(d, sc + ws.get(d)); else scores.delete(d);
      });
    });
    var hits = [];
    scores.forEach(function (sc, d) {
      if (inFilter(m.groups, d, kind, outlet)) hits.push({ id: d, score: sc });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return { hits: hits, ignored: ignored, manifest: m };
  }
  function inFilter(groups, d, kind, outlet) {
    if (!kind && !outlet) return true;
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      if (d >= g.from && d < g.to) return (!kind || g.kind === kind) && (!outlet || g.outlet === outlet);
    }
    return false;
  }

  var KIND = { article: "Article", passage: "Shared passage", note: "Note" };

  // safeURL keeps only same-origin or http(s) links.
  function safeURL(u) {
    try {
      var x = new URL(u, document.baseURI);
      return x.protocol === "https:" || x.protocol === "http:" ? x.href : null;
    } catch (e) { return null; }
  }
  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  // highlight appends text to parent with the query's words in <mark>.
  function highlight(parent, text, words, last) {
    var re = /[\p{L}\p{N}\p{Mc}'\u2019]+/gu, at = 0, m;
    while ((m = re.exec(text)) !== null) {
      var t = tokens(m[0])[0] || "";
      if (t && (words.has(t) || (last && t.startsWith(last)))) {
        if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
        parent.appendChild(el("mark", "", m[0]));
        at = m.index + m[0].length;
      }
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  async function render(state, from) {
    var m = state.manifest, page = state.hits.slice(from, from + PAGE);
    var docs = await Promise.all(page.map(function (h) {
      var n = Math.floor(h.id / m.docsPerShard);
      return load(shardPath(m.docPath, n)).then(function (s) { return s[h.id % m.docsPerShard]; });
    }));
    if (state.seq !== seq) return;
    docs.forEach(function (d) {
      var li = el("li", "search-result"), href = safeURL(d.u);
      var h = el("h2", "search-result-title");
      var a = el(href ? "a" : "span", "");
      if (href) a.href = href;
      highlight(a, d.t, state.words, state.last);
      h.appendChild(a);
      li.appendChild(h);
      var meta = [KIND[d.k] || d.k];
      if (d.o) meta.push(d.o);
      var p = el("p", "search-result-meta", meta.join(" · "));
      if (d.d) {
        p.appendChild(document.createTextNode(" · "));
        var time = el("time", "", d.d);
        time.dateTime = d.d;
        p.appendChild(time);
      }
      li.appendChild(p);
      var snip = el("p", "search-result-snippet");
      highlight(snip, d.s, state.words, state.last);
      li.appendChild(snip);
      list.appendChild(li);
    });
    state.shown = from + page.length;
    more.hidden = state.shown >= state.hits.length;
  }

  var seq = 0, current = null, timer = 0;
  async function run() {
    var q = input.value, kind = kindSel ? kindSel.value : "", outlet = outletSel ? outletSel.value : "";
    var my = ++seq;
    if (!tokens(q).length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    try {
      var r = await search(q, kind, outlet);
      if (my !== seq) return;
      var all = tokens(q), last = endsInWord(q) && all.length ? all[all.length - 1] : "";
      current = {
        seq: my, hits: r.hits, manifest: r.manifest, shown: 0,
        words: new Set(all),
        last: Array.from(last).length >= MIN_PREFIX ? last : ""
      };
      list.replaceChildren();
      var msg = r.hits.length === 0 ? "No results" : r.hits.length === 1 ? "1 result" : r.hits.length + " results";
      msg += " for \u201c" + q.trim() + "\u201d";
      if (r.ignored.length) msg += " (ignored common words: " + r.ignored.join(", ") + ")";
      status.textContent = msg + ".";
      await render(current, 0);
    } catch (e) {
      if (my !== seq) return;
      status.textContent = "Search is unavailable: " + e.message;
    }
  }
  function syncURL() {
    var p = new URLSearchParams();
    if (input.value) p.set("q", input.value);
    if (kindSel && kindSel.value) p.set("kind", kindSel.value);
    if (outletSel && outletSel.value) p.set("outlet", outletSel.value);
    var s = p.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }
  function fromURL() {
    var p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    if (kindSel) kindSel.value = p.get("kind") || "";
    if (outletSel) outletSel.value = p.get("outlet") || "";
    if (kindSel && kindSel.selectedIndex < 0) kindSel.value = "";
    if (outletSel && outletSel.selectedIndex < 0) outletSel.value = "";
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    syncURL();
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { syncURL(); run(); }, 150);
  });
  form.addEventListener("change", function (e) {
    if (e.target === input) return;
    syncURL();
    run();
  });
  more.addEventListener("click", function () {
    if (current) render(current, current.shown);
  });
  window.addEventListener("popstate", function () { fromURL(); run(); });

  // A hook for tests and for other scripts of the site; it runs nothing.
  window.archiveSearch = { tokens: tokens, search: search };

  fromURL();
  if (input.value) run();
})();
