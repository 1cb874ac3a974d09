/* Table: the htmx side of <ui:Table>. The table's own form sends the search, header
 * filters, dropdown filters and page size; this keeps empty and default fields out of
 * the pushed URL, marks the region busy while a request is in flight, keeps focus in
 * the table when a row action removes its row, and asks before following a row action
 * link that has a confirm text, and reloads a table's current view on a `refreshTable`
 * event ({id}: the region; servers send it after a row action). Focus survives a swap because every control keeps its
 * id (htmx puts focus back on the element with the same id).
 */
(function () {
  "use strict";

  function regionOf(element) {
    return element && element.closest ? element.closest("[data-fhx-table]") : null;
  }

  document.addEventListener("htmx:config:request", function (event) {
    const ctx = event.detail.ctx;
    const source = ctx.sourceElement;
    if (!source || !source.matches || !source.matches(".fhx-table-form") || !ctx.request.body) return;
    const body = ctx.request.body;
    for (const [key, value] of Array.from(body.entries())) {
      if (value === "") body.delete(key);
    }
    if (body.get("page_size") === source.dataset.defaultPageSize) body.delete("page_size");
  });

  document.addEventListener("htmx:before:request", function (event) {
    const region = regionOf(event.detail.ctx.sourceElement);
    if (region) region.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:finally:request", function (event) {
    const region = regionOf(event.detail.ctx.sourceElement);
    if (region && region.isConnected) region.removeAttribute("aria-busy");
  });

  /* A row action that removes or replaces its own row would drop focus to <body>:
   * give it to the same action of the next row (or the previous one) instead. */
  const lostFocus = new WeakMap();
  document.addEventListener("htmx:before:swap", function (event) {
    const ctx = event.detail.ctx;
    const row = ctx.target && ctx.target.closest ? ctx.target.closest("[data-fhx-table] tbody tr") : null;
    const focused = document.activeElement;
    if (!row || !row.contains(focused)) return;
    const label = focused.getAttribute("title");
    const next = row.nextElementSibling || row.previousElementSibling;
    lostFocus.set(ctx, { region: regionOf(row), next: next, label: label });
  });

  document.addEventListener("htmx:after:swap", function (event) {
    const saved = lostFocus.get(event.detail.ctx);
    if (!saved || (document.activeElement && document.activeElement !== document.body)) return;
    const row = saved.next && saved.next.isConnected ? saved.next : null;
    const sameAction = row && saved.label ? row.querySelector('[title="' + CSS.escape(saved.label) + '"]') : null;
    const target = sameAction || (row && row.querySelector("button, a[href], input")) || (saved.region && saved.region.querySelector("table"));
    if (!target) return;
    if (target.tagName === "TABLE") target.setAttribute("tabindex", "-1");
    target.focus();
  });

  /* Links with a confirm text (row actions with `href` and `confirm`) ask first. */
  function confirmLinks(element) {
    function confirmLink(event) {
      const link = event.target.closest("a[data-fhx-confirm]");
      if (link && !window.confirm(link.dataset.fhxConfirm)) event.preventDefault();
    }
    element.addEventListener("click", confirmLink);
    return function () { element.removeEventListener("click", confirmLink); };
  }

  document.addEventListener("refreshTable", function (event) {
    const region = document.getElementById(event.detail && event.detail.id);
    if (!region || !region.matches("[data-fhx-table]")) return;
    const query = region.dataset.query;
    htmx.ajax("GET", region.dataset.url + (query ? "?" + query : ""), { target: "#" + region.id, swap: "outerHTML" });
  });

  fasthx.register("table", "[data-fhx-table]", confirmLinks);
  fasthx.register("row-actions", ".fhx-row-actions:not([data-fhx-table] .fhx-row-actions)", confirmLinks);
})();
