/* annexa search: loads the index written by the build by injecting script tags, so it works from
   disk (file://) as over HTTP. A query of one word loads its head (search/heads/H.js: the result
   count, the first page of results in rank order and the text windows of their snippets) and
   the result file of each result shown (search/docs/N.js: its fields and the first part of its
   text). Other queries, and "Show more", rank from the shards of the query's terms
   (search/shards/*.js) and cut snippets from the first part of each text, or when the snippet
   lies further on, from the whole text (the rest in search/text/N.js). */
(function () {
  "use strict";

  var STOP_WORDS = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with"];
  var MAX_TERM_CHARS = 40;
  var PREFIX_WEIGHT = 0.8;

  var me = document.currentScript;
  var root = (me && me.getAttribute("data-root")) || "";
  var base = root + "search/";

  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var moreWrap = document.getElementById("search-more-wrap");
  var moreButton = document.getElementById("search-more");
  var form = document.getElementById("search-form");

  var meta = null;          // { n, page, heads, shards, unions }
  var shardKeys = null;     // Set of shard keys
  var unionKeys = null;     // Set of the keys with a prefix union
  var shards = {};          // key -> { term: packed postings, unpacked when first ranked }
  var unions = {};          // key -> [[df, ...], packed postings, unpacked when first ranked]
  var docs = {};            // N -> document entry
  var leads = {};           // N -> [length of the whole text, its first part]
  var texts = {};           // N -> the rest of the text
  var heads = {};           // H -> { key: [count, [doc, offset, length, window, ...]] }
  var loading = {};         // url -> Promise
  var metaWaiters = [];
  var generation = 0;
  // ranked: the results known in order (all of them once `full`); windows: N -> [offset,
  // length, text] from a head.
  var current = { ranked: [], total: 0, full: true, shown: 0, terms: [], windows: {} };

  window.annexaSearch = {
    meta: function (m) {
      meta = m;
      shardKeys = new Set(m.shards);
      unionKeys = new Set(m.unions || []);
      metaWaiters.splice(0).forEach(function (f) { f(); });
    },
    shard: function (key, data) { shards[key] = data; },
    union: function (key, data) { unions[key] = data; },
    heads: function (h, data) { heads[h] = data; },
    doc: function (n, d) { docs[n] = d; },
    lead: function (n, length, x) { leads[n] = [length, x]; },
    text: function (n, x) { texts[n] = x; },
    // Runs a query (for tests and benches/search-check.js); resolves once results are shown.
    search: function (text) { return search(text); },
    // A packed posting list's postings (for benches/search-check.js).
    unpack: function (text) { return unpack(text); }
  };

  function load(url) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = url;
        s.async = true;
        s.onload = function () { resolve(true); };
        s.onerror = function () { resolve(false); };
        document.head.appendChild(s);
      });
    }
    return loading[url];
  }

  function ready() {
    if (meta) return Promise.resolve();
    return new Promise(function (resolve) {
      metaWaiters.push(resolve);
      load(base + "meta.js").then(function (ok) {
        if (!ok) {
          status.textContent = "The search index could not be loaded.";
        }
      });
    });
  }

  /* Query terms, exactly as the index was built (terms() in src/render/search.rs). Each term
     records whether it comes from the last word, which also matches as a prefix. */
  function tokenize(text) {
    var out = [];
    var seen = {};
    var words = text.split(/\s+/).filter(Boolean);
    var push = function (term, last) {
      if (seen[term] === undefined) {
        seen[term] = out.length;
        out.push({ term: term, prefix: last });
      } else if (last) {
        out[seen[term]].prefix = true;
      }
    };
    words.forEach(function (raw, w) {
      var last = w === words.length - 1;
      var word = raw.replace(/^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu, "");
      if (!word) return;
      var lower = word.toLowerCase();
      var parts = lower.split(/[^\p{Alphabetic}\p{N}]/u);
      var nonEmpty = parts.filter(Boolean);
      if (nonEmpty.length > 1 && Array.from(lower).length <= MAX_TERM_CHARS) push(lower, last);
      parts.forEach(function (part) {
        if (part && Array.from(part).length <= MAX_TERM_CHARS && STOP_WORDS.indexOf(part) < 0) push(part, last);
      });
    });
    return out;
  }

  function chars(term, n) { return Array.from(term).slice(0, n).join(""); }

  function hex(key) {
    return Array.from(new TextEncoder().encode(key), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /* The shard that would hold a term: the one of the longest key that begins it (a shard too
     large is split by one more character, src/search/index.rs). */
  function shardFor(term) {
    for (var n = Array.from(term).length; n > 0; n--) {
      var key = chars(term, n);
      if (shardKeys.has(key)) return key;
    }
    return null;
  }


  function prefixable(q) {
    if (!q.prefix) return false;
    var len = Array.from(q.term).length;
    if (len >= 3) return true;
    if (len === 2) {
      var split = false;
      shardKeys.forEach(function (k) { if (k.length > q.term.length && k.indexOf(q.term) === 0) split = true; });
      return !split;
    }
    return false;
  }

  function idf(df) {
    var n = meta.n;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /* A term's postings as [doc, score, doc, score, ...], from the packed string the build
     wrote (src/search/packed.rs): one number a posting, the documents skipped since the one
     before times 100 plus the score less 1, in base-45 digits of one character each from "#"
     to "}" without the backslash; the lower 45 end a number, the upper 45 continue it. With
     `classes` (a prefix union), the documents skipped are times `classes` plus the posting's
     class, and the postings are [doc, score, class, ...]. A list that begins with "!" is
     dense: the digit of an offset, then one character a document from document 0: "#" where
     the term is absent, the digit of the score less the offset, or "~" and the digit of the
     score less 1, or "!" and the digit of the score less 91. */
  function unpack(text, classes) {
    if (text.charCodeAt(0) === 33) return unpackDense(text);
    var out = [];
    var n = 0, next = 0, k = classes || 1;
    for (var i = 0; i < text.length; i++) {
      var v = digitAt(text, i);
      n = n * 45 + (v >= 45 ? v - 45 : v);
      if (v >= 45) continue;
      var r = Math.floor(n / 100);
      var doc = next + Math.floor(r / k);
      out.push(doc, n % 100 + 1);
      if (classes) out.push(r % k);
      next = doc + 1;
      n = 0;
    }
    return out;
  }

  function digitAt(text, i) {
    var c = text.charCodeAt(i);
    return c - (c > 92 ? 36 : 35);
  }

  function unpackDense(text) {
    var out = [];
    var offset = digitAt(text, 1);
    for (var i = 2, doc = 0; i < text.length; i++, doc++) {
      var c = text.charCodeAt(i);
      var v = c === 126 ? 1 + digitAt(text, ++i) : c === 33 ? 91 + digitAt(text, ++i) : digitAt(text, i);
      if (c === 126 || c === 33) out.push(doc, v);
      else if (v > 0) out.push(doc, v + offset);
    }
    return out;
  }

  function postingsOf(shard, term) {
    if (typeof shard[term] === "string") shard[term] = unpack(shard[term]);
    return shard[term];
  }

  /* The prefix union of a split key (src/search/shards.rs): [[df, ...], [doc, score, class,
     ...]], for every document the score and the frequency (by class) of the term below the
     key that scores it highest. */
  function unionOf(key) {
    var u = unions[key];
    if (u && typeof u[1] === "string") u[1] = unpack(u[1], u[0].length);
    return u;
  }

  /* Whether a query term is looked up in a prefix union: it matches as a prefix, and terms
     that begin with it fill more than one shard. */
  function usesUnion(q) {
    return prefixable(q) && unionKeys.has(q.term);
  }

  function rank(terms) {
    var totals = null;
    for (var t = 0; t < terms.length; t++) {
      var q = terms[t];
      var best = new Map();
      var offer = function (doc, s) {
        var prev = best.get(doc);
        if (prev === undefined || s > prev) best.set(doc, s);
      };
      var add = function (postings, weight) {
        var w = idf(postings.length / 2) * weight;
        for (var i = 0; i < postings.length; i += 2) offer(postings[i], postings[i + 1] * w);
      };
      var key = shardFor(q.term);
      var shard = (key !== null && shards[key]) || {};
      if (shard.hasOwnProperty(q.term)) add(postingsOf(shard, q.term), 1);
      if (prefixable(q)) {
        Object.keys(shard).forEach(function (term) {
          if (term !== q.term && term.indexOf(q.term) === 0) add(postingsOf(shard, term), PREFIX_WEIGHT);
        });
        var union = usesUnion(q) && unionOf(q.term);
        if (union) {
          var weights = union[0].map(function (df) { return idf(df) * PREFIX_WEIGHT; });
          var list = union[1];
          for (var i = 0; i < list.length; i += 3) offer(list[i], list[i + 1] * weights[list[i + 2]]);
        }
      }
      if (totals === null) {
        totals = best;
      } else {
        var next = new Map();
        totals.forEach(function (score, doc) {
          var s = best.get(doc);
          if (s !== undefined) next.set(doc, score + s);
        });
        totals = next;
      }
      if (totals.size === 0) break;
    }
    var ranked = [];
    (totals || new Map()).forEach(function (score, doc) { ranked.push([doc, score]); });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (r) { return r[0]; });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* A regex matching the query terms worth highlighting (longest first). */
  function markPattern(terms) {
    var words = terms.map(function (q) { return q.term; });
    var long = words.filter(function (w) { return Array.from(w).length >= 2; });
    if (long.length) words = long;
    if (!words.length) return null;
    words.sort(function (a, b) { return b.length - a.length; });
    return new RegExp(words.map(escapeRegExp).join("|"), "giu");
  }

  function highlight(text, pattern) {
    if (!pattern) return escapeHtml(text);
    var out = "";
    var last = 0;
    pattern.lastIndex = 0;
    var m;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0] === "") { pattern.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  /* The snippet of a result: about 240 characters around the first match in `text`, which is
     the part of the document's text that begins `offset` UTF-16 units in, of `length` in all
     (a head's window, or the whole text); without a match, the summary. */
  function snippet(text, offset, length, summary, pattern) {
    var at = -1;
    if (pattern && text) {
      pattern.lastIndex = 0;
      var m = pattern.exec(text);
      if (m) at = m.index;
    }
    if (at < 0) {
      return summary ? highlight(summary, pattern) : escapeHtml(text.slice(0, 200)) + (length > 200 ? "…" : "");
    }
    var start = Math.max(0, Math.max(0, offset + at - 70) - offset);
    var end = Math.min(text.length, Math.min(length, offset + at + 170) - offset);
    if (offset + start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < at) start = space + 1;
    }
    if (offset + end < length) {
      var back = text.lastIndexOf(" ", end);
      if (back > at) end = back;
    }
    return (offset + start > 0 ? "…" : "") + highlight(text.slice(start, end), pattern) + (offset + end < length ? "…" : "");
  }

  function link(url) {
    var href = root + url;
    return window.annexaFileUrl ? window.annexaFileUrl(href) : href;
  }

  /* Loads the shards of the query's terms. */
  function loadShards(terms) {
    var needed = {};
    terms.forEach(function (q) {
      var key = shardFor(q.term);
      if (key !== null) needed[base + "shards/" + hex(key) + ".js"] = true;
      if (usesUnion(q)) needed[base + "shards/" + hex(q.term) + "-u.js"] = true;
    });
    return Promise.all(Object.keys(needed).map(load));
  }

  /* The results of the page to show next: from the head while it has them, else from the
     ranking of the shards (loaded for "Show more"). */
  function nextPage(gen) {
    if (current.full || current.shown + meta.page <= current.ranked.length) return Promise.resolve();
    var wanted = current;
    return loadShards(wanted.terms).then(function () {
      if (gen !== generation || wanted !== current) return;
      current.ranked = rank(current.terms);
      current.full = true;
    });
  }

  function render(gen) {
    return nextPage(gen).then(function () { return renderPage(gen); });
  }

  function renderPage(gen) {
    if (gen !== generation) return Promise.resolve();
    var slice = current.ranked.slice(current.shown, current.shown + meta.page);
    var pattern = markPattern(current.terms);
    return Promise.all(slice.map(function (n) { return load(base + "docs/" + n + ".js"); })).then(function () {
      // The rest of a text, where its first part does not hold the snippet.
      return Promise.all(slice.filter(function (n) {
        return !current.windows[n] && !enough(leads[n], pattern);
      }).map(function (n) { return load(base + "text/" + n + ".js"); }));
    }).then(function () {
      if (gen !== generation) return;
      var html = slice.map(function (n) {
        var d = docs[n];
        if (!d) return "";
        var meta = [];
        if (d.k) meta.push(escapeHtml(d.k.charAt(0).toUpperCase() + d.k.slice(1)));
        if (d.o) meta.push(escapeHtml(d.o));
        if (d.c) meta.push('<span class="mono">' + escapeHtml(d.c) + "</span>");
        var badge = d.s && d.s !== "approved"
          ? ' <span class="badge badge-' + escapeHtml(d.s) + '">' + (d.s === "review" ? "In review" : escapeHtml(d.s.charAt(0).toUpperCase() + d.s.slice(1))) + "</span>"
          : "";
        return '<li class="result"><div class="result-head"><a class="result-title" href="' + escapeHtml(link(d.u)) + '">' +
          highlight(d.t, pattern) + "</a>" + (d.i ? '<span class="result-id">' + escapeHtml(d.i) + "</span>" : "") + badge + "</div>" +
          '<div class="result-meta">' + meta.join(" · ") + "</div>" +
          '<p class="result-snippet">' + snippetOf(n, d, pattern) + "</p></li>";
      }).join("");
      list.insertAdjacentHTML("beforeend", html);
      current.shown += slice.length;
      moreWrap.hidden = current.shown >= current.total;
    });
  }

  /* Whether the first part of a text, [whole length, part], holds the snippet snippet() cuts
     from the whole: all of the text, or a first match that ends its window (170 units) before
     the part ends, so that the window and the space after it are in the part. */
  function enough(lead, pattern) {
    if (!lead || lead[1].length >= lead[0]) return true;
    if (!pattern) return false;
    pattern.lastIndex = 0;
    var m = pattern.exec(lead[1]);
    return m !== null && m.index + 170 < lead[1].length;
  }

  function snippetOf(n, d, pattern) {
    var w = current.windows[n];
    if (w) return snippet(w[2], w[0], w[1], d.m, pattern);
    var lead = leads[n] || [0, ""];
    var text = enough(lead, pattern) ? lead[1] : lead[1] + (texts[n] || "");
    return snippet(text, 0, lead[0], d.m, pattern);
  }

  /* A query of one word is answered from its head: the head's key is the query's terms. A word
     that finds nothing has no head. Returns null when the head cannot answer. */
  function fromHead(text, terms) {
    var words = text.split(/\s+/).filter(Boolean);
    if (words.length !== 1 || !meta.heads) return Promise.resolve(null);
    var lower = words[0].replace(/^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu, "").toLowerCase();
    if (Array.from(lower).length > MAX_TERM_CHARS) return Promise.resolve(null);
    var key = terms.map(function (q) { return q.term; }).join(" ");
    var h = bucket(key, meta.heads);
    return load(base + "heads/" + h + ".js").then(function (ok) {
      if (!ok || !heads[h]) return null;
      var head = Object.prototype.hasOwnProperty.call(heads[h], key) ? heads[h][key] : [0, []];
      var ranked = [];
      var windows = {};
      for (var i = 0; i < head[1].length; i += 4) {
        ranked.push(head[1][i]);
        windows[head[1][i]] = [head[1][i + 1], head[1][i + 2], head[1][i + 3]];
      }
      return { ranked: ranked, total: head[0], full: ranked.length >= head[0], shown: 0, terms: terms, windows: windows };
    });
  }

  /* FNV-1a of the key's UTF-8 bytes, modulo the number of head files (src/search/heads.rs). */
  function bucket(key, count) {
    var hash = 0x811c9dc5;
    new TextEncoder().encode(key).forEach(function (b) {
      hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
    });
    return hash & (count - 1);
  }

  function search(text) {
    var gen = ++generation;
    var terms = tokenize(text);
    if (!terms.length) {
      list.innerHTML = "";
      moreWrap.hidden = true;
      status.textContent = text.trim() ? "Nothing to search for: very common words such as “the” are not indexed." : "";
      return Promise.resolve();
    }
    return ready().then(function () {
      return fromHead(text, terms);
    }).then(function (head) {
      if (head || gen !== generation) return head;
      return loadShards(terms).then(function () {
        var ranked = rank(terms);
        return { ranked: ranked, total: ranked.length, full: true, shown: 0, terms: terms, windows: {} };
      });
    }).then(function (found) {
      if (gen !== generation || !found) return;
      current = found;
      list.innerHTML = "";
      var n = current.total;
      var short = terms.some(function (q) { return q.prefix && !prefixable(q); });
      status.textContent = n > 0
        ? n + (n === 1 ? " result" : " results") + " for “" + text.trim() + "”."
        : short
          ? "No results for “" + text.trim() + "” yet: keep typing (words are matched as you type from 3 letters)."
          : "No results for “" + text.trim() + "”.";
      if (n === 0) { moreWrap.hidden = true; return; }
      return render(gen);
    });
  }

  function setQueryInUrl(q) {
    var params = new URLSearchParams(location.search);
    if (q) params.set("q", q); else params.delete("q");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      setQueryInUrl(input.value.trim());
      search(input.value);
    }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    setQueryInUrl(input.value.trim());
    search(input.value);
  });
  moreButton.addEventListener("click", function () {
    // Focus moves to the first new result, not to <body> when the button hides.
    var before = list.children.length;
    render(generation).then(function () {
      var first = list.children[before] && list.children[before].querySelector("a");
      if (first) first.focus();
    });
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    search(initial);
  } else {
    ready();
  }
})();
