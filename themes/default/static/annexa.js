/* annexa: small enhancements for every page. No dependencies; the site works without it. */
(function () {
  "use strict";

  /* 1. Opened from disk (file://), a browser does not turn a folder URL into its index.html:
     point internal folder links at index.html. */
  function fileUrl(href) {
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "/" || href.charAt(0) === "#" || href.charAt(0) === "?") {
      return href;
    }
    var cut = href.search(/[?#]/);
    var path = cut < 0 ? href : href.slice(0, cut);
    var rest = cut < 0 ? "" : href.slice(cut);
    if (path === "." || path === "..") path += "/";
    if (path.charAt(path.length - 1) !== "/") return href;
    return path + "index.html" + rest;
  }
  window.annexaFileUrl = function (href) {
    return location.protocol === "file:" ? fileUrl(href) : href;
  };
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      var fixed = fileUrl(href);
      if (fixed !== href) a.setAttribute("href", fixed);
    });
    document.querySelectorAll("form[action]").forEach(function (form) {
      var action = form.getAttribute("action");
      var fixed = fileUrl(action);
      if (fixed !== action) form.setAttribute("action", fixed);
    });
  }

  /* 2. The document register: filter rows by kind, owner, status, tag, folder and text. */
  var register = document.getElementById("register");
  var filters = document.getElementById("register-filters");
  if (register && filters) {
    var rows = Array.prototype.slice.call(register.tBodies[0].rows);
    var count = document.getElementById("register-count");
    var empty = document.getElementById("register-empty");
    var fields = ["q", "kind", "owner", "status", "tag", "folder"];
    var params = new URLSearchParams(location.search);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase().replace(/\s+/g, " "); });

    fields.forEach(function (name) {
      var control = filters.elements[name];
      var value = params.get(name);
      if (!control || !value) return;
      if (control.tagName === "SELECT" && !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
        control.add(new Option(value, value)); // keep an unknown value visible rather than drop it
      }
      control.value = value;
    });

    var apply = function () {
      var v = {};
      fields.forEach(function (name) { v[name] = filters.elements[name].value.trim(); });
      var words = v.q.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var d = row.dataset;
        var ok = (!v.kind || d.kind === v.kind) &&
          (!v.owner || d.owner === v.owner) &&
          (!v.status || d.status === v.status) &&
          (!v.tag || d.tags.split("|").indexOf(v.tag) >= 0) &&
          (!v.folder || d.folder === v.folder || d.folder.indexOf(v.folder + "/") === 0) &&
          words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown === rows.length
        ? rows.length + " documents"
        : "Showing " + shown + " of " + rows.length + " documents";
      empty.hidden = shown > 0;
      var next = new URLSearchParams();
      fields.forEach(function (name) { if (v[name]) next.set(name, v[name]); });
      var query = next.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    };

    // Sortable columns: click a heading; empty cells stay last.
    var heads = register.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      var arrow = document.createElement("span");
      arrow.className = "sort-arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          return (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent).trim();
        };
        var order = rows.map(function (row, i) { return { row: row, key: key(row), i: i }; });
        order.sort(function (a, b) {
          if (!a.key || !b.key) return (a.key ? -1 : b.key ? 1 : 0) || a.i - b.i;
          return dir * a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: "base" }) || a.i - b.i;
        });
        var body = register.tBodies[0];
        order.forEach(function (o) { body.appendChild(o.row); });
      });
    });

    filters.addEventListener("input", apply);
    filters.addEventListener("change", apply);
    filters.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    filters.addEventListener("reset", function () { setTimeout(apply, 0); });
    filters.hidden = false;
    apply();
  }

  /* 3. "/" focuses the search box, as on most sites with one. A single-key shortcut can be
     turned off (WCAG 2.1.4): the search page has a checkbox, remembered in localStorage. */
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var slashOff = function () { try { return store && store.getItem("annexa-slash") === "off"; } catch (e) { return false; } };
  var slashBox = document.getElementById("slash-shortcut");
  if (slashBox && store) {
    slashBox.checked = !slashOff();
    slashBox.addEventListener("change", function () {
      try {
        if (slashBox.checked) store.removeItem("annexa-slash"); else store.setItem("annexa-slash", "off");
      } catch (e) { /* storage refused: the setting lasts for this page only */ }
    });
    document.getElementById("shortcut-setting").hidden = false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (slashBox ? !slashBox.checked : slashOff()) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-q") || document.getElementById("header-q");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  /* 4. Print buttons (the Statement of Applicability). */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  /* 5. Control matrix: show only controls that need attention. */
  var gapsOnly = document.getElementById("gaps-only");
  if (gapsOnly) {
    gapsOnly.closest("[hidden]").hidden = false;
    gapsOnly.addEventListener("change", function () {
      document.body.classList.toggle("gaps-only", gapsOnly.checked);
    });
  }

  /* 6. Control matrix: filter rows by attribute (control type, security domains…). Each row
     carries data-attr-KIND="value|value"; groups and frameworks left without a row hide. */
  var matrixFilters = document.getElementById("matrix-filters");
  if (matrixFilters) {
    var selects = Array.prototype.slice.call(matrixFilters.querySelectorAll("select"));
    var matrixRows = Array.prototype.slice.call(document.querySelectorAll("table.matrix tbody tr"));
    var matrixSections = Array.prototype.slice.call(document.querySelectorAll("section.group, section.framework"));
    var matrixCount = document.getElementById("matrix-count");
    var matrixEmpty = document.getElementById("matrix-empty");
    var matrixParams = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      var value = matrixParams.get(select.name);
      if (!value) return;
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.add(new Option(value, value)); // keep an unknown value visible rather than drop it
      }
      select.value = value;
    });

    var filterMatrix = function () {
      var active = selects.filter(function (s) { return s.value; });
      var shown = 0;
      matrixRows.forEach(function (row) {
        var ok = active.every(function (s) {
          var values = row.getAttribute("data-attr-" + s.name);
          return values !== null && values.split("|").indexOf(s.value) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      matrixSections.forEach(function (section) {
        section.hidden = active.length > 0 && !section.querySelector("table.matrix tbody tr:not([hidden])");
      });
      matrixCount.hidden = active.length === 0;
      matrixCount.textContent = "Showing " + shown + " of " + matrixRows.length + " controls";
      matrixEmpty.hidden = shown > 0;
      var next = new URLSearchParams(location.search);
      selects.forEach(function (s) { if (s.value) next.set(s.name, s.value); else next.delete(s.name); });
      var query = next.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    };

    matrixFilters.addEventListener("change", filterMatrix);
    matrixFilters.addEventListener("submit", function (e) { e.preventDefault(); filterMatrix(); });
    matrixFilters.addEventListener("reset", function () { setTimeout(filterMatrix, 0); });
    matrixFilters.hidden = false;
    filterMatrix();
  }
})();
