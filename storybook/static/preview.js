/* Storybook preview bridge (runs inside the preview iframe): reports every htmx
 * exchange to the storybook page, applies its theme, and re-renders the story
 * over htmx when a control changes. Does nothing when the preview is opened alone. */
(function () {
  "use strict";
  if (window.parent === window) return;
  const pending = new WeakMap();

  function hxHeaders(entries) {
    const found = {};
    for (const [name, value] of entries) if (/^hx-/i.test(name)) found[name] = value;
    return found;
  }

  document.addEventListener("htmx:before:request", function (event) {
    const request = event.detail.ctx.request;
    pending.set(event.detail.ctx, { method: request.method, url: request.action, requestHeaders: hxHeaders(Object.entries(request.headers || {})) });
  });

  document.addEventListener("htmx:after:request", function (event) {
    const ctx = event.detail.ctx;
    const sent = pending.get(ctx) || { method: "?", url: "?", requestHeaders: {} };
    const response = ctx.response || {};
    window.parent.postMessage({
      type: "fasthx-exchange",
      method: sent.method,
      url: sent.url,
      status: response.status,
      requestHeaders: sent.requestHeaders,
      responseHeaders: response.headers ? hxHeaders(response.headers.entries()) : {},
      body: ctx.text || "",
    }, window.location.origin);
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data) return;
    if (event.data.type === "fasthx-theme") {
      document.documentElement.setAttribute("data-bs-theme", event.data.theme);
    } else if (event.data.type === "fasthx-render") {
      const root = document.getElementById("story-root");
      if (root) htmx.ajax("GET", root.dataset.renderUrl + "?" + event.data.query, { target: "#story-root", swap: "innerHTML" });
    }
  });

  window.parent.postMessage({ type: "fasthx-preview-ready" }, window.location.origin);
})();
