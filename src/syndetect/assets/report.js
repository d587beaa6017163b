"use strict";
// syndetect HTML report. The data is one JSON blob, parsed once; clusters are drawn
// when opened. Every string from the data goes in through textContent, never markup.
(function () {
  const D = JSON.parse(document.getElementById("syndetect-data").textContent);
  const KINDS = ["verbatim", "near_verbatim", "rewrite"];
  const KLABEL = { verbatim: "verbatim", near_verbatim: "near-verbatim", rewrite: "rewrite" };
  const PAGE = 100;           // clusters drawn per "show more"
  const ROWS = 200;           // document / boilerplate rows per "show more"
  const OPEN_PAIRS = 4;       // side-by-side views drawn when a cluster opens

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function docOf(ref) { return typeof ref === "number" ? D.docs[ref] : null; }
  // A document's name: its title, else the first line of its text (a headline), else its id.
  function nameOf(ref) {
    const d = docOf(ref);
    if (!d) return ref === null || ref === undefined ? "(unknown)" : String(ref);
    if (d.title) return d.title;
    const text = D.texts[String(ref)];
    if (text) {
      const line = text.trim().split("\n")[0].trim();
      if (line) return line.length > 100 ? line.slice(0, 99) + "\u2026" : line;
    }
    return d.id;
  }
  function dateOf(d) {
    if (!d || !d.date) return "";
    let s = d.date;
    if (s.length > 10 && (s[10] === "T" || s[10] === " ")) {
      const t = s.slice(11, 16);
      s = t && t !== "00:00" ? s.slice(0, 10) + " " + t : s.slice(0, 10);
    }
    return (d.rel_date ? "~" : "") + s;
  }
  function metaOf(d) {
    if (!d) return "";
    return [d.outlet, dateOf(d)].filter(Boolean).join(" · ");
  }
  function pct(x) { return Math.round(x * 100) + "%"; }

  // ------------------------------------------------------------------ derived data
  const memberOf = new Map();      // doc index -> {cluster, member}
  for (const c of D.clusters) {
    for (const m of c.members) if (typeof m.d === "number") memberOf.set(m.d, { c: c, m: m });
  }
  const outlets = [...new Set(D.docs.map(d => d.outlet).filter(Boolean))].sort();

  // ------------------------------------------------------------------ summary
  function summary() {
    const box = document.getElementById("summary");
    const n = { ok: 0, skipped: 0, error: 0 };
    for (const d of D.docs) n[d.status] = (n[d.status] || 0) + 1;
    let derived = 0, passages = 0;
    for (const c of D.clusters) {
      derived += c.members.filter(m => m.role === "derivative").length;
      passages += c.matches.length;
    }
    const cards = [
      [D.docs.length, "documents", n.ok + " ok, " + n.skipped + " skipped, " + n.error + " errors"],
      [D.clusters.length, "story clusters", ""],
      [derived, "derivatives", ""],
      [passages, "shared passages", ""],
      [D.boilerplate.length, "boilerplate entries", ""],
    ];
    for (const [value, label, note] of cards) {
      const c = el("div", "card");
      c.appendChild(el("b", null, value));
      c.appendChild(el("span", null, label + (note ? " (" + note + ")" : "")));
      box.appendChild(c);
    }
    document.getElementById("sub").textContent = "syndetect " + D.version + " · " +
      outlets.length + " outlets";
  }

  // ------------------------------------------------------------------ filters
  const F = { outlet: "", relation: "", conf: 0, text: "", status: "" };
  function clusterVisible(c) {
    if (c.conf < F.conf) return false;
    if (F.relation && !c.members.some(m => m.rel === F.relation)) return false;
    if (F.outlet && !c.members.some(m => { const d = docOf(m.d); return d && d.outlet === F.outlet; }))
      return false;
    if (F.text) {
      const q = F.text;
      if (!c.members.some(m => { const d = docOf(m.d);
        return d ? (d.id.toLowerCase().includes(q) || (d.title || "").toLowerCase().includes(q))
                 : String(m.d).toLowerCase().includes(q); })) return false;
    }
    return true;
  }
  function docVisible(i) {
    const d = D.docs[i];
    if (F.status && d.status !== F.status) return false;
    if (F.outlet && d.outlet !== F.outlet) return false;
    const mc = memberOf.get(i);
    if (F.relation && !(mc && mc.m.rel === F.relation)) return false;
    if (F.conf > 0 && !(mc && mc.c.conf >= F.conf)) return false;
    if (F.text && !(d.id.toLowerCase().includes(F.text) ||
                    (d.title || "").toLowerCase().includes(F.text))) return false;
    return true;
  }

  // ------------------------------------------------------------------ highlighting
  // spans: [start, end, match index, kind code]; bp: [start, end] (UTF-16 offsets).
  function paint(box, text, spans, bp) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s[0]); cuts.add(s[1]); }
    for (const b of bp) { cuts.add(b[0]); cuts.add(b[1]); }
    const pts = [...cuts].filter(x => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      const piece = text.slice(a, b);
      const ms = [];
      let best = 3;
      for (const s of spans) if (s[0] <= a && b <= s[1]) { ms.push(s[2]); best = Math.min(best, s[3]); }
      const grey = bp.some(x => x[0] <= a && b <= x[1]);
      if (!ms.length && !grey) { frag.appendChild(document.createTextNode(piece)); continue; }
      const e = el(ms.length ? "mark" : "span", ms.length ? "k" + best : "bp", piece);
      if (ms.length) {
        if (grey) e.classList.add("bp");
        e.dataset.m = ms.join(" ");
        e.title = ms.length === 1 ? KLABEL[KINDS[best]] + " · click for the counterpart"
                                  : ms.length + " passages · click for the counterpart";
      }
      frag.appendChild(e);
    }
    box.appendChild(frag);
  }

  function column(ref, side, spans) {
    const d = docOf(ref);
    const col = el("div", "col");
    col.dataset.side = side;
    const head = el("div", "head");
    head.appendChild(el("span", "meta", side === "left" ? "source" : "derivative"));
    head.appendChild(el("b", null, nameOf(ref)));
    head.appendChild(el("span", "meta", [metaOf(d), d ? d.id : ""].filter(Boolean).join(" · ")));
    col.appendChild(head);
    const key = String(ref);
    const text = D.texts[key];
    if (text === undefined) {
      col.appendChild(el("div", "missing", "text not available in this report"));
      return col;
    }
    const box = el("div", "text");
    box.dir = "auto";
    box.dataset.doc = d ? d.id : key;
    paint(box, text, spans, D.bp[key] || []);
    col.appendChild(box);
    return col;
  }

  function onMarkClick(ev) {
    const mark = ev.target.closest("mark[data-m]");
    if (!mark) return;
    const pair = mark.closest(".pair");
    const ids = mark.dataset.m.split(" ");
    // Repeated clicks on a piece shared by several passages step through them.
    const n = Number(mark.dataset.turn || 0);
    mark.dataset.turn = String((n + 1) % ids.length);
    const id = ids[n % ids.length];
    const side = mark.closest(".col").dataset.side;
    const other = side === "left" ? "right" : "left";
    for (const m of pair.querySelectorAll("mark.on")) m.classList.remove("on");
    for (const m of pair.querySelectorAll('mark[data-m~="' + id + '"]')) m.classList.add("on");
    const target = pair.querySelector('.col[data-side="' + other + '"] mark[data-m~="' + id + '"]');
    if (target) target.scrollIntoView({ block: "center", inline: "nearest" });
  }

  // member: the right-hand document's cluster member, or null for a pair off the lineage.
  function pairView(c, parentRef, childRef, member) {
    const sec = el("section", "pair");
    sec.dataset.parent = String(parentRef);
    sec.dataset.child = String(childRef);
    const h = el("h3");
    h.appendChild(el("span", null, nameOf(childRef)));
    h.appendChild(el("span", "meta", member && member.from === parentRef ? "derived from"
                                                                          : "shares passages with"));
    h.appendChild(el("span", null, nameOf(parentRef)));
    if (member) {
      if (member.rel) h.appendChild(el("span", "chip k" + KINDS.indexOf(member.rel), KLABEL[member.rel]));
      if (member.der) h.appendChild(el("span", "chip", member.der));
      h.appendChild(el("span", "chip", "coverage " + pct(member.cov)));
    }
    sec.appendChild(h);
    const left = [], right = [];
    c.matches.forEach((m, i) => {
      if (m[0] === parentRef && m[3] === childRef) { left.push([m[1], m[2], i, m[7]]); right.push([m[4], m[5], i, m[7]]); }
      else if (m[3] === parentRef && m[0] === childRef) { left.push([m[4], m[5], i, m[7]]); right.push([m[1], m[2], i, m[7]]); }
    });
    const cols = el("div", "cols");
    cols.appendChild(column(parentRef, "left", left));
    cols.appendChild(column(childRef, "right", right));
    sec.appendChild(cols);
    sec.appendChild(el("p", "meta", left.length + " shared passage" + (left.length === 1 ? "" : "s")));
    sec.addEventListener("click", onMarkClick);
    return sec;
  }

  function partnerOf(c, member) {
    const ids = new Set(c.members.map(m => m.d));
    if (member.from !== null && ids.has(member.from)) return member.from;
    const count = new Map();
    for (const m of c.matches) {
      if (m[0] === member.d) count.set(m[3], (count.get(m[3]) || 0) + 1);
      if (m[3] === member.d) count.set(m[0], (count.get(m[0]) || 0) + 1);
    }
    let best = null, n = 0;
    for (const [k, v] of count) if (v > n) { best = k; n = v; }
    return best;
  }

  function node(c, m) {
    const d = docOf(m.d);
    const box = el("span", "node");
    const who = el("a", "who", nameOf(m.d));
    who.href = "#";
    who.addEventListener("click", ev => {
      ev.preventDefault();
      const target = box.closest(".cbody").querySelector('.pair[data-child="' + m.d + '"]');
      if (target) target.scrollIntoView({ block: "start" });
    });
    box.appendChild(who);
    if (d) box.appendChild(el("span", "meta", metaOf(d)));
    if (m.role === "origin") box.appendChild(el("span", "chip origin", "origin"));
    else {
      if (m.rel) box.appendChild(el("span", "chip k" + KINDS.indexOf(m.rel), KLABEL[m.rel]));
      if (m.der) box.appendChild(el("span", "chip", m.der));
      box.appendChild(el("span", "chip", "coverage " + pct(m.cov)));
      if (m.from === null) box.appendChild(el("span", "meta", "source outside the corpus"));
    }
    return box;
  }

  function lineage(c) {
    const ids = new Set(c.members.map(m => m.d));
    const kids = new Map();
    const roots = [];
    for (const m of c.members) {
      if (m.role !== "origin" && m.from !== null && ids.has(m.from) && m.from !== m.d) {
        if (!kids.has(m.from)) kids.set(m.from, []);
        kids.get(m.from).push(m);
      } else roots.push(m);
    }
    roots.sort((a, b) => (a.role === "origin" ? 0 : 1) - (b.role === "origin" ? 0 : 1));
    const seen = new Set();
    function add(ul, m) {
      seen.add(m.d);
      const li = el("li");
      li.appendChild(node(c, m));
      for (const line of m.ev || []) li.appendChild(el("div", "meta", line));
      const children = (kids.get(m.d) || []).filter(k => !seen.has(k.d));
      if (children.length) {
        const sub = el("ul");
        for (const k of children) if (!seen.has(k.d)) add(sub, k);
        li.appendChild(sub);
      }
      ul.appendChild(li);
    }
    const tree = el("ul", "tree");
    for (const m of roots) add(tree, m);
    for (const m of c.members) if (!seen.has(m.d)) add(tree, m);  // caught in a cycle
    return tree;
  }

  function drawCluster(c, body) {
    if (c.ev.length) {
      const ul = el("ul", "evidence");
      for (const line of c.ev) ul.appendChild(el("li", null, line));
      body.appendChild(ul);
    }
    body.appendChild(el("h4", null, "Lineage (arrows point from a derivative to its source)"));
    body.appendChild(lineage(c));
    const derivs = c.members.filter(m => m.role === "derivative");
    const shown = new Set();
    const key = (x, y) => String(x) < String(y) ? x + "|" + y : y + "|" + x;
    derivs.forEach((m, i) => {
      const partner = partnerOf(c, m);
      if (partner === null) return;
      shown.add(key(partner, m.d));
      if (i < OPEN_PAIRS) { body.appendChild(pairView(c, partner, m.d, m)); return; }
      const b = el("button", "more", "Show " + nameOf(m.d) + " beside " + nameOf(partner));
      b.addEventListener("click", () => b.replaceWith(pairView(c, partner, m.d, m)));
      body.appendChild(b);
    });
    // Passages between members that are not source and derivative of each other.
    const others = new Map();
    for (const m of c.matches) {
      const k = key(m[0], m[3]);
      if (shown.has(k)) continue;
      if (!others.has(k)) others.set(k, [m[0], m[3], 0]);
      others.get(k)[2] += 1;
    }
    for (const [x, y, n] of others.values()) {
      const b = el("button", "more other", "Also " + n + " shared passage" + (n === 1 ? "" : "s") +
                   ": " + nameOf(x) + " and " + nameOf(y));
      b.addEventListener("click", () => b.replaceWith(pairView(c, x, y, null)));
      body.appendChild(b);
    }
  }

  function clusterBox(c) {
    const det = el("details", "cluster");
    det.id = c.id;
    const s = el("summary");
    s.appendChild(el("span", "ctitle", c.origin !== null ? nameOf(c.origin)
      : c.ext ? "origin outside corpus: " + c.ext : nameOf(c.members[0] && c.members[0].d)));
    const od = docOf(c.origin);
    if (od) s.appendChild(el("span", "meta", metaOf(od)));
    s.appendChild(el("span", "chip", c.members.length + " documents"));
    const rels = [...new Set(c.members.map(m => m.rel).filter(Boolean))];
    for (const r of rels) s.appendChild(el("span", "chip k" + KINDS.indexOf(r), KLABEL[r]));
    s.appendChild(el("span", "chip conf", "confidence " + c.conf.toFixed(2)));
    s.appendChild(el("span", "meta", c.id));
    det.appendChild(s);
    const body = el("div", "cbody");
    det.appendChild(body);
    det.addEventListener("toggle", () => {
      if (det.open && !body.dataset.drawn) { body.dataset.drawn = "1"; drawCluster(c, body); }
    });
    return det;
  }

  // ------------------------------------------------------------------ lists
  function pager(list, box, more, perPage, draw) {
    box.replaceChildren();
    more.replaceChildren();
    let shown = 0;
    function next() {
      const frag = document.createDocumentFragment();
      for (const item of list.slice(shown, shown + perPage)) frag.appendChild(draw(item));
      box.appendChild(frag);
      shown = Math.min(list.length, shown + perPage);
      more.replaceChildren();
      if (shown < list.length) {
        const b = el("button", "more", "Show " + Math.min(perPage, list.length - shown) +
                     " more (" + (list.length - shown) + " left)");
        b.addEventListener("click", next);
        more.appendChild(b);
      }
    }
    next();
  }

  const clusterBoxes = new Map();
  const clustersMore = el("div");
  document.getElementById("clusters").after(clustersMore);
  function drawClusters() {
    const list = D.clusters.filter(clusterVisible);
    document.getElementById("clusters-count").textContent =
      "(" + list.length + (list.length === D.clusters.length ? "" : " of " + D.clusters.length) + ")";
    pager(list, document.getElementById("clusters"), clustersMore, PAGE, c => {
      if (!clusterBoxes.has(c.id)) clusterBoxes.set(c.id, clusterBox(c));
      return clusterBoxes.get(c.id);
    });
    if (!list.length) document.getElementById("clusters").appendChild(
      el("p", "hint", D.clusters.length ? "No cluster matches the filters." : "No story clusters."));
  }

  function docRow(i) {
    const d = D.docs[i];
    const tr = el("tr", d.status);
    tr.appendChild(el("td", "id", d.id));
    tr.appendChild(el("td", null, d.title || ""));
    tr.appendChild(el("td", null, d.outlet || ""));
    tr.appendChild(el("td", null, dateOf(d)));
    tr.appendChild(el("td", "status-" + d.status, d.status));
    tr.appendChild(el("td", null, [d.reason, d.message].filter(Boolean).join(": ")));
    const td = el("td");
    if (d.cluster) {
      const a = el("a", null, d.cluster);
      a.href = "#" + d.cluster;
      td.appendChild(a);
    }
    tr.appendChild(td);
    const mc = memberOf.get(i);
    tr.appendChild(el("td", null, mc ? (mc.m.role === "origin" ? "origin" : KLABEL[mc.m.rel] || "derivative") : ""));
    return tr;
  }
  function drawDocuments() {
    const list = [];
    for (let i = 0; i < D.docs.length; i++) if (docVisible(i)) list.push(i);
    document.getElementById("documents-count").textContent =
      "(" + list.length + (list.length === D.docs.length ? "" : " of " + D.docs.length) + ")";
    pager(list, document.querySelector("#documents tbody"), document.getElementById("documents-more"),
          ROWS, docRow);
  }
  function drawBoilerplate() {
    document.getElementById("boilerplate-count").textContent = "(" + D.boilerplate.length + ")";
    pager(D.boilerplate, document.querySelector("#boilerplate tbody"),
          document.getElementById("boilerplate-more"), ROWS, b => {
      const tr = el("tr");
      tr.appendChild(el("td", null, b.count));
      tr.appendChild(el("td", null, b.docs.length));
      tr.appendChild(el("td", "bp", b.text));
      return tr;
    });
  }

  function openFromHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    const c = id && D.clusters.find(x => x.id === id);
    if (!c) return;
    if (!clusterBoxes.has(c.id)) clusterBoxes.set(c.id, clusterBox(c));
    const det = clusterBoxes.get(c.id);
    if (!det.isConnected) document.getElementById("clusters").prepend(det);
    det.open = true;
    det.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------------ wiring
  const outletSel = document.getElementById("f-outlet");
  for (const o of outlets) { const opt = el("option", null, o); opt.value = o; outletSel.appendChild(opt); }
  let timer = 0;
  function refilter() {
    clearTimeout(timer);
    timer = setTimeout(() => { drawClusters(); drawDocuments(); }, 80);
  }
  outletSel.addEventListener("change", () => { F.outlet = outletSel.value; refilter(); });
  const relSel = document.getElementById("f-relation");
  relSel.addEventListener("change", () => { F.relation = relSel.value; refilter(); });
  const conf = document.getElementById("f-conf"), confOut = document.getElementById("f-conf-out");
  conf.addEventListener("input", () => { F.conf = Number(conf.value); confOut.textContent = F.conf.toFixed(2); refilter(); });
  const text = document.getElementById("f-text");
  text.addEventListener("input", () => { F.text = text.value.trim().toLowerCase(); refilter(); });
  const status = document.getElementById("f-status");
  status.addEventListener("change", () => { F.status = status.value; drawDocuments(); });
  window.addEventListener("hashchange", openFromHash);

  summary();
  drawClusters();
  drawDocuments();
  drawBoilerplate();
  openFromHash();
  document.body.dataset.ready = "1";
})();
