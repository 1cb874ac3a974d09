/* AjaxSelect: a Tom Select combobox whose options come page by page from the JSON
 * endpoint in data-url (`?q=&page=` → {items: [{value, label}], more, next}). The first
 * page loads when it opens, typing searches, scrolling to the bottom follows `next`.
 * One Tom Select per element, destroyed when htmx swaps the element out.
 */
(function () {
  "use strict";

  function firstPage(base, query) {
    const url = new URL(base, window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("page", "1");
    return url.origin === window.location.origin ? url.pathname + url.search : url.href;
  }

  function text(tag, className, content) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = content;
    return node;
  }

  /* A Tom Select on `select`; forms.js uses it for searchable selects too.
     Its input becomes the one combobox assistive technology sees: it takes the <select>'s
     required/invalid/description attributes, and the <select> (kept only to submit the
     value) is hidden. During an htmx swap the new <select> may still wear the classes of
     the one it replaces, which Tom Select would copy onto its wrapper: drop them first. */
  const HANDED_OVER = ["aria-describedby", "aria-invalid", "aria-required"];
  const STATE_CLASSES = ["tomselected", "ts-hidden-accessible", "htmx-added"];
  function enhance(select, settings) {
    select.classList.remove.apply(select.classList, STATE_CLASSES);
    const tom = new TomSelect(select, settings);
    for (const name of HANDED_OVER) {
      if (select.hasAttribute(name)) tom.control_input.setAttribute(name, select.getAttribute(name));
    }
    hideOriginal(select);
    return tom;
  }

  function hideOriginal(select) {
    select.classList.add("tomselected", "ts-hidden-accessible");
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
  }

  /* htmx's settle step puts back the class and attributes an element with a known id had
     in the response, undoing what Tom Select did to a <select> it enhanced meanwhile. */
  document.addEventListener("htmx:after:settle", function () {
    for (const select of document.querySelectorAll("select")) if (select.tomselect) hideOriginal(select);
  });

  window.fasthxTomSelect = { enhance: enhance };

  /* The server decides what matches (it may search fields the label does not show):
     everything it sent for this query is shown; an option kept from before (the current
     selection) only when its label contains the query. */
  function scoreFor(query) {
    const needle = query.toLowerCase();
    return function (item) {
      if (!needle || item.fhxQuery === query) return 1;
      return String(item.label).toLowerCase().indexOf(needle) >= 0 ? 1 : 0;
    };
  }

  fasthx.register("AjaxSelect", "select[data-fhx-ajax-select]", function (select) {
    const base = select.dataset.url;
    const tom = enhance(select, {
      plugins: ["virtual_scroll"],
      valueField: "value",
      labelField: "label",
      searchField: ["label"],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      placeholder: select.dataset.placeholder || "",
      shouldLoad: function () { return true; },
      score: scoreFor,
      firstUrl: function (query) { return firstPage(base, query); },
      load: function (query, callback) {
        const self = this;
        fetch(self.getUrl(query), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
          .then(function (page) {
            const items = page.items || [];
            for (const item of items) item.fhxQuery = query;
            if (page.more && page.next) self.setNextUrl(query, page.next);
            callback(items);
          })
          .catch(function () { callback(); });
      },
      render: {
        loading_more: function () { return text("div", "loading-more-results py-2 px-3 text-body-secondary", "Loading more…"); },
        no_more_results: function () { return text("div", "no-more-results py-2 px-3 text-body-secondary", "No more results"); },
        no_results: function () { return text("div", "no-results py-2 px-3", "No matches"); },
      },
    });
    /* Tom Select numbers a pre-selected <option> apart from loaded ones, so the first
       loaded option would share its element id; continue after it instead. */
    for (const option of Object.values(tom.options)) tom.order = Math.max(tom.order, option.$order || 0);
    return function () { tom.destroy(); };
  });
})();
