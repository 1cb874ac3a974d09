/* ThemeToggle: flips data-bs-theme on <html> between dark and light and remembers it. */
(function () {
  "use strict";
  const KEY = "fasthx-theme";

  function current() { return document.documentElement.getAttribute("data-bs-theme") === "light" ? "light" : "dark"; }

  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    try { localStorage.setItem(KEY, theme); } catch (e) { /* storage blocked: the choice lasts this page */ }
    document.querySelectorAll("[data-fhx-theme-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(theme === "light"));
    });
  }

  fasthx.register("ThemeToggle", "[data-fhx-theme-toggle]", function (button) {
    button.setAttribute("aria-pressed", String(current() === "light"));
    function onClick() { apply(current() === "light" ? "dark" : "light"); }
    button.addEventListener("click", onClick);
    return function () { button.removeEventListener("click", onClick); };
  });
})();
