// Search for a streetpress site, in the browser, with no server: reads the
// index that `streetpress build` writes under search/ and downloads only the
// files a query needs. The text rules here (normalising, units, query terms)
// are the same as in src/search/normalise.rs; tests hold both to one fixture.
(function () {
  'use strict';

  var script = document.currentScript;
  var INDEX = script.getAttribute('data-index');
  var BASE = script.getAttribute('data-base');
  var PAGE = 10;
  var SNIPPET = 110;
  // The index format this script reads (meta.json's "format").
  var FORMAT = 2;

  // ---- text rules (as src/search/normalise.rs) ----

  function normaliseCode(cp, table) {
    if (cp >= 0x41 && cp <= 0x5a) return cp + 0x20;
    if (cp >= 0xc0 && cp <= 0xde && cp !== 0xd7) return cp + 0x20;
    if (cp >= 0xff01 && cp <= 0xff5e) return normaliseCode(cp - 0xfee0, table);
    if (cp === 0x3000) return 0x20;
    var simplified = table.get(cp);
    return simplified === undefined ? cp : simplified;
  }

  // 0: letter or digit of a Latin script (runs are one unit); 1: no unit; 2: a unit by itself.
  function classOf(cp) {
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xdf && cp <= 0xf6) ||
        (cp >= 0xf8 && cp <= 0xff) || (cp >= 0x100 && cp <= 0x24f)) return 0;
    if (cp <= 0x2f || (cp >= 0x3a && cp <= 0x40) || (cp >= 0x5b && cp <= 0x60) || (cp >= 0x7b && cp <= 0xbf) ||
        cp === 0xd7 || cp === 0xf7 || (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x2e00 && cp <= 0x2e7f) ||
        (cp >= 0x3000 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x301f) || cp === 0x3030 || cp === 0x30fb ||
        (cp >= 0xfe10 && cp <= 0xfe1f) || (cp >= 0xfe30 && cp <= 0xfe6f) || cp === 0xfeff ||
        (cp >= 0xff5f && cp <= 0xff65)) return 1;
    return 2;
  }

  function isSpace(cp) {
    return (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
      (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0xfeff;
  }

  function normalise(text, table) {
    var out = '';
    for (var ch of text) out += String.fromCodePoint(normaliseCode(ch.codePointAt(0), table));
    return out;
  }

  // The units of a text: [{t: normalised text, s: start, e: end}] with UTF-16 offsets into `text`.
  function units(text, table) {
    var list = [];
    var inWord = false;
    var at = 0;
    for (var ch of text) {
      var cp = normaliseCode(ch.codePointAt(0), table);
      var end = at + ch.length;
      var kind = classOf(cp);
      if (kind === 0) {
        if (inWord) {
          var last = list[list.length - 1];
          last.t += String.fromCodePoint(cp);
          last.e = end;
        } else {
          list.push({ t: String.fromCodePoint(cp), s: at, e: end });
        }
        inWord = true;
      } else if (kind === 1) {
        inWord = false;
      } else {
        list.push({ t: String.fromCodePoint(cp), s: at, e: end });
        inWord = false;
      }
      at = end;
    }
    return list;
  }

  function queryTerms(query, table) {
    var terms = [];
    var seen = new Set();
    var part = '';
    var flush = function () {
      var term = units(part, table).map(function (u) { return u.t; });
      var key = term.join(' ');
      if (term.length && !seen.has(key)) { seen.add(key); terms.push(term); }
      part = '';
    };
    for (var ch of query) {
      if (isSpace(normaliseCode(ch.codePointAt(0), table))) flush(); else part += ch;
    }
    flush();
    return terms;
  }

  // ---- index files ----

  var encoder = new TextEncoder();

  function fnv1a32(bytes) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function varint(bytes, pos) {
    var value = 0;
    var scale = 1;
    for (;;) {
      if (pos.at >= bytes.length) throw new Error('index file ends early');
      var byte = bytes[pos.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }

  // Reads bits most significant first, 32 at a time where it can.
  function Bits(bytes, offset) { this.b = bytes; this.p = offset * 8; this.end = bytes.length * 8; }
  // The next 32 bits (zeros past the end), without moving.
  Bits.prototype.peek = function () {
    var b = this.b, i = this.p >> 3, shift = this.p & 7;
    var word = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    return shift ? ((word << shift) | (b[i + 4] >>> (8 - shift))) >>> 0 : word;
  };
  Bits.prototype.take = function (n) {
    if (n === 0) return 0;
    if (this.p + n > this.end) throw new Error('index list ends early');
    var value = this.peek() >>> (32 - n);
    this.p += n;
    return value;
  };
  Bits.prototype.bit = function () { return this.take(1); };
  // Exponential-Golomb code of order k (src/search/codec.rs).
  Bits.prototype.eg = function (k) {
    var zeros = Math.clz32(this.peek());
    if (zeros === 32) {
      var start = this.p;
      zeros = 0;
      while (this.bit() === 0) zeros++;
      this.p = start;
    }
    this.p += zeros;
    var n = zeros + k + 1;
    var x = n <= 24 ? this.take(n) : this.take(n - 16) * 65536 + this.take(16);
    return x - (1 << k);
  };

  function Index(meta) {
    this.meta = meta;
    this.table = new Map();
    var pairs = Array.from(meta.traditional);
    for (var i = 0; i + 1 < pairs.length; i += 2) this.table.set(pairs[i].codePointAt(0), pairs[i + 1].codePointAt(0));
    this.files = new Map();
    this.records = new Map();
    this.bytes = 0;
  }

  Index.prototype.file = function (rel) {
    var self = this;
    if (!self.files.has(rel)) {
      self.files.set(rel, fetch(INDEX + rel + '?v=' + self.meta.version).then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + rel);
        return response.arrayBuffer();
      }).then(function (buffer) {
        self.bytes += buffer.byteLength;
        return new Uint8Array(buffer);
      }));
    }
    return self.files.get(rel);
  };

  // Files are grouped in folders of 1000 (FOLDER in src/search/index.rs).
  function folder(n) { return Math.floor(n / 1000) + '/' + n; }

  // A record is JSON in UTF-16 (src/search/mod.rs).
  Index.prototype.record = function (doc) {
    var self = this;
    if (!self.records.has(doc)) {
      self.records.set(doc, self.file('d/' + folder(doc) + '.json').then(function (bytes) {
        return JSON.parse(new TextDecoder('utf-16le').decode(bytes));
      }));
    }
    return self.records.get(doc);
  };

  // Where the list of a key is: { bytes } when its bucket holds it, { file }
  // when it has a file of its own, { head } when that file is the head of a
  // list in chunks, null when no item has it (merge_runs in
  // src/search/index.rs). Only the bucket is downloaded, so a query can learn
  // that a term is missing before it downloads the large lists of the others.
  Index.prototype.locate = function (key) {
    var self = this;
    var wanted = encoder.encode(key);
    var bucket = fnv1a32(wanted) % self.meta.buckets;
    return self.file('b/' + folder(bucket) + '.bin').then(function (bytes) {
      var pos = { at: 0 };
      while (pos.at < bytes.length) {
        var len = varint(bytes, pos);
        var same = len === wanted.length;
        for (var i = 0; same && i < len; i++) same = bytes[pos.at + i] === wanted[i];
        pos.at += len;
        var value = varint(bytes, pos);
        if (value % 2 === 1) {
          if (!same) continue;
          var stem = 'k/' + folder(bucket) + '-' + Math.floor(value / 4);
          return value % 4 === 3 ? { head: stem } : { file: stem + '.bin' };
        }
        if (same) return { bytes: bytes.subarray(pos.at, pos.at + value / 2) };
        pos.at += value / 2;
      }
      return null;
    });
  };

  Index.prototype.fetchList = function (place) {
    return place.bytes ? Promise.resolve(place.bytes) : this.file(place.file || place.head + '.bin');
  };

  // A one- or two-unit key: which items have it, and which in their title.
  function decodeItems(bytes, docs) {
    var pos = { at: 0 };
    var df = varint(bytes, pos);
    var tdf = varint(bytes, pos);
    var bitmap = bytes[pos.at] === 1;
    var kDoc = bytes[pos.at + 1];
    var kTitle = bytes[pos.at + 2];
    var bits = new Bits(bytes, pos.at + 3);
    var found = { docs: [], title: [] };
    var i, next;
    if (bitmap) {
      for (var d = 0; d < docs; d++) if (bits.bit()) found.docs.push(d);
    } else {
      next = 0;
      for (i = 0; i < df; i++) { var doc = next + bits.eg(kDoc); found.docs.push(doc); next = doc + 1; }
    }
    var titles = new Set();
    next = 0;
    for (i = 0; i < tdf; i++) { var t = next + bits.eg(kTitle); titles.add(t); next = t + 1; }
    found.title = found.docs.map(function (d) { return titles.has(d); });
    return found;
  }

  // A trigram: each item with the positions where it stands; in a chunk,
  // the first item is counted from `base`, where the chunk's range starts.
  function decodePositional(bytes, base, from) {
    var pos = { at: from || 0 };
    var df = varint(bytes, pos);
    var kDoc = bytes[pos.at], kCount = bytes[pos.at + 1], kFirst = bytes[pos.at + 2], kRest = bytes[pos.at + 3];
    var bits = new Bits(bytes, pos.at + 4);
    var docs = new Int32Array(df);
    var starts = new Int32Array(df + 1);
    var positions = new Int32Array(Math.max(16, df * 2));
    var used = 0;
    var next = base || 0;
    for (var i = 0; i < df; i++) {
      var doc = next + bits.eg(kDoc);
      next = doc + 1;
      docs[i] = doc;
      starts[i] = used;
      var count = bits.eg(kCount) + 1;
      if (used + count > positions.length) {
        var grown = new Int32Array(Math.max(positions.length * 2, used + count));
        grown.set(positions);
        positions = grown;
      }
      var p = bits.eg(kFirst);
      positions[used++] = p;
      for (var c = 1; c < count; c++) { p += bits.eg(kRest) + 1; positions[used++] = p; }
    }
    starts[df] = used;
    return { docs: docs, starts: starts, positions: positions };
  }

  // `later`'s items after `list`'s.
  function appendPositional(list, later) {
    var n = list.docs.length, used = list.starts[n];
    var docs = new Int32Array(n + later.docs.length);
    docs.set(list.docs); docs.set(later.docs, n);
    var starts = new Int32Array(docs.length + 1);
    starts.set(list.starts.subarray(0, n));
    for (var i = 0; i <= later.docs.length; i++) starts[n + i] = used + later.starts[i];
    var positions = new Int32Array(used + later.starts[later.docs.length]);
    positions.set(list.positions.subarray(0, used));
    positions.set(later.positions.subarray(0, positions.length - used), used);
    return { docs: docs, starts: starts, positions: positions };
  }

  // The items with a position in their title, with those positions only.
  function titlePart(list, titleSpan) {
    var docs = [], starts = [0], positions = [];
    for (var i = 0; i < list.docs.length; i++) {
      var before = positions.length;
      for (var q = list.starts[i]; q < list.starts[i + 1] && list.positions[q] < titleSpan; q++) positions.push(list.positions[q]);
      if (positions.length > before) { docs.push(list.docs[i]); starts.push(positions.length); }
    }
    return { docs: Int32Array.from(docs), starts: Int32Array.from(starts), positions: Int32Array.from(positions) };
  }

  // The head of a list in chunks (encode_chunked in src/search/index.rs):
  // its title part, where each chunk's range of items starts, and the first chunk.
  function decodeHead(bytes) {
    var pos = { at: 0 };
    varint(bytes, pos);
    var len = varint(bytes, pos);
    var title = decodePositional(bytes.subarray(pos.at, pos.at + len), 0);
    pos.at += len;
    var count = varint(bytes, pos);
    var starts = [];
    for (var c = 0, start = 0; c < count; c++) { start += varint(bytes, pos); starts.push(start); }
    len = varint(bytes, pos);
    var first = decodePositional(bytes.subarray(pos.at, pos.at + len), 0);
    return { title: title, starts: starts, first: first };
  }

  // Offsets of the trigrams that prove a term of n >= 3 units (src/search/query.rs).
  function cover(n) {
    var offsets = [];
    for (var o = 0; o < n - 2; o += 3) offsets.push(o);
    if ((n - 3) % 3 !== 0) offsets.push(n - 3);
    return offsets;
  }

  function hasPosition(list, index, value) {
    var lo = list.starts[index], hi = list.starts[index + 1] - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var v = list.positions[mid];
      if (v === value) return true;
      if (v < value) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  function matchPositions(lists, offsets, titleSpan) {
    var found = { docs: [], title: [] };
    var cursors = lists.map(function () { return 0; });
    var first = lists[0];
    outer:
    for (var i = 0; i < first.docs.length; i++) {
      var doc = first.docs[i];
      for (var l = 1; l < lists.length; l++) {
        var list = lists[l];
        while (cursors[l] < list.docs.length && list.docs[cursors[l]] < doc) cursors[l]++;
        if (list.docs[cursors[l]] !== doc) continue outer;
      }
      var matched = false, inTitle = false;
      for (var q = first.starts[i]; q < first.starts[i + 1]; q++) {
        var p = first.positions[q];
        var all = true;
        for (var m = 1; all && m < lists.length; m++) all = hasPosition(lists[m], cursors[m], p + offsets[m]);
        if (all) { matched = true; if (p < titleSpan) inTitle = true; }
      }
      if (matched) { found.docs.push(doc); found.title.push(inTitle); }
    }
    return found;
  }

  // The keys a term is looked up by: itself when one or two units long,
  // else trigrams covering it.
  function termKeys(term) {
    if (term.length <= 2) return [term.join(' ')];
    return cover(term.length).map(function (o) { return term.slice(o, o + 3).join(' '); });
  }

  // What is known of one term of a query: `titles`, every item with it in
  // its title; `matched`, the items with it among those before `bound`
  // (the end of the chunks downloaded so far of each of its lists; every
  // item when no list is in chunks).
  function Term(index, term, places) {
    this.index = index;
    this.term = term;
    this.places = places;
    this.lists = null;
  }

  Term.prototype.open = function () {
    var self = this, index = self.index, span = index.meta.title_span;
    return Promise.all(self.places.map(index.fetchList, index)).then(function (files) {
      if (self.term.length <= 2) {
        var found = decodeItems(files[0], index.meta.docs);
        self.titles = new Set(found.docs.filter(function (d, i) { return found.title[i]; }));
        self.matched = new Set(found.docs);
        self.bound = index.meta.docs;
        return;
      }
      self.lists = files.map(function (bytes, i) {
        var place = self.places[i];
        if (!place.head) return { list: decodePositional(bytes, 0), starts: [], next: 0, title: null };
        var head = decodeHead(bytes);
        return { list: head.first, starts: head.starts, next: 1, title: head.title, stem: place.head };
      });
      var parts = self.lists.map(function (l) { return l.title || titlePart(l.list, span); });
      self.titles = new Set(matchPositions(parts, cover(self.term.length), span).docs);
      self.refresh();
    });
  };

  Term.prototype.listBound = function (l) {
    return l.next < l.starts.length ? l.starts[l.next] : this.index.meta.docs;
  };

  Term.prototype.refresh = function () {
    var self = this;
    self.bound = Math.min.apply(null, self.lists.map(self.listBound, self));
    var found = matchPositions(self.lists.map(function (l) { return l.list; }), cover(self.term.length), self.index.meta.title_span);
    self.matched = new Set(found.docs.filter(function (d) { return d < self.bound; }));
  };

  // 1: the item has the term; 0: it has not; -1: not known yet.
  Term.prototype.has = function (doc) {
    if (this.titles.has(doc)) return 1;
    if (doc < this.bound) return this.matched.has(doc) ? 1 : 0;
    return -1;
  };

  // Downloads the next chunk of each of its lists that ends at `bound`.
  Term.prototype.more = function () {
    var self = this;
    var loads = (self.lists || []).filter(function (l) { return self.listBound(l) === self.bound && l.next < l.starts.length; })
      .map(function (l) {
        var c = l.next;
        return self.index.file(l.stem + '-' + c + '.bin').then(function (bytes) {
          if (l.next !== c) return;
          l.list = appendPositional(l.list, decodePositional(bytes, l.starts[c]));
          l.next = c + 1;
        });
      });
    return Promise.all(loads).then(function () { self.refresh(); });
  };

  // Does a record have the term, in one of the fields the index has, as
  // the index reads them (the title cut at title_span - 1 units)?
  function recordHas(record, term, table, titleSpan) {
    var fields = [record.t].concat(record.m || [], [record.c || '', record.x || '']);
    return fields.some(function (field, f) {
      var us = units(field, table);
      if (f === 0) us = us.slice(0, titleSpan - 1);
      outer:
      for (var i = 0; i + term.length <= us.length; i++) {
        for (var j = 0; j < term.length; j++) if (us[i + j].t !== term[j]) continue outer;
        return true;
      }
      return false;
    });
  }

  // A query's results, found as far as they are needed. Results are in
  // their final order: items with more terms in their title first, then
  // newest first. `view()` gives the longest run of them from the first
  // that is known for sure, how many results are known (a lower bound on
  // the count), and whether every result is known; `ensure(n)` downloads
  // what is missing for the first n results: chunks of the lists in order,
  // or the record of an old item with a term in its title (which is on the
  // page anyway if it is a result) to see whether it has the other terms.
  function Query(index, terms, located) {
    this.index = index;
    this.terms = terms.map(function (term, i) { return new Term(index, term, located[i]); });
    this.words = terms;
    this.resolved = new Map();
    this.chain = Promise.all(this.terms.map(function (t) { return t.open(); }));
  }

  Query.prototype.has = function (doc) {
    if (this.resolved.has(doc)) return this.resolved.get(doc) ? 1 : 0;
    var result = 1;
    for (var i = 0; i < this.terms.length; i++) {
      var has = this.terms[i].has(doc);
      if (has === 0) return 0;
      if (has < 0) result = -1;
    }
    return result;
  };

  Query.prototype.view = function () {
    var self = this, terms = self.terms, docs = self.index.meta.docs;
    var titleTerms = new Map();
    terms.forEach(function (t) { t.titles.forEach(function (d) { titleTerms.set(d, (titleTerms.get(d) || 0) + 1); }); });
    var known = [];
    var first = terms[0];
    var seen = new Set();
    var consider = function (d) { if (!seen.has(d)) { seen.add(d); if (self.has(d) === 1) known.push(d); } };
    first.titles.forEach(consider);
    first.matched.forEach(consider);
    self.resolved.forEach(function (yes, d) { if (yes) consider(d); });
    var bound = Math.min.apply(null, terms.map(function (t) { return t.bound; }));
    var groups = [];
    titleTerms.forEach(function (n, d) { (groups[n] = groups[n] || []).push(d); });
    var hits = [], pending = [];
    for (var n = terms.length; n >= 1; n--) {
      (groups[n] || []).sort(function (a, b) { return a - b; }).forEach(function (d) {
        var has = self.has(d);
        if (has < 0) pending.push(d);
        else if (has === 1 && !pending.length) hits.push({ doc: d, titleTerms: n });
      });
    }
    if (!pending.length) {
      known.filter(function (d) { return d < bound && !titleTerms.has(d); }).sort(function (a, b) { return a - b; })
        .forEach(function (d) { hits.push({ doc: d, titleTerms: 0 }); });
    }
    return { hits: hits, count: known.length, complete: !pending.length && bound >= docs, pending: pending };
  };

  Query.prototype.ensure = function (need) {
    var self = this;
    self.chain = self.chain.then(function step() {
      var view = self.view();
      if (view.complete || view.hits.length >= need) return view;
      var next;
      if (view.pending.length) {
        var index = self.index, span = index.meta.title_span;
        var some = view.pending.slice(0, Math.max(1, Math.min(need - view.hits.length, PAGE)));
        next = Promise.all(some.map(function (doc) {
          return index.record(doc).then(function (record) {
            self.resolved.set(doc, self.words.every(function (term) { return recordHas(record, term, index.table, span); }));
          });
        }));
      } else {
        var bound = Math.min.apply(null, self.terms.map(function (t) { return t.bound; }));
        next = Promise.all(self.terms.filter(function (t) { return t.bound === bound; }).map(function (t) { return t.more(); }));
      }
      return next.then(step);
    });
    return self.chain;
  };

  // The query of `terms`, when every one of its keys is in some item; else
  // null. The buckets of every key come first; when a key is in no item,
  // nothing more is downloaded.
  Index.prototype.query = function (terms) {
    var self = this;
    var located = terms.map(function (term) {
      return Promise.all(termKeys(term).map(self.locate, self));
    });
    return Promise.all(located).then(function (places) {
      if (places.some(function (p) { return p.some(function (place) { return !place; }); })) return null;
      return new Query(self, terms, places);
    });
  };

  // Every item with every term: [{doc, titleTerms}], title hits first, then
  // newest first, every chunk downloaded.
  Index.prototype.search = function (terms) {
    return this.query(terms).then(function (query) {
      return query ? query.ensure(Infinity).then(function (view) { return view.hits; }) : [];
    });
  };

  // ---- showing results ----

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // UTF-16 ranges [start, end) of every occurrence of every term in `text`, merged.
  function hitRanges(text, terms, table) {
    var us = units(text, table);
    var ranges = [];
    terms.forEach(function (term) {
      for (var i = 0; i + term.length <= us.length; i++) {
        var same = true;
        for (var j = 0; same && j < term.length; j++) same = us[i + j].t === term[j];
        if (same) ranges.push([us[i].s, us[i + term.length - 1].e]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  }

  function marked(text, ranges, from, to) {
    var html = '';
    var at = from;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], from), e = Math.min(r[1], to);
      if (s >= e) return;
      html += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
      at = e;
    });
    return html + escapeHtml(text.slice(at, to));
  }

  function safeIndex(text, i) {
    var code = text.charCodeAt(i);
    return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
  }

  // A piece of the text around its first hit, hits marked; else its beginning.
  function snippet(record, terms, table) {
    var fields = [record.x || ''].concat(record.m || []);
    for (var f = 0; f < fields.length; f++) {
      var text = fields[f];
      var ranges = hitRanges(text, terms, table);
      if (!ranges.length) continue;
      var from = safeIndex(text, Math.max(0, ranges[0][0] - 30));
      var to = safeIndex(text, Math.min(text.length, from + SNIPPET));
      return (from > 0 ? '…' : '') + marked(text, ranges, from, to) + (to < text.length ? '…' : '');
    }
    var body = record.x || '';
    var end = safeIndex(body, Math.min(body.length, SNIPPET));
    return escapeHtml(body.slice(0, end)) + (end < body.length ? '…' : '');
  }

  function chineseDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? m[1] + '年' + m[2] + '月' + m[3] + '日' : '';
  }

  function renderResult(li, record, terms, table) {
    var title = marked(record.t, hitRanges(record.t, terms, table), 0, record.t.length);
    var meta = [];
    if (record.d) meta.push('<time datetime="' + escapeHtml(record.d) + '">' + chineseDate(record.d) + '</time>');
    if (record.c) meta.push(escapeHtml(record.c));
    li.innerHTML = '<h2><a href="' + escapeHtml(/^https?:/.test(record.u) ? record.u : BASE + record.u) + '">' + title + '</a></h2>' +
      (meta.length ? '<p class="meta">' + meta.join(' · ') + '</p>' : '') +
      '<p class="snippet">' + snippet(record, terms, table) + '</p>';
    li.removeAttribute('aria-busy');
  }

  // ---- the page ----

  var form = document.querySelector('.search-page-form');
  var input = document.getElementById('search-query');
  var status = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  if (!form || !input || !results) return;

  // A script kept in the browser's cache from before the site was rebuilt
  // with another index format: fetch it anew and reload the page, once.
  var REFRESHED = 'streetpress-search-refreshed';
  function refreshScript() {
    try {
      if (sessionStorage.getItem(REFRESHED)) throw new Error('once');
      sessionStorage.setItem(REFRESHED, '1');
    } catch (e) {
      throw new Error('search.js and the index do not match');
    }
    return fetch(script.src, { cache: 'reload' }).then(function () {
      location.reload();
      return new Promise(function () {});
    });
  }

  var indexPromise = null;
  function loadIndex() {
    if (!indexPromise) {
      indexPromise = fetch(INDEX + 'meta.json', { cache: 'no-cache' }).then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.arrayBuffer();
      }).then(function (buffer) {
        var meta = JSON.parse(new TextDecoder().decode(buffer));
        if (meta.format !== FORMAT) return refreshScript();
        try { sessionStorage.removeItem(REFRESHED); } catch (e) { /* storage off: nothing to clear */ }
        var index = new Index(meta);
        index.bytes = buffer.byteLength;
        return index;
      });
      indexPromise.catch(function () { indexPromise = null; });
    }
    return indexPromise;
  }

  var current = 0;
  var shown = { hits: [], next: 0, terms: [], index: null };
  var firstShown = null;

  // A result's record is downloaded when its place on the page comes into
  // view, so a query costs the results a reader sees, not a whole page of them.
  function load(li) {
    if (li.getAttribute('data-loading')) return;
    li.setAttribute('data-loading', '1');
    var run = current;
    var doc = Number(li.getAttribute('data-doc'));
    shown.index.record(doc).then(function (record) {
      if (run !== current) return;
      renderResult(li, record, shown.terms, shown.index.table);
      if (firstShown) { firstShown(); firstShown = null; }
    }).catch(function () {
      if (run === current) { li.textContent = '这条结果读取失败，请刷新页面后再试。'; li.removeAttribute('aria-busy'); }
    });
  }

  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); load(entry.target); }
    });
  }, { rootMargin: '100px 0px' }) : null;

  function showPage() {
    var first = shown.next === 0;
    var page = shown.hits.slice(shown.next, shown.next + PAGE);
    shown.next += page.length;
    page.forEach(function (hit, i) {
      var li = document.createElement('li');
      li.className = 'search-result';
      li.setAttribute('aria-busy', 'true');
      li.setAttribute('data-doc', String(hit.doc));
      results.appendChild(li);
      // The first few are on screen anyway: no need to wait for the observer.
      if (!observer || (first && i < 3)) load(li); else observer.observe(li);
    });
    more.hidden = shown.complete && shown.next >= shown.hits.length;
  }

  // The count, honest while the lists in chunks are not all downloaded:
  // what is known so far is the least there is.
  function showCount() {
    var words = shown.terms.length > 1 ? '同时包含这些词' : '包含“' + shown.query.trim() + '”';
    status.textContent = !shown.count
      ? '没有找到' + words + '的文章、活动或人物。可以换个说法，或少输入几个字再试。'
      : shown.complete
        ? '找到 ' + shown.count + ' 条' + words + '的结果'
        : '找到至少 ' + shown.count + ' 条' + words + '的结果';
  }

  function update(view) {
    shown.hits = view.hits;
    shown.count = view.count;
    shown.complete = view.complete;
    showCount();
  }

  function search(query) {
    var run = ++current;
    var started = performance.now();
    results.innerHTML = '';
    more.hidden = true;
    firstShown = null;
    if (!query.trim()) { status.textContent = ''; return Promise.resolve(); }
    status.textContent = '正在搜索……';
    var timing = {};
    return loadIndex().then(function (index) {
      timing.index = Math.round(performance.now() - started);
      var terms = queryTerms(query, index.table);
      if (!terms.length) { status.textContent = '请输入要找的字词。'; return null; }
      var found = null;
      return index.query(terms).then(function (query) {
        found = query;
        return query ? query.ensure(PAGE) : { hits: [], count: 0, complete: true };
      }).then(function (view) {
        if (run !== current) return null;
        timing.found = Math.round(performance.now() - started);
        shown = { query: query, next: 0, terms: terms, index: index, found: found };
        update(view);
        var announce = function () {
          var detail = { query: query, count: view.count, complete: view.complete, ms: performance.now() - started, bytes: index.bytes, timing: timing };
          api.last = detail;
          document.dispatchEvent(new CustomEvent('streetpress:search', { detail: detail }));
        };
        if (view.hits.length) firstShown = announce;
        showPage();
        if (!view.hits.length) announce();
        return null;
      });
    }).catch(function (error) {
      if (run !== current) return;
      status.textContent = '搜索暂时无法使用，请刷新页面后再试。（' + error.message + '）';
    });
  }

  function fromUrl() {
    var query = new URLSearchParams(location.search).get('q') || '';
    input.value = query;
    var box = document.getElementById('search-box-q');
    if (box) box.value = query;
    return search(query);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var query = input.value;
    var url = new URL(location.href);
    url.searchParams.set('q', query);
    history.pushState(null, '', url);
    search(query);
  });
  // More results: those known already, else what is missing of them is
  // downloaded first (the next chunks of the lists).
  more.addEventListener('click', function () {
    var run = current;
    if (!shown.found || shown.next + PAGE <= shown.hits.length || shown.complete) { showPage(); return; }
    more.disabled = true;
    more.setAttribute('aria-busy', 'true');
    shown.found.ensure(shown.next + PAGE).then(function (view) {
      if (run !== current) return;
      update(view);
      showPage();
    }).catch(function (error) {
      if (run === current) status.textContent = '更多结果暂时无法读取，请刷新页面后再试。（' + error.message + '）';
    }).then(function () {
      more.disabled = false;
      more.removeAttribute('aria-busy');
    });
  });
  window.addEventListener('popstate', fromUrl);

  // For tests and for other scripts: the same search without the page.
  var api = window.streetpressSearch = {
    // The last search shown: its query, result count, milliseconds to the first result on screen, bytes so far.
    last: null,
    normalise: function (text) { return loadIndex().then(function (i) { return normalise(text, i.table); }); },
    units: function (text) { return loadIndex().then(function (i) { return units(text, i.table).map(function (u) { return u.t; }); }); },
    terms: function (query) { return loadIndex().then(function (i) { return queryTerms(query, i.table); }); },
    search: function (query) {
      return loadIndex().then(function (i) { return i.search(queryTerms(query, i.table)); });
    },
    record: function (doc) { return loadIndex().then(function (i) { return i.record(doc); }); },
    // Bytes downloaded for search so far: meta.json, index files and records.
    bytes: function () { return loadIndex().then(function (i) { return i.bytes; }); },
  };

  // The index's description is small: fetch it now, so that it is there when the first query is typed.
  loadIndex().catch(function () {});
  fromUrl();
})();
