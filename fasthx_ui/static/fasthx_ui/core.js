/* fasthx core: the component lifecycle and the CSRF header of every htmx request.
 *
 * fasthx.register(name, selector, init) runs init(element) once for each element
 * matching selector, on page load and whenever content is inserted (by htmx or by
 * script; htmx content once it has settled); the function init returns (if any)
 * runs when the element leaves the page, however it left (swap, morph, removal).
 * So swapping a component in ten times leaves one live instance and no stray
 * listeners, timers or streams.
 */
(function () {
  "use strict";
  const components = [];
  const live = new Map();

  function mount(root) {
    if (!root || root.nodeType !== 1) return;
    for (const component of components) {
      const found = Array.from(root.querySelectorAll(component.selector));
      if (root.matches(component.selector)) found.unshift(root);
      for (const element of found) {
        if (live.has(element)) continue;
        live.set(element, { name: component.name, cleanup: null });
        live.get(element).cleanup = component.init(element) || null;
      }
    }
  }

  function unmountDetached() {
    for (const [element, record] of live) {
      if (element.isConnected) continue;
      live.delete(element);
      if (typeof record.cleanup === "function") record.cleanup();
    }
  }

  new MutationObserver(function (mutations) {
    let removed = false;
    for (const mutation of mutations) {
      removed = removed || mutation.removedNodes.length > 0;
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.isConnected && !node.closest(".htmx-settling")) mount(node);
      });
    }
    if (removed) unmountDetached();
  }).observe(document.documentElement, { childList: true, subtree: true });

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  document.addEventListener("htmx:config:request", function (event) {
    const token = csrfToken();
    if (token) event.detail.ctx.request.headers["X-CSRF-Token"] = token;
  });
  document.addEventListener("DOMContentLoaded", function () { mount(document.body); });
  /* htmx puts back the class and style of elements whose id it matched once the swap
   * settles: content it swapped in starts only then, so what init sets up stays. */
  document.addEventListener("htmx:after:settle", function (event) { mount(event.target); });

  window.fasthx = {
    register: function (name, selector, init) {
      components.push({ name: name, selector: selector, init: init });
      if (document.readyState !== "loading") mount(document.body);
    },
    /* How many instances of a component are mounted and on the page (tests use it). */
    live: function (name) {
      let count = 0;
      for (const [element, record] of live) if (record.name === name && element.isConnected) count++;
      return count;
    },
    csrfToken: csrfToken,
  };
})();
