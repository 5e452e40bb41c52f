// Replays themes/default/static/search.js in Node, with a stand-in page, on a built site: for
// every query given (or every term and prefix of the index), the bytes its first search loads,
// and whether the one-word answer (from the head) shows exactly what the ranking from the shards
// shows (the same word twice, "w w", has the same terms but is ranked from the shards).
// With --multi N, the queries are N of two or three of the index's commonest words (by the
// length of their postings), in a fixed pseudo-random order, the last word cut to a prefix of
// three or more characters in one query of three.
// With --widest N, the queries are N of four or five different words out of the twelve words
// found in most documents (the alphabetically first of equals), the worst case for the shards
// a query loads.
// Usage: node benches/search-check.js SITE_DIR [--sample N] [--queries FILE] [--multi N]
//        [--widest N] [--limit BYTES] [--show QUERY]
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const args = process.argv.slice(2);
const site = args[0];
const opt = (name) => { const i = args.indexOf(name); return i < 0 ? null : args[i + 1]; };
const sample = Number(opt("--sample") || 0);
// A fixed pseudo-random sequence: each call, a whole number below n, from the linear
// congruential state from `seed` divided by `scale` (1 keeps the low bits, as --multi always has).
function randoms(seed, scale) {
  return (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / scale) % n; };
}

// How many documents a packed posting list holds, as search.js reads it.
let decoder = null;
function postingCount(packed) {
  decoder = decoder || page().api;
  return decoder.unpack(packed).length / 2;
}
const files = new Map();
function file(rel) {
  if (!files.has(rel)) {
    const full = path.join(site, rel);
    files.set(rel, fs.existsSync(full) ? fs.readFileSync(full, "utf8") : null);
  }
  return files.get(rel);
}
const scripts = new Map();
function script(rel) {
  if (!scripts.has(rel)) {
    let text = file(rel);
    // A search.js from before its query function was exposed (to measure an older site).
    if (rel === "_assets/search.js" && text !== null && !text.includes("search: function (text)")) {
      text = text.replace("window.annexaSearch = {", "window.annexaSearch = { search: function (text) { return search(text); },");
    }
    // And from before its decoder was.
    if (rel === "_assets/search.js" && text !== null && !text.includes("unpack: function (text)")) {
      text = text.replace("window.annexaSearch = {", "window.annexaSearch = { unpack: function (text) { return unpack(text); },");
    }
    scripts.set(rel, text === null ? null : new vm.Script(text, { filename: rel }));
  }
  return scripts.get(rel);
}

function element() {
  return {
    textContent: "", hidden: false, value: "", _html: "", children: [],
    set innerHTML(v) { this._html = v; }, get innerHTML() { return this._html; },
    insertAdjacentHTML(_, html) { this._html += html; },
    addEventListener() {}, getAttribute() { return ""; }, querySelector() { return null; },
  };
}

// A fresh page: the search page with search.js; returns its API and the bytes it loaded.
function page() {
  const els = {};
  const loaded = { bytes: 0, files: [] };
  const ctx = {
    console, Promise, Set, Map, TextEncoder, URLSearchParams, setTimeout, clearTimeout,
    location: { search: "", pathname: "/search/", hash: "" },
    history: { replaceState() {} },
  };
  ctx.window = ctx;
  ctx.document = {
    currentScript: { getAttribute: () => "" },
    getElementById: (id) => (els[id] = els[id] || element()),
    createElement: () => ({}),
    head: {
      appendChild(s) {
        setImmediate(() => {
          const code = script(s.src);
          if (code === null) return s.onerror();
          loaded.bytes += file(s.src).length;
          loaded.files.push(s.src);
          code.runInContext(ctx);
          s.onload();
        });
      },
    },
  };
  vm.createContext(ctx);
  script("_assets/search.js").runInContext(ctx);
  return { api: ctx.annexaSearch, els, loaded };
}

function bytes(rel) { const t = file(rel); return t === null ? 0 : Buffer.byteLength(t); }

async function main() {
  if (opt("--show")) {
    const p = page();
    await p.api.search(opt("--show"));
    console.log(p.els["search-status"].textContent);
    console.log(p.els["search-results"].innerHTML.replace(/<li/g, "\n<li"));
    console.log(`loaded: ${p.loaded.files.join(" ")}`);
    return;
  }
  // Every term of the index, from the shards.
  const meta = file("search/meta.js");
  const shardKeys = JSON.parse(meta.slice(meta.indexOf("(") + 1, meta.lastIndexOf(")"))).shards;
  const terms = new Set();
  const sizes = [];
  const frequencies = [];
  for (const key of shardKeys) {
    const hex = Buffer.from(key, "utf8").toString("hex");
    const grab = {
      annexaSearch: {
        shard: (_, data) => Object.entries(data).forEach(([t, p]) => {
          terms.add(t);
          sizes.push([p.length, t]);
          if (/^\p{L}+$/u.test(t)) frequencies.push([postingCount(p), t]);
        }),
      },
    };
    vm.runInNewContext(file(`search/shards/${hex}.js`), grab);
  }
  let queries;
  if (opt("--multi")) {
    sizes.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
    const common = sizes.slice(0, 300).map((s) => s[1]).filter((t) => /^\p{L}+$/u.test(t));
    const next = randoms(7, 1);
    const q = new Set();
    while (q.size < Number(opt("--multi"))) {
      const words = Array.from({ length: 2 + next(2) }, () => common[next(common.length)]);
      if (next(3) === 0) {
        const last = words[words.length - 1];
        words[words.length - 1] = last.slice(0, 3 + next(Math.max(1, last.length - 2)));
      }
      q.add(words.join(" "));
    }
    queries = [...q];
  } else if (opt("--widest")) {
    frequencies.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
    const widest = frequencies.slice(0, 12).map((f) => f[1]);
    console.log(`widest words: ${frequencies.slice(0, 12).map((f) => f.join(" ")).join(", ")}`);
    const next = randoms(11, 65536);
    const q = new Set();
    while (q.size < Number(opt("--widest"))) {
      const k = 4 + next(2);
      const words = new Set();
      while (words.size < k) words.add(widest[next(widest.length)]);
      q.add([...words].join(" "));
    }
    queries = [...q];
  } else if (opt("--queries")) {
    queries = fs.readFileSync(opt("--queries"), "utf8").split("\n").filter(Boolean);
  } else {
    const q = new Set();
    for (const t of terms) {
      const cs = Array.from(t);
      for (let n = 2; n <= cs.length; n++) q.add(cs.slice(0, n).join(""));
      if (cs.length === 1) q.add(t);
    }
    queries = [...q].sort();
  }
  if (sample && queries.length > sample) {
    const step = queries.length / sample;
    queries = Array.from({ length: sample }, (_, i) => queries[Math.floor(i * step)]);
  }
  // The page and the scripts it loads, paid by every query.
  const html = file("search/index.html");
  let fixed = Buffer.byteLength(html);
  for (const m of html.matchAll(/<script src="\.\.\/([^"]+)"/g)) fixed += bytes(m[1]);
  const results = [];
  let mismatches = 0;
  for (const q of queries) {
    const p = page();
    await p.api.search(q);
    let loaded = 0;
    for (const f of p.loaded.files) loaded += bytes(f);
    const shown = p.els["search-results"].innerHTML;
    const status = p.els["search-status"].textContent;
    const more = p.els["search-more-wrap"].hidden;
    await p.api.search(q + " " + q);
    const again = p.els["search-results"].innerHTML;
    const status2 = p.els["search-status"].textContent.replace("“" + q + " " + q + "”", "“" + q + "”");
    const more2 = p.els["search-more-wrap"].hidden;
    if (shown !== again || status !== status2 || more !== more2) {
      mismatches++;
      if (mismatches <= 5) console.log(`MISMATCH ${JSON.stringify(q)}\n  ${status}\n  ${status2}\n  ${shown.slice(0, 600)}\n  ${again.slice(0, 600)}`);
    }
    results.push([fixed + loaded, q]);
  }
  results.sort((a, b) => a[0] - b[0]);
  const limit = Number(opt("--limit") || 153600);
  const over = results.filter((r) => r[0] > limit).length;
  const median = results[Math.floor(results.length / 2)];
  const worst = results.slice(-5).reverse();
  console.log(`queries: ${results.length}; page and scripts: ${fixed} bytes`);
  console.log(`first query, bytes loaded (page, scripts and index files): median ${median[0]}, worst ${worst[0][0]}`);
  console.log(`worst: ${worst.map((w) => `${JSON.stringify(w[1])} ${w[0]}`).join(", ")}`);
  console.log(`over ${limit} bytes: ${over} of ${results.length}`);
  console.log(`one-word answer different from the ranking of the shards: ${mismatches}`);
}
main();
