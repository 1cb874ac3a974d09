/* Table: the htmx side of <ui:Table>. The table's own form sends the search, header
 * filters, dropdown filters and page size; this keeps empty and default fields out of
 * the pushed URL, marks
 * the region busy while a request is in flight, and asks before following a row
 * action link that has a confirm text. Focus survives the swap because every control
 * keeps its id (htmx puts focus back on the element with the same id).
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

  fasthx.register("table", "[data-fhx-table]", function (region) {
    function confirmLink(event) {
      const link = event.target.closest("a[data-fhx-confirm]");
      if (link && !window.confirm(link.dataset.fhxConfirm)) event.preventDefault();
    }
    region.addEventListener("click", confirmLink);
    return function () { region.removeEventListener("click", confirmLink); };
  });
})();
