/* Applies the remembered theme before the page paints (the Layout inlines it in <head>). */
(function () {
  var theme = "dark";
  try { theme = localStorage.getItem("fasthx-theme") === "light" ? "light" : "dark"; } catch (e) { /* storage blocked */ }
  document.documentElement.setAttribute("data-bs-theme", theme);
})();
