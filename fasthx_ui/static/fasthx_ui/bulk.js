/* BulkActions: the selection of a <ui:Table> with a selection column.
 *
 * The checked ids live in sessionStorage under the table (url + id) and its filter
 * signature, so the selection survives paging, sorting and reload, and is dropped as
 * soon as the search or a filter changes (a new signature). "Select all N matching"
 * loads every matching id from the select-all URL. A bulk action posts the ids as
 * `ids` form data, with `{count}` in its confirm text replaced; after it succeeds the
 * selection is cleared and the table reloads its current view. A server-resolved action
 * ([data-fhx-batch]) sends `selection=all` and the table's filters (in its URL) instead
 * of every id in the "all matching" mode; when it is a GET it opens a dialog, and the
 * selection is cleared once that dialog's form ([data-fhx-bulk-for=table id]) succeeded.
 */
(function () {
  "use strict";
  const PREFIX = "fhx-selection:";
  const current = new WeakMap(); /* bulk element -> its live selection */

  function scopeOf(bulk) {
    const region = document.getElementById(bulk.dataset.table);
    return PREFIX + (region ? region.dataset.url : "") + "#" + bulk.dataset.table;
  }

  function keyOf(bulk) {
    return scopeOf(bulk) + ":" + bulk.dataset.signature;
  }

  function read(key) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(key));
      if (saved && Array.isArray(saved.ids)) return saved;
    } catch (error) { /* a damaged entry reads as no selection */ }
    return { ids: [], all: false };
  }

  fasthx.register("bulk", "[data-fhx-bulk]", function (bulk) {
    const region = document.getElementById(bulk.dataset.table);
    if (!region) return null;
    const scope = scopeOf(bulk);
    const key = keyOf(bulk);
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const other = sessionStorage.key(i);
      if (other.startsWith(scope + ":") && other !== key) sessionStorage.removeItem(other);
    }
    let state = read(key);
    current.set(bulk, state);
    const menu = bulk.querySelector("[data-fhx-bulk-menu]");
    const count = bulk.querySelector("[data-fhx-bulk-count]");
    const banner = bulk.querySelector("[data-fhx-bulk-banner]");
    const message = bulk.querySelector("[data-fhx-bulk-message]");
    const selectAll = bulk.querySelector("[data-fhx-select-all]");

    function boxes() {
      return Array.from(region.querySelectorAll("input[data-fhx-select]"));
    }

    function render() {
      const selected = new Set(state.ids);
      const rows = boxes();
      let onPage = 0;
      for (const box of rows) {
        box.checked = selected.has(box.value);
        if (box.checked) onPage++;
      }
      const pageBox = region.querySelector("[data-fhx-select-page]");
      if (pageBox) {
        pageBox.checked = rows.length > 0 && onPage === rows.length;
        pageBox.indeterminate = onPage > 0 && onPage < rows.length;
      }
      const total = state.ids.length;
      menu.hidden = total === 0;
      banner.hidden = total === 0;
      count.textContent = String(total);
      message.textContent = state.all
        ? "All " + total.toLocaleString("en-US") + " matching items are selected."
        : onPage + " items on this page selected" +
          (total === onPage ? "." : ", " + total.toLocaleString("en-US") + " in all.");
      if (selectAll) selectAll.hidden = state.all;
      for (const button of bulk.querySelectorAll("[data-fhx-bulk-action][data-confirm]")) {
        button.setAttribute("hx-confirm", button.dataset.confirm.split("{count}").join(String(total)));
      }
    }

    function save() {
      current.set(bulk, state);
      try {
        if (state.ids.length) sessionStorage.setItem(key, JSON.stringify(state));
        else sessionStorage.removeItem(key);
      } catch (error) {
        /* storage full: the selection still works on this page, it just won't survive paging */
      }
      render();
    }

    function mark(id, checked) {
      const ids = new Set(state.ids);
      if (checked) ids.add(id); else ids.delete(id);
      state.ids = Array.from(ids);
    }

    function onChange(event) {
      const box = event.target;
      if (box.matches("input[data-fhx-select]")) {
        mark(box.value, box.checked);
      } else if (box.matches("[data-fhx-select-page]")) {
        for (const row of boxes()) mark(row.value, box.checked);
      } else {
        return;
      }
      state.all = false;
      save();
    }

    async function selectAllMatching() {
      const response = await fetch(bulk.dataset.selectAllUrl, { headers: { Accept: "application/json" } });
      if (!response.ok || !bulk.isConnected) return;
      const data = await response.json();
      state = { ids: data.ids.map(String), all: true };
      save();
    }

    function onClick(event) {
      if (event.target.closest("[data-fhx-select-all]")) selectAllMatching();
      else if (event.target.closest("[data-fhx-clear-selection]")) {
        state = { ids: [], all: false };
        save();
      }
    }

    region.addEventListener("change", onChange);
    bulk.addEventListener("click", onClick);
    render();
    return function () {
      region.removeEventListener("change", onChange);
      bulk.removeEventListener("click", onClick);
    };
  });

  function bulkOf(event) {
    const source = event.detail.ctx.sourceElement;
    return source && source.matches && source.matches("[data-fhx-bulk-action]") ? source.closest("[data-fhx-bulk]") : null;
  }

  /* The BulkActions a request clears on success: a menu action's, or a dialog form's. */
  function clearedBy(event) {
    const ctx = event.detail.ctx;
    const source = ctx.sourceElement;
    if (!source || !source.closest) return null;
    const form = source.closest("[data-fhx-bulk-for]");
    if (form) return document.querySelector('[data-fhx-bulk][data-table="' + CSS.escape(form.dataset.fhxBulkFor) + '"]');
    if (source.matches("[data-fhx-batch]") && ctx.request.method === "GET") return null; /* it only opened the dialog */
    return bulkOf(event);
  }

  document.addEventListener("htmx:config:request", function (event) {
    const bulk = bulkOf(event);
    if (!bulk) return;
    const ctx = event.detail.ctx;
    const state = current.get(bulk) || read(keyOf(bulk));
    if (!state.ids.length) {
      event.preventDefault();
      return;
    }
    const body = ctx.request.body;
    body.delete("ids");
    if (state.all && ctx.sourceElement.matches("[data-fhx-batch]")) {
      body.set("selection", "all");
      if (bulk.dataset.query) ctx.request.action += (ctx.request.action.indexOf("?") === -1 ? "?" : "&") + bulk.dataset.query;
      return;
    }
    for (const id of state.ids) body.append("ids", id);
  });

  document.addEventListener("htmx:after:request", function (event) {
    const bulk = clearedBy(event);
    const response = event.detail.ctx.response;
    if (!bulk || !response || response.status >= 400) return;
    sessionStorage.removeItem(keyOf(bulk));
    const region = document.getElementById(bulk.dataset.table);
    if (!region) return;
    const query = region.dataset.query;
    htmx.ajax("GET", region.dataset.url + (query ? "?" + query : ""), { target: "#" + region.id, swap: "outerHTML" });
  });
})();
