/* Sidebar: categories collapse on click; the state is remembered per category name.
 * The category holding the active page always opens. */
(function () {
  "use strict";
  const KEY = "fasthx-nav-collapsed";

  function collapsedNames() {
    try { return new Set(JSON.parse(localStorage.getItem(KEY) || "[]")); } catch (e) { return new Set(); }
  }

  function remember(name, collapsed) {
    const names = collapsedNames();
    if (collapsed) names.add(name); else names.delete(name);
    try { localStorage.setItem(KEY, JSON.stringify(Array.from(names))); } catch (e) { /* storage blocked */ }
  }

  function setOpen(category, open) {
    category.querySelector(".fhx-nav-heading").setAttribute("aria-expanded", String(open));
    category.querySelector(".fhx-nav-items").hidden = !open;
  }

  fasthx.register("Sidebar", "[data-fhx-nav-category]", function (category) {
    const name = category.dataset.fhxNavCategory;
    const heading = category.querySelector(".fhx-nav-heading");
    setOpen(category, category.hasAttribute("data-active") || !collapsedNames().has(name));
    function onClick() {
      const open = heading.getAttribute("aria-expanded") !== "true";
      setOpen(category, open);
      remember(name, !open);
    }
    heading.addEventListener("click", onClick);
    return function () { heading.removeEventListener("click", onClick); };
  });
})();
