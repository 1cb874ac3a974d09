/* Storybook page: viewport widths, preview theme, controls that re-render the
 * story, and the exchange log of the preview's htmx requests. */
(function () {
  "use strict";
  const frame = document.getElementById("sb-preview");
  if (!frame) return;
  let theme = "dark";

  function press(selector, active) {
    document.querySelectorAll(selector).forEach(function (button) {
      const on = button === active;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", String(on));
    });
  }

  function post(message) { frame.contentWindow.postMessage(message, window.location.origin); }

  document.querySelectorAll("[data-sb-viewport]").forEach(function (button) {
    button.addEventListener("click", function () {
      frame.style.width = button.dataset.sbViewport ? button.dataset.sbViewport + "px" : "";
      press("[data-sb-viewport]", button);
    });
  });

  document.querySelectorAll("[data-sb-theme]").forEach(function (button) {
    button.addEventListener("click", function () {
      theme = button.dataset.sbTheme;
      post({ type: "fasthx-theme", theme: theme });
      press("[data-sb-theme]", button);
    });
  });

  const controls = document.getElementById("sb-controls");
  if (controls) {
    let timer = null;
    function rerender() {
      const query = new URLSearchParams(new FormData(controls)).toString();
      history.replaceState(null, "", window.location.pathname + "?" + query);
      document.getElementById("sb-open-preview").href = frame.dataset.previewUrl + "?" + query;
      if (frame.dataset.page === "true") frame.src = frame.dataset.previewUrl + "?" + query;
      else post({ type: "fasthx-render", query: query });
    }
    controls.addEventListener("change", rerender);
    controls.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(rerender, 400); });
  }

  const entries = document.getElementById("sb-log-entries");
  const count = document.getElementById("sb-log-count");

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function headerList(title, headers) {
    const wrap = node("div", "sb-log-headers");
    wrap.appendChild(node("div", "small fw-semibold", title));
    const names = Object.keys(headers);
    if (!names.length) wrap.appendChild(node("div", "small text-body-secondary", "none"));
    names.forEach(function (name) { wrap.appendChild(node("code", "d-block small", name + ": " + headers[name])); });
    return wrap;
  }

  function logExchange(data) {
    const item = node("li", "sb-log-entry");
    item.dataset.status = String(data.status);
    const details = node("details");
    const summary = node("summary");
    summary.append(node("span", "badge text-bg-secondary me-1", data.method), node("code", "sb-log-url", data.url),
      node("span", "badge ms-1 " + (data.status >= 400 ? "text-bg-danger" : "text-bg-success"), String(data.status)));
    details.append(summary, headerList("Request HX-* headers", data.requestHeaders),
      headerList("Response HX-* headers", data.responseHeaders), node("div", "small fw-semibold", "Response body"),
      node("pre", "sb-code sb-log-body", data.body || "(empty)"));
    item.appendChild(details);
    entries.prepend(item);
    count.textContent = String(entries.children.length);
  }

  document.getElementById("sb-log-clear").addEventListener("click", function () {
    entries.replaceChildren();
    count.textContent = "0";
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === "fasthx-exchange") logExchange(event.data);
    if (event.data.type === "fasthx-preview-ready") post({ type: "fasthx-theme", theme: theme });
  });
})();
