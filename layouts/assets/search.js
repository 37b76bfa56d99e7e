/*
  search.js: the search page of nashra's default theme (search.html).

  It reads the static index that the build writes under /search/ (the
  format is described in site/search/doc.go), analyses the query exactly as
  the build analysed the posts (site/search/analyze.go; the table
  site/search/testdata/vectors.json holds both to the same terms), ranks
  the posts and shows them as the reader types. Plain JavaScript, no
  framework, nothing from another host. The same file runs under node for
  the tests: it then exports its functions instead of touching a page.

  When results are shown, the form's data-shown attribute holds the query
  and the form fires the event "nashra:results" with {query, total} as its
  detail.
*/
(function () {
  "use strict";

  // ---- Analysis: the same steps as site/search/analyze.go ----

  var WORD = new RegExp("[\\p{L}\\p{M}\\p{Nd}]", "u");
  var MARK = new RegExp("\\p{M}", "u");

  // Invisible format characters are skipped without ending a word.
  function ignorable(c) {
    return c === 0xad || c === 0x61c || (c >= 0x200c && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
  }

  // The Arabic blocks, without their digits.
  function isArabic(c) {
    if ((c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9)) return false;
    return (c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) || (c >= 0x8a0 && c <= 0x8ff) ||
      (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff);
  }

  // Harakat, superscript alef and Quranic marks.
  function isTashkeel(c) {
    return (c >= 0x610 && c <= 0x61a) || (c >= 0x64b && c <= 0x652) || (c >= 0x656 && c <= 0x65f) || c === 0x670 ||
      (c >= 0x6d6 && c <= 0x6dc) || (c >= 0x6df && c <= 0x6e4) || c === 0x6e7 || c === 0x6e8 || (c >= 0x6ea && c <= 0x6ed);
  }

  // A combining hamza joins the letter before it, as in NFC.
  var HAMZA = { 0x648: 0x624, 0x64a: 0x626, 0x6c1: 0x6c2, 0x6d2: 0x6d3, 0x6d5: 0x6c0 };

  // tokens splits text into words: [{s, e, n, st}] with the UTF-16 span
  // [s, e), the normalised form n and the stems st.
  function tokens(text) {
    var out = [], buf = [], cls = 0, start = 0, end = 0, astral = false;
    function flush() {
      if (buf.length) {
        var n = astral ? String.fromCodePoint.apply(null, buf) : String.fromCharCode.apply(null, buf);
        out.push({ s: start, e: end, n: n, st: stems(n) });
      }
      buf = [];
      cls = 0;
      astral = false;
    }
    for (var i = 0; i < text.length;) {
      var at = i, c = text.codePointAt(i);
      i += c > 0xffff ? 2 : 1;
      var k = 2, mark = false; // class: 1 Arabic, 2 other
      if (c < 0x80) {
        if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))) { flush(); continue; }
      } else if (c >= 0x621 && c <= 0x64a) {
        k = 1;
      } else if (c >= 0x64b && c <= 0x65f) {
        k = 1;
        mark = true;
      } else if (c < 0x660 || c > 0x669) {
        if (ignorable(c)) continue;
        var ch = String.fromCodePoint(c);
        if (!WORD.test(ch)) { flush(); continue; }
        if (isArabic(c)) k = 1;
        mark = MARK.test(ch);
      }
      if (mark && cls) k = cls; // a mark belongs to the letter it follows
      if (k !== cls) {
        flush();
        cls = k;
        start = at;
      }
      end = i;
      if (c >= 0x660 && c <= 0x669) c -= 0x630;
      else if (c >= 0x6f0 && c <= 0x6f9) c -= 0x6c0;
      else if (c === 0x622 || c === 0x623 || c === 0x625 || c === 0x671) c = 0x627;
      else if (c === 0x649) c = 0x64a;
      else if (c === 0x629) c = 0x647;
      else if (c >= 0x653 && c <= 0x655) {
        var h = c === 0x654 && HAMZA[buf[buf.length - 1]];
        if (h) buf[buf.length - 1] = h;
        continue;
      } else if (c === 0x640 || isTashkeel(c)) continue;
      else if (c >= 65 && c <= 90) c += 32;
      else if (c >= 0x80 && k === 2) c = String.fromCodePoint(c).toLowerCase().codePointAt(0);
      if (c > 0xffff) astral = true;
      buf.push(c);
    }
    flush();
    return out;
  }

  var ARTICLES = ["وال", "بال", "كال", "فال", "لل", "ال"];
  var SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

  function stripArticle(w) {
    for (var i = 0; i < ARTICLES.length; i++) {
      var p = ARTICLES[i];
      if (w.length >= p.length + 2 && w.startsWith(p)) return w.slice(p.length);
    }
    return null;
  }

  function stripSuffixes(w) {
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (w.length >= s.length + 2 && w.endsWith(s)) w = w.slice(0, -s.length);
    }
    return w;
  }

  // stems of a normalised word, remembered: texts repeat their words.
  var stemmed = new Map();
  function stems(w) {
    var st = stemmed.get(w);
    if (!st) {
      if (stemmed.size > 20000) stemmed.clear();
      stemmed.set(w, st = stem(w));
    }
    return st;
  }

  // stem computes the stems of w (Arabic words are in the BMP, so lengths
  // in UTF-16 units are lengths in letters).
  function stem(w) {
    var c = w.codePointAt(0);
    if (!isArabic(c)) return [w];
    var rest = stripArticle(w);
    if (rest !== null) return [stripSuffixes(rest)];
    if ((c === 0x648 || c === 0x641) && w.length >= 4) {
      rest = w.slice(1);
      var r2 = stripArticle(rest);
      var a = stripSuffixes(r2 === null ? rest : r2), b = stripSuffixes(w);
      return a === b ? [a] : [a, b];
    }
    return [stripSuffixes(w)];
  }

  // ---- Query: find and rank the posts ----

  // A query reads at most MAX_WORDS words; the word being typed also
  // matches as a prefix of at least MIN_PREFIX letters, when the terms it
  // starts lie in at most MAX_PREFIX_SHARDS shards.
  var MAX_WORDS = 8, MIN_PREFIX = 3, MAX_PREFIX_SHARDS = 2;

  // cmp compares strings in code point order, as the build sorts terms.
  function cmp(a, b) {
    for (var i = 0, n = Math.min(a.length, b.length); i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
        if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
        return x - y;
      }
    }
    return a.length - b.length;
  }

  // shardAt returns the index of the shard that holds key.
  function shardAt(list, key) {
    var lo = 0, hi = list.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (cmp(list[mid][0], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // prefixShards returns the shards of list that hold the terms starting
  // with p, or [] when they are more than MAX_PREFIX_SHARDS.
  function prefixShards(list, p) {
    var i = shardAt(list, p), j = i, out = [];
    while (j + 1 < list.length && list[j + 1][0].startsWith(p)) j++;
    if (j - i < MAX_PREFIX_SHARDS) for (; i <= j; i++) out.push(list[i][1]);
    return out;
  }

  // createSearch reads the index at url with load(url) -> Promise of JSON.
  function createSearch(url, load) {
    var q = url.indexOf("?"), base = url.slice(0, url.lastIndexOf("/", q < 0 ? url.length : q) + 1);
    var meta = null, files = new Map();
    function get(path, asMap) {
      var p = files.get(path);
      if (!p) {
        p = load(base + path).then(function (v) { return asMap ? new Map(v) : v; });
        p.catch(function () { files.delete(path); });
        files.set(path, p);
      }
      return p;
    }
    function index() {
      if (!meta) {
        meta = load(url);
        meta.catch(function () { meta = null; });
      }
      return meta;
    }

    // search returns {words, total, hits: [doc…], scores: [score…]} for
    // query q, best first. A document matches when it matches every
    // word; each word scores by its best match: 6 exact, 5 stem, 4 prefix
    // in the title or tags, then 3, 2, 1 the same in the body. Documents
    // with equal scores come newest (highest number) first. The last
    // word, unless a space follows it, also matches as the beginning of
    // stems and of written forms.
    async function search(q) {
      var m = await index();
      var toks = tokens(q), words = [], seen = new Set();
      toks.forEach(function (t, i) {
        if (seen.has(t.n) || words.length >= MAX_WORDS) return;
        seen.add(t.n);
        words.push({ n: t.n, st: t.st, px: i === toks.length - 1 && t.e === q.length, ps: [], pw: [] });
      });
      var need = [];
      words.forEach(function (w) {
        w.s = w.st.map(function (s) { return m.stems[shardAt(m.stems, s)][1]; });
        w.w = w.st.indexOf(w.n) < 0 ? m.words[shardAt(m.words, w.n)][1] : null;
        if (w.px) {
          // [prefix, shards] of the stems and of the written forms
          w.st.forEach(function (s) { if (s.length >= MIN_PREFIX) w.ps.push([s, prefixShards(m.stems, s)]); });
          if (w.n.length >= MIN_PREFIX) w.pw.push([w.n, prefixShards(m.words, w.n)]);
          w.ps = w.ps.filter(function (p) { return p[1].length; });
          w.pw = w.pw.filter(function (p) { return p[1].length; });
        }
        need.push.apply(need, w.s);
        if (w.w) need.push(w.w);
        w.ps.concat(w.pw).forEach(function (p) { need.push.apply(need, p[1]); });
      });
      var shards = new Map();
      await Promise.all(need.map(function (p) {
        return get(p, true).then(function (v) { shards.set(p, v); });
      }));
      var n = m.docs;
      var levels = words.map(function (w) {
        var lv = new Uint8Array(n);
        function add(postings, shift, level) {
          for (var i = 0, id = 0, div = 1 << shift, mask = div - 1; i < postings.length; i++) {
            var v = postings[i];
            id += Math.floor(v / div);
            var l = level(v & mask);
            if (lv[id] < l) lv[id] = l;
          }
        }
        function prefixes(list, shift, level) {
          list.forEach(function (p) {
            p[1].forEach(function (file) {
              shards.get(file).forEach(function (ps, key) {
                if (key.startsWith(p[0])) add(ps, shift, level);
              });
            });
          });
        }
        prefixes(w.ps, 4, function (f) { return f & 10 ? 4 : 1; });
        prefixes(w.pw, 2, function (f) { return f & 2 ? 4 : 1; });
        w.st.forEach(function (s, i) {
          var self = s === w.n, ps = shards.get(w.s[i]).get(s);
          if (ps) add(ps, 4, function (f) { return f & 8 && self ? 6 : f & 2 ? 5 : f & 4 && self ? 3 : 2; });
        });
        var ps = w.w && shards.get(w.w).get(w.n);
        if (ps) add(ps, 2, function (f) { return f & 2 ? 6 : 3; });
        return lv;
      });
      // Scores are at most 6 per word: sort by bucket, newest first.
      var buckets = [], total = 0;
      if (words.length) {
        for (var id = n - 1; id >= 0; id--) {
          var score = 0;
          for (var i = 0; i < levels.length; i++) {
            var l = levels[i][id];
            if (!l) break;
            score += l;
          }
          if (i < levels.length) continue;
          (buckets[score] = buckets[score] || []).push(id);
          total++;
        }
      }
      var hits = [], scores = [];
      for (var b = buckets.length - 1; b > 0; b--) {
        if (!buckets[b]) continue;
        for (var k = 0; k < buckets[b].length; k++) {
          hits.push(buckets[b][k]);
          scores.push(b);
        }
      }
      return { words: words, total: total, hits: hits, scores: scores };
    }

    // docs returns the records of the documents ids, in that order.
    async function docs(ids) {
      var m = await index();
      var chunks = await Promise.all(ids.map(function (id) {
        return get("d/" + Math.floor(id / m.chunk) + ".json?v=" + m.version, false);
      }));
      return ids.map(function (id, i) { return chunks[i][id % m.chunk]; });
    }

    return { search: search, docs: docs, ready: index };
  }

  // matcher returns a function that tells which query word a token
  // matches (-1 for none), the way search matched documents.
  function matcher(words) {
    return function (t) {
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        if (t.n === w.n || w.pw.some(function (p) { return t.n.startsWith(p[0]); })) return i;
        for (var j = 0; j < t.st.length; j++) {
          var s = t.st[j];
          if (w.st.indexOf(s) >= 0 || w.ps.some(function (p) { return s.startsWith(p[0]); })) return i;
        }
      }
      return -1;
    };
  }

  // ---- The page ----

  var PAGE = 10, CONTEXT = 70, SNIPPET = 260;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // tokensOf caches the tokens of the texts shown, so that a result shown
  // again as the reader types is not analysed again.
  var seenTokens = new Map();
  function tokensOf(text) {
    var t = seenTokens.get(text);
    if (!t) {
      if (seenTokens.size > 200) seenTokens.clear();
      seenTokens.set(text, t = tokens(text));
    }
    return t;
  }

  // marked returns text[from, to) with the matched words of toks in
  // <mark>.
  function marked(text, toks, match, from, to) {
    var f = document.createDocumentFragment(), pos = from;
    toks.forEach(function (t) {
      if (t.s < from || t.e > to || match(t) < 0) return;
      f.append(text.slice(pos, t.s), el("mark", {}, text.slice(t.s, t.e)));
      pos = t.e;
    });
    f.append(text.slice(pos, to));
    return f;
  }

  // snippet returns the part of text around the first place where the
  // most query words come together, with the matches marked, or null
  // when text matches none.
  function snippet(text, match, nwords) {
    var toks = tokensOf(text), hits = [];
    for (var i = 0; i < toks.length; i++) {
      var w = match(toks[i]);
      if (w >= 0) hits.push([i, w]);
    }
    var best = -1, bestCount = 0;
    for (var a = 0, z = 0, count = new Map(); a < hits.length && bestCount < nwords; a++) {
      // The window of matches starting at hits[a].
      for (; z < hits.length && (z <= a || toks[hits[z][0]].e - toks[hits[a][0]].s < SNIPPET - CONTEXT); z++) {
        count.set(hits[z][1], (count.get(hits[z][1]) || 0) + 1);
      }
      if (count.size > bestCount) {
        best = hits[a][0];
        bestCount = count.size;
      }
      var c = count.get(hits[a][1]) - 1;
      if (c) count.set(hits[a][1], c);
      else count.delete(hits[a][1]);
    }
    if (best < 0) return null;
    // Start and end at spaces, keeping the best match in.
    var s = toks[best].s, from = Math.max(0, s - CONTEXT), to = Math.min(text.length, from + SNIPPET), sp;
    if (from > 0) from = (sp = text.indexOf(" ", from)) >= 0 && sp < s ? sp + 1 : s;
    if (to < text.length && (sp = text.lastIndexOf(" ", to)) > toks[best].e) to = sp;
    var f = document.createDocumentFragment();
    if (from > 0) f.append("… ");
    f.append(marked(text, toks, match, from, to));
    if (to < text.length) f.append(" …");
    return f;
  }

  function init() {
    var form = document.getElementById("search");
    if (!form || !form.dataset.index) return;
    var input = form.elements.q, status = document.getElementById("search-status");
    var list = document.getElementById("search-results"), more = document.getElementById("search-more");
    var digits = form.dataset.digits || "0123456789", title = document.title;
    var index = new URL(form.dataset.index, location.href).href;
    // index.json is checked with the server each time (it names the
    // version of the other files); shards are named by their content and
    // chunks carry the version.
    var engine = createSearch(index, function (u) {
      return fetch(u, { cache: u === index ? "no-cache" : "default" }).then(function (r) {
        if (!r.ok) throw new Error(u + ": " + r.status);
        return r.json();
      });
    });
    var seq = 0, current = null, shown = 0;

    function num(n) {
      return String(n).replace(/[0-9]/g, function (d) { return digits[d]; });
    }

    // count says "N results" with the Arabic plural forms.
    function count(n) {
      var m = n % 100;
      if (n === 1) return "نتيجة واحدة";
      if (n === 2) return "نتيجتان";
      if (m >= 3 && m <= 10) return num(n) + " نتائج";
      return num(n) + (m >= 11 ? " نتيجةً" : " نتيجة");
    }

    function say(parts) {
      status.textContent = "";
      status.append.apply(status, parts);
    }

    function result(rec, match) {
      var li = el("li"), art = el("article", { class: "result" }), h = el("h2", { class: "result-title" });
      var a = el("a", { href: rec[0] });
      a.append(marked(rec[1], tokensOf(rec[1]), match, 0, rec[1].length));
      h.append(a);
      var meta = el("p", { class: "meta" });
      meta.append(el("time", { datetime: rec[2] }, rec[3]));
      art.append(h, meta);
      if (rec[4].length) {
        var tags = el("ul", { class: "tags", "aria-label": "الوسوم" });
        rec[4].forEach(function (t) {
          var ta = el("a", { href: t[1], rel: "tag" });
          var tl = el("li");
          ta.append(el("bdi", {}, t[0]));
          tl.append(ta);
          tags.append(tl);
        });
        art.append(tags);
      }
      var p = el("p", { class: "snippet" });
      p.append(snippet(rec[6], match, current.words.length) || marked(rec[5], tokensOf(rec[5]), match, 0, rec[5].length));
      art.append(p);
      li.append(art);
      return li;
    }

    // page shows the next PAGE results; it returns the first new link.
    async function page(my) {
      var ids = current.hits.slice(shown, shown + PAGE);
      var recs = await engine.docs(ids);
      if (my !== seq) return null;
      var match = matcher(current.words), first = null;
      recs.forEach(function (rec) {
        var li = result(rec, match);
        first = first || li.querySelector("a");
        list.append(li);
      });
      shown += ids.length;
      list.hidden = shown === 0;
      more.hidden = shown >= current.total;
      return first;
    }

    async function run(q) {
      var my = ++seq;
      history.replaceState(null, "", q.trim() ? "?q=" + encodeURIComponent(q) : location.pathname);
      document.title = q.trim() ? "«" + q.trim() + "» – " + title : title;
      try {
        var res = await engine.search(q);
        if (my !== seq) return;
        current = res;
        shown = 0;
        list.textContent = "";
        if (res.total) await page(my);
        if (my !== seq) return;
        list.hidden = shown === 0;
        more.hidden = shown >= res.total;
        if (!res.words.length) say([]);
        else if (!res.total) say(["لا نتائج للبحث عن «", el("bdi", {}, q.trim()), "». جرّب كلمة أخرى أو جزءًا منها."]);
        else say([count(res.total) + " للبحث عن «", el("bdi", {}, q.trim()), "»"]);
        form.dataset.shown = q;
        form.dispatchEvent(new CustomEvent("nashra:results", { detail: { query: q, total: res.total } }));
      } catch (e) {
        if (my === seq) say(["تعذّر تحميل فهرس البحث. تحقّق من الاتصال ثم أعد المحاولة."]);
      }
    }

    input.addEventListener("input", function () { run(input.value); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) first.focus();
      else run(input.value);
    });
    more.addEventListener("click", async function () {
      var first = await page(seq);
      if (first) first.focus();
    });
    // Arrow keys move between the input and the results' titles.
    form.parentNode.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Escape") return;
      var links = Array.prototype.slice.call(list.querySelectorAll(".result-title a"));
      var i = links.indexOf(document.activeElement);
      if (e.target === input && e.key === "ArrowDown" && links.length) links[0].focus();
      else if (i < 0) return;
      else if (e.key === "ArrowDown" && i + 1 < links.length) links[i + 1].focus();
      else if (e.key === "ArrowUp" && i > 0) links[i - 1].focus();
      else if (e.key !== "ArrowDown") input.focus();
      else return;
      e.preventDefault();
    });

    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run(q);
    } else {
      engine.ready().catch(function () {}); // so the first letter typed is quick
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { tokens: tokens, stems: stems, createSearch: createSearch };
  } else if (typeof document === "object") {
    init();
  }
})();
