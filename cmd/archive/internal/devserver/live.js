// archive serve: live reload and the build-error overlay. The dev server adds
// this script to the HTML pages it serves; built files never contain it.
(function () {
  "use strict";
  var me = document.currentScript;
  var instance = me ? me.dataset.instance : "";
  var lastBuild = me ? Number(me.dataset.build) : 0;
  // The file this page was served from: a 404 page or a rewrite has
  // another URL than the address bar's.
  var here = me && me.dataset.page ? me.dataset.page : normalize(location.pathname);
  var scrollKey = "archive-scroll:" + location.pathname;
  var overlay = null;

  function normalize(p) {
    try { p = decodeURI(p); } catch (e) { /* keep it as it is */ }
    return p.replace(/index\.html$/, "");
  }

  // Put the page back where it was before a reload this script asked for.
  var saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    var xy = JSON.parse(saved);
    var restore = function () { window.scrollTo(xy[0], xy[1]); };
    restore();
    window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  // Swap stylesheets in place: the new one replaces the old once loaded.
  function swapCSS(swaps) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    swaps.forEach(function (s) {
      links.forEach(function (link) {
        var u = new URL(link.href, location.href);
        if (u.origin !== location.origin || u.pathname !== s.from) return;
        var to = new URL(s.to, location.href);
        if (s.from === s.to) to.searchParams.set("archive-reload", String(Date.now()));
        var next = link.cloneNode();
        next.removeAttribute("integrity");
        next.href = to.href;
        var done = function () { link.remove(); };
        next.addEventListener("load", done);
        next.addEventListener("error", done);
        link.after(next);
      });
    });
  }

  function hideProblems() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function showProblems(problems) {
    hideProblems();
    overlay = document.createElement("div");
    overlay.id = "archive-error-overlay";
    overlay.setAttribute("role", "alert");
    var st = overlay.style;
    st.position = "fixed"; st.left = "0"; st.right = "0"; st.top = "0";
    st.zIndex = "2147483647"; st.maxHeight = "70vh"; st.overflow = "auto";
    st.background = "#3b0d0d"; st.color = "#fff"; st.padding = "12px 16px";
    st.font = "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    st.boxShadow = "0 2px 12px rgba(0,0,0,.5)"; st.whiteSpace = "pre-wrap";
    var head = document.createElement("strong");
    head.textContent = "Build failed: showing the last good build. This clears by itself when the file is fixed.";
    overlay.appendChild(head);
    problems.forEach(function (p) {
      var item = document.createElement("div");
      item.className = "archive-problem";
      item.style.marginTop = "8px";
      var where = p.file ? p.file + (p.line ? ":" + p.line : "") + ": " : "";
      item.textContent = where + p.message + (p.fix ? "\nfix: " + p.fix : "");
      overlay.appendChild(item);
    });
    var close = document.createElement("button");
    close.textContent = "×";
    close.title = "Hide until the next build";
    close.style.position = "absolute"; close.style.top = "6px"; close.style.right = "10px";
    close.style.background = "none"; close.style.border = "0"; close.style.color = "#fff";
    close.style.fontSize = "20px"; close.style.cursor = "pointer";
    close.addEventListener("click", hideProblems);
    overlay.appendChild(close);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function handle(m, hello) {
    if (m.instance !== instance || (hello && m.build !== lastBuild)) {
      reload(); // a new server, or builds we did not hear about
      return;
    }
    lastBuild = m.build;
    if (m.problems && m.problems.length) {
      showProblems(m.problems);
      return;
    }
    hideProblems();
    if (hello) return;
    if (m.all || (m.reload || []).indexOf(here) >= 0) {
      reload();
      return;
    }
    if (m.css) swapCSS(m.css);
  }

  function connect() {
    var es = new EventSource("/_archive/events");
    es.addEventListener("hello", function (e) {
      handle(JSON.parse(e.data), true);
      if (me) me.dataset.connected = "true"; // tests wait for this
    });
    es.addEventListener("build", function (e) { handle(JSON.parse(e.data), false); });
    es.onerror = function () {
      // The browser retries by itself unless the stream was refused for good.
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
    };
  }
  connect();
})();
